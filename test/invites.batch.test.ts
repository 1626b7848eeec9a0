import { jwtVerify } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../src/db/client.ts';
import { type Credentials, countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ IDEMPOTENCY_LEASE_SECONDS: '2' });
});
afterAll(() => t?.close());

const batch = (invites: unknown, o: { headers?: Record<string, string>; auth?: Credentials } = {}) =>
  t.request('POST', '/v2/invites/batch', { body: { invites }, ...o });

/** A client of its own, so its invites and outbox hold only what one test sent. */
const client = () => t.newKey();

/** The emails the capture channel kept for a client, once the worker sent them. */
function emailsOf(auth: Credentials) {
  return t.deps.db
    .selectFrom('outbox_messages')
    .select(['delivery_id', 'text_body'])
    .where('client_id', '=', auth.client_id)
    .where('channel', '=', 'email')
    .execute();
}

async function invitesOf(clientId: string): Promise<{ id: string; external_id: string | null }[]> {
  return t.deps.db
    .selectFrom('invites')
    .select(['id', 'external_id'])
    .where('client_id', '=', clientId)
    .execute();
}

/** What differs between two sends of one body: ids, the token, the URL. */
function sameSend(invite: any) {
  return {
    ...invite,
    id: expect.any(String),
    user: expect.any(String),
    user_token: expect.any(String),
    url: expect.any(String),
    deliveries: invite.deliveries.map((d: any) => ({ ...d, id: expect.any(String) })),
  };
}

