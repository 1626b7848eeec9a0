import Fastify from 'fastify';
import { openConnections } from '../src/db/sqlite.ts';
import { newId } from '../src/lib/ids.ts';

/**
 * The floor: bare Fastify doing only the database work the API cannot skip, on invitekit's
 * own schema and SQLite settings, and nothing else: no auth, validation, user token,
 * idempotency, logging, metrics or webhooks. Between the ceiling (no database at all) and
 * the real routes, it shows how much of the gap is the storage itself.
 *
 * - `GET /floor/invites/:id` reads the invite and its deliveries from READ_DB by key, as
 *   the retrieve does, and answers them as JSON.
 * - `POST /floor/invites` writes one send's rows (the user, the invite, its delivery, the
 *   delivery's job and `invite.sent`), copied from the template invite TEMPLATE_INVITE with
 *   fresh time-ordered ids, as the API's are. They go to WRITE_DB, a file of its own that
 *   starts nearly empty (the API's holds the seeded invites). Sends of one event-loop turn
 *   share a commit, each in its own savepoint, as the API's group commit does.
 */

type Row = Record<string, unknown>;

// The app's own connection settings: reads on a reader, writes on a writer.
const { reader } = openConnections(String(process.env.READ_DB));
const readInvite = reader.prepare('select * from invites where client_id = ? and id = ?');
const readDeliveries = reader.prepare(
  'select * from deliveries where client_id = ? and invite_id = ? order by created_at desc, id desc',
);
const readClient = reader.prepare('select client_id from invites where id = ?');
const clientOf = new Map<string, string>();

const { writer } = openConnections(String(process.env.WRITE_DB));
const templateId = String(process.env.TEMPLATE_INVITE);
const invite = writer.prepare('select * from invites where id = ?').get(templateId) as Row;
const byInvite = (table: string) =>
  writer
    .prepare(`select * from ${table} where client_id = ? and invite_id = ?`)
    .all(invite.client_id, templateId) as Row[];
const template = {
  users: writer
    .prepare('select * from users where client_id = ? and id = ?')
    .all(invite.client_id, invite.user_id) as Row[],
  invites: [invite],
  deliveries: byInvite('deliveries'),
  jobs: byInvite('jobs'),
  invite_events: byInvite('invite_events'),
};
const inserts = Object.fromEntries(
  Object.entries(template).map(([table, rows]) => {
    const cols = Object.keys(rows[0] ?? {});
    const sql = `insert into ${table} (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`;
    return [table, { cols, stmt: writer.prepare(sql) }];
  }),
);

/** One send's rows: the template's, with new ids and the given email. */
function writeSend(email: string): Row {
  const ids = new Map<unknown, string>();
  const fresh = (old: unknown) => {
    const id = ids.get(old) ?? newId();
    ids.set(old, id);
    return id;
  };
  let written: Row = {};
  for (const [table, rows] of Object.entries(template)) {
    const { cols, stmt } = inserts[table]!;
    for (const row of rows) {
      const copy: Row = { ...row, id: fresh(row.id) };
      for (const ref of ['invite_id', 'user_id', 'delivery_id']) if (ref in copy) copy[ref] = fresh(row[ref]);
      if (table === 'invites') {
        copy.email = email;
        written = copy;
      }
      stmt.run(cols.map((c) => copy[c]));
    }
  }
  return written;
}

let inTransaction = false;
const waiting: (() => void)[] = [];
function commit(): void {
  writer.exec('commit');
  inTransaction = false;
  for (const done of waiting.splice(0)) done();
}

/** Writes a send in the turn's shared transaction, in its own savepoint; resolves once committed. */
function send(email: string): Promise<Row> {
  if (!inTransaction) {
    writer.exec('begin immediate');
    inTransaction = true;
    setImmediate(commit);
  }
  writer.exec('savepoint member');
  let row: Row;
  try {
    row = writeSend(email);
    writer.exec('release member');
  } catch (err) {
    writer.exec('rollback to member');
    writer.exec('release member');
    return Promise.reject(err);
  }
  return new Promise((resolve) => waiting.push(() => resolve(row)));
}

const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/floor/invites/:id', async (req, reply) => {
  const id = req.params.id;
  let clientId = clientOf.get(id);
  if (!clientId) {
    clientId = (readClient.get(id) as { client_id: string } | undefined)?.client_id ?? '';
    clientOf.set(id, clientId);
  }
  const row = readInvite.get(clientId, id) as Row | undefined;
  if (!row) return reply.code(404).send({ error: 'not found' });
  return { ...row, deliveries: readDeliveries.all(clientId, id) };
});
app.post<{ Body: { email?: string } }>('/floor/invites', async (req) => send(String(req.body?.email ?? '')));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
