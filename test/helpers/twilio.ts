import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './app.ts';
import { freePort } from './net.ts';

export const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
export const FROM = '+15005550006';

/** A Messages API request as the stand-in received it. */
export interface Received {
  sid: string;
  /** The app's clock when the request arrived. */
  at: number;
  params: Record<string, string>;
  /** user:password of the Basic auth header. */
  auth: string;
}

/** A scripted refusal in Twilio's error format. */
export interface Refusal {
  status: number;
  code: number;
  message: string;
  retryAfter?: number;
}

/**
 * X-Twilio-Signature as Twilio documents it: the full URL, then each POST parameter sorted
 * by name and appended as name+value, HMAC-SHA1 keyed with the auth token, base64.
 */
export function sign(token: string, url: string, params: Record<string, string>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  return createHmac('sha1', token).update(data, 'utf8').digest('base64');
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });

const errorJson = (r: Omit<Refusal, 'retryAfter'>) =>
  JSON.stringify({
    code: r.code,
    message: r.message,
    more_info: `https://www.twilio.com/docs/errors/${r.code}`,
    status: r.status,
  });

/**
 * A local stand-in for Twilio's Messages API (2010-04-01) speaking its wire format, and
 * the status callbacks Twilio makes afterwards.
 */
export async function twilioStandIn(now: () => number) {
  const received: Received[] = [];
  /** Refusals to give, in order, per To number; then messages are accepted. */
  const script = new Map<string, Refusal[]>();
  const path = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    const reply = (status: number, json: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(json);
    if (req.method !== 'POST' || req.url !== path) {
      return reply(
        404,
        errorJson({ status: 404, code: 20404, message: 'The requested resource was not found' }),
      );
    }
    const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    if (auth !== `${ACCOUNT_SID}:${AUTH_TOKEN}`) {
      return reply(401, errorJson({ status: 401, code: 20003, message: 'Authenticate' }));
    }
    const params = Object.fromEntries(new URLSearchParams(text));
    const sid = `SM${randomBytes(16).toString('hex')}`;
    received.push({ sid, at: now(), params, auth });
    const refusal = script.get(params.To ?? '')?.shift();
    if (refusal) {
      const headers: Record<string, string> = refusal.retryAfter
        ? { 'retry-after': String(refusal.retryAfter) }
        : {};
      return reply(refusal.status, errorJson(refusal), headers);
    }
    const date = new Date(now()).toUTCString().replace('GMT', '+0000');
    reply(
      201,
      JSON.stringify({
        account_sid: ACCOUNT_SID,
        api_version: '2010-04-01',
        body: params.Body,
        date_created: date,
        date_sent: null,
        date_updated: date,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: params.From ?? null,
        messaging_service_sid: params.MessagingServiceSid ?? null,
        num_media: '0',
        num_segments: '1',
        price: null,
        price_unit: 'USD',
        sid,
        status: 'queued',
        subresource_uris: { media: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}/Media.json` },
        to: params.To,
        uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    to: (number: string) => received.filter((r) => r.params.To === number),
    refuse(to: string, ...refusals: Refusal[]) {
      script.set(to, [...(script.get(to) ?? []), ...refusals]);
    },
    /**
     * Calls the message's StatusCallback as Twilio does; `token` signs it (a wrong one
     * forges it) and `tamper` changes the parameters after signing.
     */
    async callback(
      msg: Received,
      status: string,
      opts: { errorCode?: string; token?: string; tamper?: Record<string, string> } = {},
    ): Promise<number> {
      const params: Record<string, string> = {
        AccountSid: ACCOUNT_SID,
        ApiVersion: '2010-04-01',
        From: msg.params.From ?? '',
        MessageSid: msg.sid,
        MessageStatus: status,
        SmsSid: msg.sid,
        SmsStatus: status,
        To: msg.params.To ?? '',
        ...(opts.errorCode ? { ErrorCode: opts.errorCode } : {}),
      };
      const url = msg.params.StatusCallback!;
      const signature = sign(opts.token ?? AUTH_TOKEN, url, params);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams({ ...params, ...opts.tamper }),
      });
      await res.arrayBuffer();
      return res.status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The test app sending SMS through a Twilio stand-in, listening on a real port so the
 * stand-in can call the status callback URLs it is given.
 */
export async function startTwilioApp(env: Record<string, string> = {}) {
  let t: TestApp | undefined;
  const tw = await twilioStandIn(() => t!.clock.now().getTime());
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const app = await startTestApp({
    PUBLIC_URL: publicUrl,
    TWILIO_API_URL: tw.url,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: FROM,
    ...env,
  });
  t = app;
  await app.app.listen({ port, host: '127.0.0.1' });
  let next = 2600;
  return {
    t: app,
    tw,
    publicUrl,
    /** Sends an SMS-only invite to a number no other send used. */
    async sendSms(over: Record<string, unknown> = {}) {
      const phone = `+1415555${next++}`;
      const res = await app.request('POST', '/v2/invites', {
        body: inviteBody({ email: null, phone_number: phone, ...over }),
      });
      expect(res.status).toBe(200);
      return { invite: res.body, phone, id: res.body.deliveries[0].id as string };
    },
    /** The invite's newest delivery as the API shows it. */
    delivery: async (inviteId: string) =>
      (await app.request('GET', `/v2/invites/${inviteId}`)).body.deliveries[0],
    jobOf: (deliveryId: string) =>
      app.deps.db
        .selectFrom('jobs')
        .selectAll()
        .where('delivery_id', '=', deliveryId)
        .executeTakeFirstOrThrow(),
    async close() {
      await app.close();
      await tw.close();
    },
  };
}
