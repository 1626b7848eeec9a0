import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Accepted, ChannelError, type SmsChannel, type SmsMessage } from './channel.ts';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from: string | null;
  messagingServiceSid: string | null;
  apiUrl: string;
}

/** SMS through Twilio's Messages REST API (2010-04-01), form-encoded, HTTP Basic with the account SID. */
export function twilioSms(cfg: TwilioConfig): SmsChannel {
  const endpoint = `${cfg.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    sender: cfg.messagingServiceSid ?? cfg.from ?? 'twilio',
    async send(m: SmsMessage): Promise<Accepted> {
      const form = new URLSearchParams({ To: m.to, Body: m.body, StatusCallback: m.statusCallback });
      if (cfg.messagingServiceSid) form.set('MessagingServiceSid', cfg.messagingServiceSid);
      else if (cfg.from) form.set('From', cfg.from);
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
          signal: AbortSignal.timeout(15_000),
        });
      } catch (err) {
        throw new ChannelError(`Twilio unreachable: ${(err as Error).message}`, false);
      }
      const text = await res.text();
      let body: { sid?: string; code?: number; message?: string } = {};
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (a proxy's error page); the status code decides.
      }
      if (res.status === 201 || res.status === 200)
        return { providerMessageId: body.sid ?? null, response: text.slice(0, 2000) };
      const code = body.code !== undefined ? String(body.code) : String(res.status);
      const message = `Twilio ${res.status}${body.code ? ` error ${body.code}` : ''}: ${body.message ?? text.slice(0, 200)}`;
      if (res.status === 429) {
        const after = Number(res.headers.get('retry-after'));
        throw new ChannelError(
          message,
          false,
          text,
          code,
          Number.isFinite(after) && after > 0 ? after * 1000 : 1000,
        );
      }
      // 401/403/404 are our account or URL, not this message: retry, so fixing the
      // credentials rescues the queue instead of failing every SMS for good.
      const ours = res.status === 401 || res.status === 403 || res.status === 404;
      const permanent = res.status >= 400 && res.status < 500 && !ours;
      throw new ChannelError(message, permanent, text.slice(0, 2000), code);
    },
  };
}

/** X-Twilio-Signature: base64 HMAC-SHA1 of the full URL followed by each POST parameter (sorted) as name+value. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
