import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's id: the caller's X-Request-Id when it is a plain token (so one id follows a
 * request through a proxy or a client's own logs), else a new UUID. Anything else is not
 * trusted into the logs.
 */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Headers of every HTML page. No page runs script: `default-src 'none'` forbids it, inline
 * or not (a page that needed one would add a per-response nonce to `script-src`). Styles are
 * inline; images may come from anywhere (a customer's logo). No page may be framed, so a
 * form cannot be overlaid by another site; and no URL (invite ids, user tokens) leaks
 * through Referer.
 */
export const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; form-action 'self'; " +
    "base-uri 'none'; frame-ancestors 'none'",
} as const;
