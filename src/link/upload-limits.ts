import type { InvitesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { countPerMinute } from '../http/rate-limit.ts';
import { isClosed } from '../invites/invite-status.ts';
import { documentTotals } from './link.repo.ts';
import type { FlowScope, PageProblem } from './scope.ts';

/** Bytes in a megabyte as the pages count them. */
export const MB = 1024 * 1024;

/**
 * What the recipient may upload. Files are stored in the database, so an invite URL (or an
 * embedded user's token) in the wrong hands must not be able to fill it.
 */
export const UPLOAD_LIMITS = {
  /** Per file; the multipart parser stops reading beyond it. */
  fileMb: 10,
  /** Per invite (or embedded user), in all. */
  files: 10,
  totalMb: 50,
  /** Uploads a minute per invite (or embedded user), on every process together. */
  perMinute: 5,
} as const;

/** What one more upload may still add. */
export interface UploadRoom {
  files: number;
  bytes: number;
}

/**
 * Why an invite takes no more uploads, or null. A revoked invite takes none. A completed one
 * takes none through its URL, which may have been passed on; an embedded user's token is a
 * grant of its own, issued by the customer for a while, and keeps taking them within the limits.
 */
export function uploadsClosed(
  invite: InvitesTable | null | undefined,
  viaToken: boolean,
  now: Date,
): PageProblem | null {
  if (invite && isClosed(invite, now)) return 'expired';
  if (invite?.status === 'completed' && !viaToken) return 'completed';
  return null;
}

/** Room left once `totals` are stored. */
export function roomAfter(totals: UploadRoom): UploadRoom {
  return {
    files: Math.max(0, UPLOAD_LIMITS.files - totals.files),
    bytes: Math.max(0, UPLOAD_LIMITS.totalMb * MB - totals.bytes),
  };
}

/** Room left for the scope's user (one user per invite, so this is per invite as well). */
export async function uploadRoom(deps: Pick<Deps, 'db'>, scope: FlowScope): Promise<UploadRoom> {
  return roomAfter(await documentTotals(deps.db, scope.clientId, scope.userId));
}

/** The page that says there is no room left, or null while there is. */
export function fullProblem(room: UploadRoom, size = 1): PageProblem | null {
  if (room.files < 1) return 'upload_files_full';
  if (room.bytes < size) return 'upload_bytes_full';
  return null;
}

/**
 * Counts an upload against the per-minute limit of its invite (or embedded user), shared by
 * every process. Over the limit it counts nothing and returns the seconds to wait; null when
 * the upload may go on.
 */
export function countUpload(deps: Pick<Deps, 'db' | 'clock'>, scope: FlowScope): Promise<number | null> {
  const bucket = scope.invite ? `upload:${scope.invite.id}` : `upload:user:${scope.userId}`;
  return countPerMinute(deps.db, [{ bucket, limit: UPLOAD_LIMITS.perMinute }], deps.clock.now().getTime());
}
