import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../src/db/client.ts';
import { type Credentials, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { Browser, hiddenField, pathOf } from './helpers/link.ts';
import { type Receiver, webhookReceiver } from './helpers/webhooks.ts';

let t: TestApp;
let rcv: Receiver;
beforeAll(async () => {
  t = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_SECONDS: '1' });
  rcv = await webhookReceiver();
});
afterAll(async () => {
  await t?.close();
  await rcv?.close();
});

/** Every text column of every table, read from the database itself, so a new table is scanned too. */
async function textColumns(): Promise<{ table: string; column: string }[]> {
  const db = t.deps.db;
  if (isPostgres(db)) {
    const rows = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type in ('text', 'character varying', 'json', 'jsonb')`.execute(
      db,
    );
    return rows.rows.map((r) => ({ table: r.table_name, column: r.column_name }));
  }
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  const out: { table: string; column: string }[] = [];
  for (const { name } of tables.rows) {
    const cols = await sql<{
      name: string;
      type: string;
    }>`select name, type from pragma_table_info(${name})`.execute(db);
    for (const c of cols.rows) if (!/blob|int|real/i.test(c.type)) out.push({ table: name, column: c.name });
  }
  return out;
}

/** `table.column` of every row that holds any of the values, in any case. */
async function mentionsOf(values: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const { table, column } of await textColumns()) {
    for (const value of values) {
      const res = await sql<{ n: number | string }>`
        select count(*) as n from ${sql.table(table)}
        where lower(cast(${sql.ref(column)} as text)) like ${`%${value.toLowerCase()}%`}`.execute(t.deps.db);
      const n = Number(res.rows[0]?.n ?? 0);
      if (n > 0) found.push(`${table}.${column} (${value}): ${n}`);
    }
  }
  return found;
}

async function send(key: Credentials, over: Record<string, unknown>, idempotencyKey: string) {
  const res = await t.request('POST', '/v2/invites', {
    auth: key,
    body: inviteBody(over),
    headers: { 'idempotency-key': idempotencyKey },
  });
  expect(res.status).toBe(200);
  return res.body;
}

/** The recipient answers the form, uploads a file and connects an account: every row a recipient makes. */
async function complete(invite: any, fileName: string) {
  const b = new Browser(t.app);
  const base = pathOf(invite.url);
  const items = await b.follow(await b.submit(await b.get(base)));
  expect(items.status).toBe(200);
  const form = await b.get(`/connect/${invite.id}/form`);
  await b.follow(await b.submit(form, { employer: 'Bluebird Grocers', job_title: 'Cashier' }));
  const upload = await b.get(`${base}/upload`);
  const done = await b.upload(
    `${base}/upload`,
    { _csrf: hiddenField(upload.html, '_csrf'), _submission: hiddenField(upload.html, '_submission') },
    { name: fileName, type: 'application/pdf', content: Buffer.from('%PDF-1.4 pay stub') },
  );
  expect(done.location).toMatch(/\/success/);
  const login = await b.follow(
    await b.submit(await b.get(`${base}/items/item_000000011`), { username: 'test_2', password: 'passgood' }),
  );
  await b.submit(login, { code: '8082' });
  const status = (await t.request('GET', `/v2/invites/${invite.id}`, { auth: invite.__key })).body.status;
  expect(status).toBe('completed');
}

describe('DELETE /v2/users/{id}', () => {
  it('erases the user and everything that names them, and nothing of anyone else', async () => {
    const key = await t.newKey();
    const hook = await t.request('POST', '/v2/webhooks', {
      auth: key,
      body: { events: ['*'], name: 'all', url: rcv.url('/erase'), secret: 'whsec-test-0123456789abcdef' },
    });
    expect(hook.status).toBe(200);

    // Every webhook about either user is still to be delivered when the erasure comes.
    rcv.otherwise('/erase', 500);
    const email = 'erase.me@example.com';
    // The sandbox's STOP number: the text ends in a suppression of the number.
    const phone = '+15005550004';
    const gone = await send(
      key,
      { email, phone_number: phone, override_invite_template: { email: { reply_to: ['boss@example.com'] } } },
      'erase-1',
    );
    const kept = await send(key, { email: 'keep.me@example.com', phone_number: '212-555-0123' }, 'keep-1');
    gone.__key = key;
    kept.__key = key;
    await t.drain();
    // Texts are paced per sender: the second waits for its slot.
    t.clock.advance(2000);
    await t.drain();
    await complete(gone, `${email} pay stub.pdf`);
    await complete(kept, 'keep pay stub.pdf');
    await t.drain();
    const another = await send(key, { email: 'third@example.com' }, 'keep-2');
    await t.drain();

    const goneDeliveries = (await t.request('GET', `/v2/invites/${gone.id}`, { auth: key })).body.deliveries;
    const goneValues = [gone.user, gone.id, email, phone, ...goneDeliveries.map((d: any) => d.id)];
    const keptValues = [kept.user, kept.id, 'keep.me@example.com'];
    // The scan finds what a user leaves behind: in these tables at least.
    const before = (await mentionsOf(goneValues)).join('\n');
    for (const table of [
      'users',
      'invites',
      'deliveries',
      'invite_events',
      'invite_reply_to',
      'outbox_messages',
      'jobs',
      'job_attempts',
      'webhook_deliveries',
      'idempotency_keys',
      'accounts',
      'documents',
      'form_responses',
      'suppressions',
      'rate_limits',
    ]) {
      expect(before).toContain(`${table}.`);
    }
    const keptBefore = await mentionsOf(keptValues);

    // Another client cannot erase the user, nor learn that it exists.
    const stranger = await t.request('DELETE', `/v2/users/${gone.user}`);
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({ detail: 'Not found.' });
    expect((await t.request('GET', `/v2/users/${gone.user}`, { auth: key })).status).toBe(200);

    const erased = await t.request('DELETE', `/v2/users/${gone.user}`, { auth: key });
    expect(erased.status).toBe(204);
    expect(erased.raw).toBe('');

    expect(await mentionsOf(goneValues)).toEqual([]);
    expect(await mentionsOf(keptValues)).toEqual(keptBefore);
    expect((await t.request('GET', `/v2/users/${gone.user}`, { auth: key })).status).toBe(404);
    expect((await t.request('GET', `/v2/invites/${gone.id}`, { auth: key })).status).toBe(404);
    const again = await t.request('DELETE', `/v2/users/${gone.user}`, { auth: key });
    expect(again.status).toBe(404);
    expect((await t.request('GET', `/v2/invites/${kept.id}`, { auth: key })).body.status).toBe('completed');
    expect((await t.request('GET', `/v2/invites/${another.id}`, { auth: key })).status).toBe(200);

    // The jobs queued for the user went too: once the receiver answers, only the others' arrive.
    const hitsBefore = rcv.hits('/erase').length;
    rcv.otherwise('/erase', 200);
    t.clock.advance(24 * 3600_000);
    await t.drain();
    const late = rcv.hits('/erase').slice(hitsBefore);
    expect(late.length).toBeGreaterThan(0);
    expect(late.some((h) => h.raw.includes(kept.id))).toBe(true);
    for (const h of late) {
      for (const value of goneValues) expect(h.raw.toLowerCase()).not.toContain(value.toLowerCase());
    }
    expect(await mentionsOf(goneValues)).toEqual([]);
  });

  it('answers 404 for an id no user has', async () => {
    const res = await t.request('DELETE', '/v2/users/7b0e5d2e-9a4f-4c1b-8f3e-2d6a1c9b0e47');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Not found.' });
    expect((await t.request('DELETE', '/v2/users/not-a-uuid')).status).toBe(404);
  });
});
