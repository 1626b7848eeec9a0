import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors } from '../errors.ts';
import { findKey, insertPending, markCommitted, takeOver } from '../http/idempotency.repo.ts';
import type { PartsRecoveryPoint } from '../http/idempotency.ts';
import type { SendOrigin } from '../invites/invite-send.ts';
import { sendInviteBatch } from '../invites/invites-batch.service.ts';
import type { BulkRow } from './bulk-csv.ts';
import { sendBodyOf } from './send-input.ts';

/** Rows sent per batch call, as `POST /v2/invites/batch` takes them. */
const BATCH = 1_000;

export interface BulkResult {
  row: number;
  inviteId: string | null;
  errors: FieldErrors | null;
}

export const fileHash = (file: Buffer) => createHash('sha256').update(file).digest('hex');

/** Who sends a file and how: the member, their group, the template, and the file's hash. */
export interface BulkSend {
  hash: string;
  flowId: string;
  origin: SendOrigin;
}

/**
 * The Idempotency-Key of one batch of a file: the client, the sender and their group, the file's
 * bytes, the template and the batch's place in the file. The same member sending the same file
 * again with the same template finds every invite it made and makes none twice; a teammate's
 * upload of the same list is their own send, and never reads another's results.
 */
function bulkKey(clientId: string, send: BulkSend, batch: number): string {
  const parts = [
    clientId,
    send.origin.memberId,
    send.origin.groupId ?? '',
    send.hash,
    send.flowId.toUpperCase(),
    batch,
  ];
  return `console-bulk:${createHash('sha256').update(parts.join('\n')).digest('hex')}`;
}

/** Whether this member sent this file before with this template: then its results can be read again. */
export async function sentBefore(deps: Deps, clientId: string, send: BulkSend) {
  return (await findKey(deps.db, clientId, bulkKey(clientId, send, 0))) !== undefined;
}

/** Holds `key` for one run, as the API's Idempotency-Key is held: a lease that lapses when a run dies. */
async function holdKey(deps: Deps, clientId: string, key: string) {
  const now = deps.clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const claim = {
    request_hash: 'console-bulk',
    created_at: iso(now),
    locked_until: iso(now + deps.config.IDEMPOTENCY_LEASE_SECONDS * 1000),
  };
  if (!(await insertPending(deps.db, { client_id: clientId, key, ...claim }))) {
    const row = await findKey(deps.db, clientId, key);
    const held = row?.locked_until && Date.parse(row.locked_until) > now;
    if (!row || held || !(await takeOver(deps.db, row, claim, { fresh: false }))) {
      throw AppError.detail('conflict', 'This file is being sent right now. Try again in a minute.', {
        'Retry-After': '5',
      });
    }
  }
  const recovery: PartsRecoveryPoint = {
    async committed(db) {
      return (await findKey(db, clientId, key))?.resource ?? null;
    },
    async mark(trx, resource) {
      if (!(await markCommitted(trx, clientId, key, claim.locked_until, resource, true))) {
        throw AppError.detail('conflict', 'This file is being sent by another request.', {
          'Retry-After': '5',
        });
      }
    },
  };
  // Done: the lease ends now, so the same file can be looked at (or finished) again at once.
  const release = async () => {
    const row = await findKey(deps.db, clientId, key);
    if (row) await takeOver(deps.db, row, { ...claim, locked_until: iso(now) }, { fresh: false });
  };
  return { recovery, release };
}

/**
 * Sends every row of a file through the API's batch send, a batch of `BATCH` per key: the
 * rows that were refused come back with their errors, the others with their invite.
 */
export async function sendBulk(
  deps: Deps,
  clientId: string,
  rows: BulkRow[],
  send: BulkSend,
): Promise<BulkResult[]> {
  const out: BulkResult[] = [];
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const items = batch.map((r) => sendBodyOf({ ...r.values, flow_id: send.flowId }));
    const key = bulkKey(clientId, send, start / BATCH);
    const { recovery, release } = await holdKey(deps, clientId, key);
    try {
      const { results } = await sendInviteBatch(deps, clientId, items, recovery, send.origin);
      for (const [i, r] of batch.entries()) {
        const result = results[i];
        out.push({
          row: r.row,
          inviteId: result && 'invite' in result ? result.invite.id : null,
          errors: result && 'errors' in result ? result.errors : null,
        });
      }
    } finally {
      await release();
    }
  }
  return out;
}