describe('POST /v2/invites/batch', () => {
  it('sends the valid items as single sends do and answers the bad ones with their own errors, in order', async () => {
    const auth = await client();
    const bodies = [
      inviteBody({ external_id: 'first' }),
      { first_name: 'Nobody' },
      inviteBody({
        first_name: '  Ana ',
        last_name: 'Ruiz',
        email: ' ana@example.com ',
        phone_number: '   ',
      }),
      inviteBody({ email: 'not-an-email', phone_number: '12', flow_id: 'NOSUCHFL', last_name: 'a\u0000b' }),
      inviteBody({ phone_number: undefined, flow_items: ['ITEM_1', 'ITEM_2'] }),
    ];
    const before = await countRows(t.deps);
    const res = await batch(structuredClone(bodies), { auth });
    expect(res.status).toBe(200);
    const results = res.body.results;
    expect(results).toHaveLength(5);
    expect(results.map((r: any) => Object.keys(r))).toEqual([
      ['invite'],
      ['errors'],
      ['invite'],
      ['errors'],
      ['invite'],
    ]);
    expect(results[2].invite).toMatchObject({
      first_name: 'Ana',
      email: 'ana@example.com',
      phone_number: null,
    });
    expect(results[4].invite).toMatchObject({ flow_items: ['ITEM_1', 'ITEM_2'], phone_number: null });

    // Nothing was written for the bad items: three invites, one user each, their deliveries.
    const after = await countRows(t.deps);
    const added = (table: string) => (after[table] ?? 0) - (before[table] ?? 0);
    expect(added('invites')).toBe(3);
    expect(added('users')).toBe(3);
    expect(added('deliveries')).toBe(2 + 1 + 1);

    // The same bodies sent one by one: the same invites (but for ids) and the same errors.
    for (const [i, body] of bodies.entries()) {
      const single = await t.request('POST', '/v2/invites', { auth, body: structuredClone(body) });
      if ('errors' in results[i]) {
        expect(single.status).toBe(400);
        expect(results[i].errors).toEqual(single.body);
      } else {
        expect(single.status).toBe(200);
        expect(results[i].invite).toEqual(sameSend(single.body));
      }
    }
    expect(results[1].errors).toEqual({
      last_name: ['This field is required.'],
      non_field_errors: ['Either email or phone_number is required.'],
    });
    expect(Object.keys(results[3].errors).sort()).toEqual(['email', 'flow_id', 'last_name', 'phone_number']);

    // Each invite carries a user token of its own user.
    for (const r of [results[0], results[2], results[4]]) {
      const { payload } = await jwtVerify(r.invite.user_token, t.deps.userTokenKey, {
        currentDate: t.clock.now(),
      });
      expect(payload.sub).toBe(r.invite.user);
      const got = await t.request('GET', `/v2/invites/${r.invite.id}`, { auth });
      expect(got.body).toEqual({ ...r.invite, user_token: expect.any(String) });
    }

    // The worker sends each batch invite's email as it sends a single send's (SMS to one number
    // are paced, so they are not all due yet).
    await t.drain();
    const emails = await emailsOf(auth);
    for (const r of [results[0], results[2], results[4]]) {
      const email = r.invite.deliveries.find((d: any) => d.method === 'email');
      const captured = emails.filter((m) => m.delivery_id === email.id);
      expect(captured).toHaveLength(1);
      expect(captured[0]?.text_body).toContain(r.invite.url);
    }
    // Three batch invites and the same three sent singly.
    expect(emails).toHaveLength(6);
  });

  it('renders each item with the template it names, else the default, as single sends do', async () => {
    const auth = await client();
    const flow = async (name: string) => {
      const res = await t.request('POST', '/v2/flows', {
        auth,
        body: { type: 'email_sms_template', name, email: { subject: `${name} subject` } },
      });
      expect(res.status).toBe(200);
      return res.body.id as string;
    };
    const [first, second] = [await flow('First'), await flow('Second')];
    const settings = await t.request('PATCH', '/v2/invite-settings', {
      auth,
      body: { default_flow_id: second },
    });
    expect(settings.status).toBe(200);
    const res = await batch(
      [
        inviteBody({ flow_id: first, email: 'one@example.com' }),
        inviteBody({ email: 'two@example.com' }),
        inviteBody({ flow_id: 'NOSUCHFL' }),
        inviteBody({ flow_id: first.toLowerCase(), email: 'three@example.com' }),
      ],
      { auth },
    );
    expect(res.status).toBe(200);
    const [one, two, bad, three] = res.body.results;
    expect(one.invite.rendered_flow_id).toBe(first);
    expect(two.invite.rendered_flow_id).toBe(second);
    expect(bad.errors).toEqual({ flow_id: ['Invalid flow "NOSUCHFL" - no Email/SMS template has this ID.'] });
    expect(three.invite.rendered_flow_id).toBe(first);
    await t.drain();
    const subjects = await t.deps.db
      .selectFrom('outbox_messages')
      .select(['to_address', 'subject'])
      .where('client_id', '=', auth.client_id)
      .where('channel', '=', 'email')
      .orderBy('to_address')
      .execute();
    expect(subjects).toEqual([
      { to_address: 'one@example.com', subject: 'First subject' },
      { to_address: 'three@example.com', subject: 'First subject' },
      { to_address: 'two@example.com', subject: 'Second subject' },
    ]);
  });

  it('answers an item that is not an object with its own error', async () => {
    const auth = await client();
    const res = await batch([1, 'sarah', null, [], inviteBody()], { auth });
    expect(res.status).toBe(200);
    const errors = res.body.results.slice(0, 4).map((r: any) => r.errors);
    expect(errors).toEqual([
      { non_field_errors: ['Invalid data. Expected a dictionary, but got int.'] },
      { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] },
      { non_field_errors: ['Invalid data. Expected a dictionary, but got NoneType.'] },
      { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] },
    ]);
    expect(res.body.results[4].invite.email).toBe('sarah@email.com');
    expect(await invitesOf(auth.client_id)).toHaveLength(1);
  });

  it('refuses a body without 1 to 1,000 invites with a 400 on `invites`, sending nothing', async () => {
    const auth = await client();
    const cases: [unknown, string][] = [
      [[], 'This list may not be empty.'],
      [Array.from({ length: 1001 }, () => inviteBody()), 'Ensure this field has no more than 1000 elements.'],
      [inviteBody(), 'Expected a list of items but got type "dict".'],
      ['nope', 'Expected a list of items but got type "str".'],
    ];
    for (const [invites, message] of cases) {
      const res = await batch(invites, { auth });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ invites: [message] });
    }
    const missing = await t.request('POST', '/v2/invites/batch', { auth, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ invites: ['This field is required.'] });
    expect(await invitesOf(auth.client_id)).toHaveLength(0);
  });

  it('answers the same Idempotency-Key and body with the same results, sending nothing again', async () => {
    const auth = await client();
    const headers = { 'idempotency-key': 'batch-once' };
    const invites = [inviteBody({ external_id: 'a' }), { first_name: 'x' }, inviteBody({ external_id: 'b' })];
    const first = await batch(invites, { auth, headers });
    expect(first.status).toBe(200);
    await t.drain();
    const sent = (await emailsOf(auth)).length;
    expect(sent).toBe(2);

    const again = await batch(invites, { auth, headers });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    await t.drain();
    expect(await invitesOf(auth.client_id)).toHaveLength(2);
    expect(await emailsOf(auth)).toHaveLength(sent);

    // The same key with another batch is another request.
    const other = await batch([inviteBody()], { auth, headers });
    expect(other.status).toBe(400);

    // Without a key, a retry sends again, as a single send does.
    await batch(invites, { auth });
    expect(await invitesOf(auth.client_id)).toHaveLength(4);
  });

  it('runs concurrent requests with one key once, answering each alike', async () => {
    const auth = await client();
    const headers = { 'idempotency-key': 'batch-concurrent' };
    const invites = Array.from({ length: 20 }, (_, i) => inviteBody({ external_id: `c-${i}` }));
    const answers = await Promise.all(Array.from({ length: 5 }, () => batch(invites, { auth, headers })));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual(answers[0]?.body);
    }
    expect(await invitesOf(auth.client_id)).toHaveLength(20);
  });

  it("keeps each client's Idempotency-Keys apart", async () => {
    const [one, two] = [await client(), await client()];
    const headers = { 'idempotency-key': 'shared-key' };
    const invites = [inviteBody({ external_id: 'mine' })];
    const a = await batch(invites, { auth: one, headers });
    const b = await batch(invites, { auth: two, headers });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.results[0].invite.id).not.toBe(a.body.results[0].invite.id);
    expect(await invitesOf(one.client_id)).toHaveLength(1);
    expect(await invitesOf(two.client_id)).toHaveLength(1);
  });

  it('sends 500 invites in one request, each once', { timeout: 120_000 }, async () => {
    const auth = await client();
    const invites = Array.from({ length: 500 }, (_, i) =>
      inviteBody({ external_id: `bulk-${i}`, email: `bulk-${i}@example.com` }),
    );
    const res = await batch(invites, { auth });
    expect(res.status).toBe(200);
    const ids = res.body.results.map((r: any) => r.invite.id);
    expect(new Set(ids).size).toBe(500);
    res.body.results.forEach((r: any, i: number) => {
      expect(r.invite.email).toBe(`bulk-${i}@example.com`);
    });
    const stored = await invitesOf(auth.client_id);
    expect(stored).toHaveLength(500);
    expect(new Set(stored.map((s) => s.external_id)).size).toBe(500);
    expect(new Set(stored.map((s) => s.id))).toEqual(new Set(ids));
  });
});

