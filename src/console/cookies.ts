import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import type { Config } from '../config.ts';

/** The session's token; the database keeps only its hash. */
export const SESSION_COOKIE = 'ik_console';
/** A random id of a signed-out browser, which its forms' tokens are bound to. */
export const BROWSER_COOKIE = 'ik_console_browser';
/** The key of a message to show on the page after a redirect. */
export const FLASH_COOKIE = 'ik_console_flash';

/** Every Console cookie: script cannot read it, other sites' requests do not carry it, only /console gets it. */
export function cookieOptions(
  config: Pick<Config, 'PUBLIC_URL'>,
  maxAgeSeconds?: number,
): CookieSerializeOptions {
  return {
    path: '/console',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.PUBLIC_URL.startsWith('https:'),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

export function clearCookie(reply: FastifyReply, config: Pick<Config, 'PUBLIC_URL'>, name: string): void {
  reply.clearCookie(name, cookieOptions(config));
}
