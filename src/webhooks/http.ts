import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { BlockedAddressError, guardedLookup, hostOf, isBlockedAddress } from './ssrf.ts';

/** How much of a receiver's answer is kept. */
export const RESPONSE_BODY_LIMIT = 2048;

export type PostResult =
  | { kind: 'response'; status: number; body: string }
  /** No answer: refused before sending, a network error or the timeout. */
  | { kind: 'error'; error: string; blocked: boolean };

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

/** POSTs `body` to `url` once: no redirects followed, no proxy, private targets refused unless allowed. */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: PostOptions,
): Promise<PostResult> {
  const target = new URL(url);
  const host = hostOf(target);
  // An IP literal is connected to without any lookup, so it is judged here; names are judged
  // by the connection's lookup, on the very addresses it connects to.
  if (!opts.allowPrivate && isIP(host) && isBlockedAddress(host)) {
    return describe(new BlockedAddressError(host, host));
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    let answered = false;
    const done = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        ...(opts.allowPrivate ? {} : { lookup: guardedLookup as never }),
        agent: false,
      },
      (res) => {
        answered = true;
        readLimited(res).then((text) => done({ kind: 'response', status: res.statusCode ?? 0, body: text }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ kind: 'error', error: `timed out after ${opts.timeoutMs / 1000} s`, blocked: false });
    }, opts.timeoutMs);
    // Cutting a long answer short can fail the request after the status has arrived: that is not an error.
    req.on('error', (err) => {
      if (!answered) done(describe(err));
    });
    req.end(body);
  });
}

function describe(err: unknown): PostResult {
  const e = err as NodeJS.ErrnoException;
  const blocked = e.code === 'EWEBHOOKBLOCKED';
  return { kind: 'error', error: e.code && !blocked ? `${e.code}: ${e.message}` : e.message, blocked };
}

/** The first RESPONSE_BODY_LIMIT characters of the answer; the rest is not waited for. */
function readLimited(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
      if (text.length >= RESPONSE_BODY_LIMIT) {
        res.destroy();
        resolve(text.slice(0, RESPONSE_BODY_LIMIT));
      }
    });
    res.on('end', () => resolve(text));
    res.on('error', () => resolve(text));
    res.on('close', () => resolve(text));
  });
}