/** The tables a send writes, each row with the column that orders it as it was made. */
const WRITTEN = [
  ['users', 'id'],
  ['invites', 'id'],
  ['invite_reply_to', 'invite_id'],
  ['deliveries', 'id'],
  ['jobs', 'id'],
  ['invite_events', 'id'],
  ['webhook_deliveries', 'id'],
] as const;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Every row a client's sends wrote, in the order they were made, with each id (also inside
 * JSON and URLs) replaced by the order it first appears in: two clients that sent the same
 * things compare equal.
 */
async function writtenBy(clientId: string): Promise<Record<string, unknown[]>> {
  const ids = new Map<string, string>();
  const normal = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'string') {
      return v.replaceAll(clientId, 'CLIENT').replace(UUID, (id) => {
        const key = id.toLowerCase();
        if (!ids.has(key)) ids.set(key, `id-${ids.size}`);
        return ids.get(key) as string;
      });
    }
    if (Array.isArray(v)) return v.map(normal);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normal(x)]));
    return v;
  };
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of WRITTEN) {
    const rows = await t.deps.db
      .selectFrom(table)
      .selectAll()
      .where('client_id', '=', clientId)
      .orderBy(order)
      .$if(table === 'invite_reply_to', (q) => q.orderBy('email' as never))
      .execute();
    out[table] = rows.map(normal);
  }
  return out;
}

