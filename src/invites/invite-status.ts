/**
 * The invite status machine. The recipient's progress runs in order; `revoked` stands
 * outside it: nothing moves an invite out of it, and a completed invite cannot be revoked.
 */
export const PROGRESS = ['sent', 'initiated', 'attempted', 'completed'] as const;
type Progress = (typeof PROGRESS)[number];
export type ForwardStatus = Exclude<Progress, 'sent'>;

/** The statuses an invite may move to `to` from: every earlier step, never `revoked` or a later one. */
export function movableFrom(to: ForwardStatus): Progress[] {
  return PROGRESS.slice(0, PROGRESS.indexOf(to));
}

/** The statuses an invite may be revoked from. */
export const REVOCABLE: readonly Progress[] = ['sent', 'initiated', 'attempted'];

/** Whether the invite's URL no longer works: revoked, expired, or past its expiry time. */
export function isClosed(
  invite: { status: string; expires_at: string | null; expired_at: string | null },
  now: Date,
): boolean {
  if (invite.status === 'revoked' || invite.expired_at) return true;
  return (
    invite.status !== 'completed' &&
    invite.expires_at !== null &&
    Date.parse(invite.expires_at) <= now.getTime()
  );
}
