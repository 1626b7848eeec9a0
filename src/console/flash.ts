import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { clearCookie, cookieOptions, FLASH_COOKIE } from './cookies.ts';

/**
 * Messages a page shows once after a redirect. The cookie carries only the key, so a forged one
 * can show nothing but these. A new message is one more entry here.
 */
export const FLASH_MESSAGES = {
  signed_out: 'You are signed out.',
  session_ended: 'Your session has ended. Sign in again.',
  password_set: 'Your password is set, and you are signed in.',
  welcome: 'Welcome. You are the first admin of this Console.',
  reset_sent:
    'If that address belongs to a member, an email with a link to set a new password is on its way. ' +
    'The link works once, within 24 hours.',
  key_revoked: 'The API key is revoked: requests made with it are refused.',
  webhook_created: 'The webhook subscription is created.',
  webhook_deleted: 'The webhook subscription is deleted; its waiting deliveries will not be sent.',
  webhook_test_queued: 'A test event is on its way. Reload to see its delivery below.',
  webhook_retry_queued: 'The delivery is being sent again. Reload to see the attempt.',
  member_invited: 'Invitation sent. Its link works once, within 24 hours.',
  member_invite_unsent:
    'The member was added, but the invitation email could not be sent. Send the link again from here.',
  member_saved: 'Member saved. The change applies from their next page.',
  member_disabled: 'Member disabled. They were signed out.',
  member_enabled: 'Member enabled.',
  member_link_resent: 'A new link is on its way. Links sent before no longer work.',
  group_created: 'Group created.',
  group_renamed: 'Group renamed.',
  group_deleted: 'Group deleted.',
  invite_sent: 'The invite is on its way.',
  invite_resent: 'The invite was sent again.',
  invite_revoked: 'The invite was revoked.',
  settings_saved: 'Settings saved.',
} as const;
export type FlashKey = keyof typeof FLASH_MESSAGES;

/** Shows `key`'s message on the next page this browser opens. */
export function setFlash(reply: FastifyReply, config: Pick<Config, 'PUBLIC_URL'>, key: FlashKey): void {
  reply.setCookie(FLASH_COOKIE, key, cookieOptions(config));
}

/** The message waiting for this page, if any; it is shown once. */
export function takeFlash(
  req: FastifyRequest,
  reply: FastifyReply,
  config: Pick<Config, 'PUBLIC_URL'>,
): string | null {
  const key = req.cookies[FLASH_COOKIE];
  if (key === undefined) return null;
  clearCookie(reply, config, FLASH_COOKIE);
  return Object.hasOwn(FLASH_MESSAGES, key) ? FLASH_MESSAGES[key as FlashKey] : null;
}