describe('what a batch writes', () => {
  it('writes the rows, jobs, events and webhooks that the same items sent one by one write', async () => {
    // Two clients set up alike: reminders and expiry on, a webhook for every event.
    const setUp = async () => {
      const auth = await client();
      const settings = await t.request('PATCH', '/v2/invite-settings', {
        auth,
        body: {
          reminders: {
            enabled: true,
            after_days: 2,
            max_count: 2,
            send_window: { start: '09:00', end: '18:00', timezone: 'America/Bogota' },
          },
          expiry: { enabled: true, after_days: 7 },
        },
      });
      expect(settings.status).toBe(200);
      const hook = await t.request('POST', '/v2/webhooks', {
        auth,
        body: { name: 'Everything', url: 'https://93.184.215.14/hooks/all', events: ['*'] },
      });
      expect(hook.status).toBe(200);
      return auth;
    };
    const [batched, single] = [await setUp(), await setUp()];
    const items = [
      inviteBody({ external_id: 'both' }),
      inviteBody({ email: 'mail-only@example.com', phone_number: undefined, flow_items: ['ITEM_1'] }),
      { first_name: 'Not', last_name: 'Valid' },
      inviteBody({ email: undefined, phone_number: '212-555-0101' }),
      inviteBody({
        email: 'replies@example.com',
        override_invite_template: { email: { reply_to: ['Team@Example.com', 'help@example.com'] } },
      }),
    ];

    const res = await batch(structuredClone(items), { auth: batched });
    expect(res.status).toBe(200);
    for (const item of items) {
      await t.request('POST', '/v2/invites', { auth: single, body: structuredClone(item) });
    }

    const fromBatch = await writtenBy(batched.client_id);
    const fromSingles = await writtenBy(single.client_id);
    expect(fromBatch).toEqual(fromSingles);
    // Everything a send writes is there to compare.
    expect(fromBatch.invites).toHaveLength(4);
    expect(fromBatch.invite_reply_to).toHaveLength(2);
    expect(fromBatch.invite_events).toHaveLength(4);
    expect(new Set(fromBatch.jobs?.map((j: any) => j.kind))).toEqual(
      new Set(['invite.expire', 'invite.remind', 'delivery.send', 'webhook.send']),
    );
    expect(fromBatch.webhook_deliveries?.map((d: any) => d.event)).toEqual(
      Array.from({ length: 4 }, () => ['users.created', 'invites.sent']).flat(),
    );
  });
});

/**
 * Makes the database refuse to write an invite whose external_id is `refused`, as a fault
 * between the transactions of a batch would: the parts before it are committed.
 */
async function refuseInvites(on: boolean): Promise<void> {
  const db = t.deps.db;
  if (isPostgres(db)) {
    if (on) {
      await sql`create function refuse_invite() returns trigger language plpgsql as $$
        begin raise exception 'refused by the test'; end $$`.execute(db);
      await sql`create trigger refuse_invite before insert on invites for each row
        when (new.external_id = 'refused') execute function refuse_invite()`.execute(db);
    } else {
      await sql`drop trigger refuse_invite on invites`.execute(db);
      await sql`drop function refuse_invite()`.execute(db);
    }
  } else if (on) {
    await sql`create trigger refuse_invite before insert on invites
      when new.external_id = 'refused' begin select raise(abort, 'refused by the test'); end`.execute(db);
  } else {
    await sql`drop trigger refuse_invite`.execute(db);
  }
}

describe('a batch that fails between its transactions', () => {
  it('is finished by a retry with its Idempotency-Key, each item sent once', {
    timeout: 120_000,
  }, async () => {
    const auth = await client();
    const headers = { 'idempotency-key': 'batch-fault' };
    // 250 items: the fault strikes in the second transaction of 100.
    const invites = Array.from({ length: 250 }, (_, i) =>
      inviteBody({ external_id: i === 150 ? 'refused' : `part-${i}`, phone_number: undefined }),
    );
    await refuseInvites(true);
    try {
      const failed = await batch(invites, { auth, headers });
      expect(failed.status).toBe(500);
    } finally {
      await refuseInvites(false);
    }
    const committed = await invitesOf(auth.client_id);
    expect(committed).toHaveLength(100);

    // The key stays held until its lease lapses; then the retry takes it over.
    t.clock.set(new Date(t.clock.now().getTime() + 3000));
    const retry = await batch(invites, { auth, headers });
    expect(retry.status).toBe(200);
    const results = retry.body.results;
    expect(results).toHaveLength(250);
    // Item by item: the first 100 answered from what the failed request made, the rest sent now.
    const stored = new Map((await invitesOf(auth.client_id)).map((s) => [s.id, s.external_id]));
    expect(stored.size).toBe(250);
    results.forEach((r: any, i: number) => {
      expect(stored.get(r.invite.id)).toBe(i === 150 ? 'refused' : `part-${i}`);
    });
    expect(committed.every((c) => results.some((r: any) => r.invite.id === c.id))).toBe(true);
    await t.drain();
    expect(await emailsOf(auth)).toHaveLength(250);

    // The finished answer is kept: another retry replays it.
    const replay = await batch(invites, { auth, headers });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(retry.body);
  });
});
