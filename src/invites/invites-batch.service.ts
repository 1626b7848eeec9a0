import type { Deps } from '../deps.ts';
import type { FieldErrors } from '../errors.ts';
import { type PartsRecoveryPoint, resourceId, resourceName } from '../http/idempotency.ts';
import { transactAndWake } from '../queue/transact.ts';
import {
  type PreparedInvite,
  prepareInvite,
  type SendOrigin,
  sendContext,
  writeInvites,
} from './invite-send.ts';
import { readSendBody } from './invites.input.ts';
import type { InviteObject } from './invites.schema.ts';
import { answerInvite, getInvite } from './invites.service.ts';

/**
 * Invites written per transaction: few enough that a transaction holds SQLite's write lock
 * briefly, many enough that a batch commits (and syncs) a handful of times, not once an invite.
 */
const CHUNK = 100;

type Result = { invite: InviteObject } | { errors: FieldErrors };

/** The invite ids a key's earlier holders committed, by item; none for a first try. */
function madeBefore(resource: string | null, count: number): (string | null)[] {
  const ids = resource?.startsWith('batch:') ? resourceId(resource).split(',') : [];
  return Array.from({ length: count }, (_, i) => ids[i] || null);
}

const batchResource = (made: (string | null)[]) =>
  resourceName('batch', made.map((id) => id ?? '').join(','));

/**
 * Sends each item as `POST /v2/invites` sends one, answering one result per item in order: the
 * invite, or its field errors (and nothing written for it). Valid items are written `CHUNK` to a
 * transaction. With an Idempotency-Key every transaction names all the invites made so far on
 * the key, so a retry after a crash answers those from what was made and sends only the rest.
 * `origin` is the Console member sending them; none for the API.
 */
export async function sendInviteBatch(
  deps: Deps,
  clientId: string,
  items: unknown[],
  recovery?: PartsRecoveryPoint,
  origin?: SendOrigin,
): Promise<{ results: Result[] }> {
  const ctx = await sendContext(deps, clientId);
  let made = madeBefore((await recovery?.committed(deps.db)) ?? null, items.length);
  const results: (Result | undefined)[] = new Array(items.length);
  const ready: { index: number; invite: PreparedInvite }[] = [];
  for (const [index, item] of items.entries()) {
    if (made[index]) continue;
    const { body, errors } = readSendBody(item);
    const prepared = await prepareInvite(deps, ctx, body, errors, origin);
    if ('errors' in prepared) results[index] = { errors: prepared.errors };
    else ready.push({ index, invite: prepared.invite });
  }
  const earlier = made.flatMap((id, index) => (id ? [{ index, id }] : []));

  for (let start = 0; start < ready.length; start += CHUNK) {
    const chunk = ready.slice(start, start + CHUNK);
    const marked = [...made];
    for (const { index, invite } of chunk) marked[index] = invite.row.id;
    const written = await transactAndWake(deps, async (trx) => {
      await recovery?.mark(trx, batchResource(marked));
      return writeInvites(
        trx,
        deps,
        chunk.map((c) => c.invite),
      );
    });
    made = marked;
    for (const [i, { index, invite }] of chunk.entries()) {
      const view = { ...invite.row, deliveries: (written[i] ?? []).reverse() };
      results[index] = { invite: await answerInvite(deps, view) };
    }
  }
  for (const { index, id } of earlier) results[index] = { invite: await getInvite(deps, clientId, id) };
  return { results: results as Result[] };
}
