import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/client.ts';

/** Whom an erasure removes: the user, their invites and deliveries, and the addresses they were sent to. */
export interface ErasureTarget {
  clientId: string;
  userId: string;
  inviteIds: string[];
  deliveryIds: string[];
  /** Lower-cased emails and E.164 numbers of the user and their invites. */
  addresses: string[];
}

const escapeLike = (s: string) => s.toLowerCase().replace(/[\\%_]/g, '\\$&');

/** Whether a text column holds any of `ids` (UUIDs, so a substring match names nobody else). */
function mentionsAny(column: string, ids: string[]): RawBuilder<boolean> {
  if (ids.length === 0) return sql<boolean>`1 = 0`;
  return sql<boolean>`(${sql.join(
    ids.map((id) => sql`lower(${sql.ref(column)}) like ${`%${escapeLike(id)}%`} escape '\\'`),
    sql` or `,
  )})`;
}

/** A non-empty list for `in (...)`: an empty one matches nothing, which SQL cannot spell. */
const orNone = (values: string[]) => (values.length > 0 ? values : ['']);

/** The user, their invites and deliveries; undefined when the client has no such user. */
export async function findErasureTarget(
  db: Db,
  clientId: string,
  userId: string,
): Promise<ErasureTarget | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'phone_number'])
    .where('client_id', '=', clientId)
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const invites = await db
    .selectFrom('invites')
    .select(['id', 'email', 'phone_e164'])
    .where('client_id', '=', clientId)
    .where('user_id', '=', userId)
    .execute();
  const inviteIds = invites.map((i) => i.id);
  const deliveries = await db
    .selectFrom('deliveries')
    .select(['id', 'recipient'])
    .where('client_id', '=', clientId)
    .where('invite_id', 'in', orNone(inviteIds))
    .execute();
  const addresses = [
    user.email,
    ...invites.flatMap((i) => [i.email, i.phone_e164]),
    ...deliveries.map((d) => d.recipient),
  ].filter((a): a is string => Boolean(a));
  return {
    clientId,
    userId,
    inviteIds,
    deliveryIds: deliveries.map((d) => d.id),
    addresses: [...new Set(addresses.map((a) => a.toLowerCase()))],
  };
}

/**
 * Deletes every row that names the user, their invites or their deliveries, in the caller's
 * transaction. Queued and running jobs go with their rows, so nothing is sent for them again.
 */
export async function eraseTargetRows(trx: Db, t: ErasureTarget): Promise<void> {
  const { clientId, userId } = t;
  const invites = orNone(t.inviteIds);
  const ids = [userId, ...t.inviteIds];
  // Webhook deliveries carry the event's data: every one whose payload names the user or an invite.
  const hookDeliveries = (
    await trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('client_id', '=', clientId)
      .where(mentionsAny('payload', ids))
      .execute()
  ).map((r) => r.id);
  const byDelivery = orNone([...t.deliveryIds, ...hookDeliveries]);
  const jobs = (
    await trx
      .selectFrom('jobs')
      .select('id')
      .where('client_id', '=', clientId)
      .where((eb) => eb.or([eb('invite_id', 'in', invites), eb('delivery_id', 'in', byDelivery)]))
      .execute()
  ).map((r) => r.id);

  await trx
    .deleteFrom('job_attempts')
    .where('client_id', '=', clientId)
    .where((eb) => eb.or([eb('job_id', 'in', orNone(jobs)), eb('delivery_id', 'in', byDelivery)]))
    .execute();
  await trx.deleteFrom('jobs').where('client_id', '=', clientId).where('id', 'in', orNone(jobs)).execute();
  await trx
    .deleteFrom('webhook_deliveries')
    .where('client_id', '=', clientId)
    .where('id', 'in', orNone(hookDeliveries))
    .execute();
  // A completion notice goes to a reply_to address and names the invite in its text.
  await trx
    .deleteFrom('outbox_messages')
    .where('client_id', '=', clientId)
    .where((eb) =>
      eb.or([
        eb('delivery_id', 'in', orNone(t.deliveryIds)),
        eb.and([eb('delivery_id', 'is', null), mentionsAny('text_body', t.inviteIds)]),
      ]),
    )
    .execute();
  await trx
    .deleteFrom('idempotency_keys')
    .where('client_id', '=', clientId)
    .where((eb) =>
      eb.or([
        eb('resource', 'in', orNone(t.inviteIds.map((id) => `invite:${id}`))),
        mentionsAny('body', ids),
      ]),
    )
    .execute();
  for (const table of ['invite_events', 'invite_reply_to', 'shareable_entries', 'deliveries'] as const) {
    await trx.deleteFrom(table).where('client_id', '=', clientId).where('invite_id', 'in', invites).execute();
  }
  for (const table of ['documents', 'form_responses', 'accounts'] as const) {
    await trx
      .deleteFrom(table)
      .where('client_id', '=', clientId)
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('invite_id', 'in', invites)]))
      .execute();
  }
  await trx.deleteFrom('invites').where('client_id', '=', clientId).where('id', 'in', invites).execute();
  await trx.deleteFrom('users').where('client_id', '=', clientId).where('id', '=', userId).execute();
  // Upload and Shareable URL counters name the invite, the user or the address in their bucket.
  await trx
    .deleteFrom('rate_limits')
    .where((eb) =>
      eb.or([
        mentionsAny('bucket', ids),
        ...t.addresses.map(
          (a) => sql<boolean>`lower(bucket) like ${`share:address:%:${escapeLike(a)}`} escape '\\'`,
        ),
      ]),
    )
    .execute();
  // A suppression is about an address: it stays while another invite of the client still uses it.
  for (const address of t.addresses) {
    await trx
      .deleteFrom('suppressions')
      .where('client_id', '=', clientId)
      .where('address', '=', address)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('invites')
              .select('id')
              .where('client_id', '=', clientId)
              .where((w) => w.or([w(sql`lower(email)`, '=', address), w('phone_e164', '=', address)])),
          ),
        ),
      )
      .execute();
  }
}
