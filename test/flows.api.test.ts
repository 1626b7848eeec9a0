import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFlow, insertFlow, onlyFlow } from '../src/flows/flows.repo.ts';
import { type Credentials, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const ID = /^[0-9A-Z]{8}$/;
const TEMPLATE_NULLS = {
  brand: null,
  email: null,
  sms_text: null,
  landing_page: null,
  success_page: null,
  flow_items: null,
};
const flowBody = (over: Record<string, unknown> = {}) => ({
  type: 'email_sms_template',
  name: 'Onboarding',
  ...over,
});
const countFlows = async () =>
  Number(
    (
      await t.deps.db
        .selectFrom('flows')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const create = async (over: Record<string, unknown> = {}, auth?: Credentials) => {
  const res = await t.request('POST', '/v2/flows', { body: flowBody(over), auth });
  expect(res.status).toBe(200);
  return res.body;
};

describe('POST/GET/PATCH/DELETE /v2/flows', () => {
  it('creates a flow with an 8-character id, every unset template field null', async () => {
    const res = await t.request('POST', '/v2/flows', { body: flowBody() });
    expect(res.status).toBe(200);
    const now = t.clock.now().toISOString();
    expect(res.body).toEqual({
      id: expect.stringMatching(ID),
      type: 'email_sms_template',
      name: 'Onboarding',
      language: 'en',
      created_at: now,
      updated_at: now,
      ...TEMPLATE_NULLS,
    });
    expect((await t.request('GET', `/v2/flows/${res.body.id}`)).body).toEqual(res.body);
  });

  it('keeps every template field given, and answers it on GET with a lower-case id', async () => {
    const template = {
      brand: { color: '#1A73E8', logo: 'https://example.com/logo.png' },
      email: { subject: 'Connect your payroll', sender: 'Acme HR', reply_to: ['hr@acme.com'] },
      sms_text: 'Connect here: {{ invite_url }}',
      landing_page: { header: 'Welcome', step_1: 'Find your employer' },
      success_page: { header: 'Done', button_text: 'Back', button_url: 'https://acme.com' },
      flow_items: ['item_000000001'],
    };
    const flow = await create({ name: 'Spanish', language: 'es', ...template });
    expect(flow).toMatchObject({ name: 'Spanish', language: 'es', ...template });
    const got = await t.request('GET', `/v2/flows/${flow.id.toLowerCase()}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(flow);
  });

  it('refuses bad flows field by field and writes nothing', async () => {
    const before = await countFlows();
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [flowBody({ type: 'link_flow' }), { type: expect.any(Array) }],
      [{ type: 'email_sms_template' }, { name: ['This field is required.'] }],
      [flowBody({ name: '   ' }), { name: ['This field may not be blank.'] }],
      [flowBody({ language: 'fr' }), { language: expect.any(Array) }],
      [
        flowBody({ brand: { color: 'blue' } }),
        { brand: { color: ['Enter a valid hex color, e.g. "#1A73E8".'] } },
      ],
      [
        flowBody({ success_page: { button_url: 'ftp://acme.com' } }),
        { success_page: { button_url: ['Enter a valid URL (http or https).'] } },
      ],
      [flowBody({ colour: '#fff' }), { non_field_errors: ['Invalid value.'] }],
      [flowBody({ flow_items: 'item_1' }), { flow_items: ['Expected a list of items but got type "str".'] }],
    ];
    for (const [body, errors] of cases) {
      const res = await t.request('POST', '/v2/flows', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual(errors);
      expect(res.body.detail).toBeUndefined();
    }
    expect(await countFlows()).toBe(before);
  });

  it('PATCH changes only the keys given and null clears a template field', async () => {
    const flow = await create({ sms_text: 'Hi', brand: { color: '#000000' }, flow_items: ['item_1'] });
    t.clock.advance(1000);
    const res = await t.request('PATCH', `/v2/flows/${flow.id}`, {
      body: { name: 'Renamed', sms_text: null, landing_page: { header: 'Hello' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...flow,
      name: 'Renamed',
      sms_text: null,
      landing_page: { header: 'Hello' },
      updated_at: t.clock.now().toISOString(),
    });
    expect((await t.request('GET', `/v2/flows/${flow.id}`)).body).toEqual(res.body);

    for (const body of [
      { type: 'email_sms_template' },
      { name: '' },
      { brand: { logo: 'nope' } },
      { name: null },
    ]) {
      const bad = await t.request('PATCH', `/v2/flows/${flow.id}`, { body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    expect((await t.request('GET', `/v2/flows/${flow.id}`)).body).toEqual(res.body);
  });

  it('loses no key when PATCHes of different keys arrive together', async () => {
    const flow = await create();
    const bodies = [
      { name: 'Both' },
      { language: 'es' },
      { sms_text: 'Hi' },
      { brand: { color: '#123456' } },
      { email: { subject: 'S' } },
      { landing_page: { header: 'L' } },
      { success_page: { header: 'D' } },
      { flow_items: ['item_1'] },
    ];
    const answers = await Promise.all(
      bodies.map((body) => t.request('PATCH', `/v2/flows/${flow.id}`, { body })),
    );
    expect(answers.map((r) => r.status)).toEqual(bodies.map(() => 200));
    expect((await t.request('GET', `/v2/flows/${flow.id}`)).body).toMatchObject(Object.assign({}, ...bodies));
  });

  it('DELETE hides the flow from every route but keeps the row for the invites it rendered', async () => {
    const flow = await create();
    expect((await t.request('DELETE', `/v2/flows/${flow.id}`)).status).toBe(204);
    expect((await t.request('GET', `/v2/flows/${flow.id}`)).status).toBe(404);
    expect((await t.request('PATCH', `/v2/flows/${flow.id}`, { body: { name: 'x' } })).status).toBe(404);
    expect((await t.request('DELETE', `/v2/flows/${flow.id}`)).status).toBe(404);
    const all = await t.request('GET', '/v2/flows?limit=200');
    expect(all.body.results.map((f: { id: string }) => f.id)).not.toContain(flow.id);

    const clientId = t.key.client_id;
    expect(await findFlow(t.deps.db, clientId, flow.id, { includeDeleted: false })).toBeUndefined();
    const kept = await findFlow(t.deps.db, clientId, flow.id, { includeDeleted: true });
    expect(kept).toMatchObject({ id: flow.id, deleted_at: t.clock.now().toISOString() });
  });

  it('answers 404 for ids that are not 8 letters or digits', async () => {
    for (const id of ['ABC', 'ABCDEFGHI', 'ABCD-EFG', '00000000']) {
      expect((await t.request('GET', `/v2/flows/${id}`)).status).toBe(404);
      expect((await t.request('PATCH', `/v2/flows/${id}`, { body: { name: 'x' } })).status).toBe(404);
      expect((await t.request('DELETE', `/v2/flows/${id}`)).status).toBe(404);
    }
  });
});

describe('flows per client', () => {
  it("answers another client's flow exactly like an unknown one, on every route", async () => {
    const other = await t.newKey();
    const theirs = await create({ name: 'Theirs' }, other);
    const unknown = await t.request('GET', '/v2/flows/ZZZZZZZZ');
    const attempts = [
      await t.request('GET', `/v2/flows/${theirs.id}`),
      await t.request('PATCH', `/v2/flows/${theirs.id}`, { body: { name: 'Mine now' } }),
      await t.request('DELETE', `/v2/flows/${theirs.id}`),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual(unknown.body);
    }
    const list = await t.request('GET', '/v2/flows?limit=200');
    expect(list.body.results.map((f: { id: string }) => f.id)).not.toContain(theirs.id);
    expect((await t.request('GET', `/v2/flows/${theirs.id}`, { auth: other })).body).toEqual(theirs);
  });

  it('lists newest first, page by page both ways', async () => {
    const auth = await t.newKey();
    const made = [];
    for (let i = 0; i < 5; i++) {
      made.push(await create({ name: `Flow ${i}` }, auth));
      t.clock.advance(1000);
    }
    const newest = [...made].reverse();
    const get = async (url: string) => {
      const u = new URL(url, 'http://x');
      const res = await t.request('GET', u.pathname + u.search, { auth });
      expect(res.status).toBe(200);
      return res.body;
    };
    const p1 = await get('/v2/flows?limit=2');
    expect(p1.results).toEqual(newest.slice(0, 2));
    expect(p1.previous).toBeNull();
    const p2 = await get(p1.next);
    expect(p2.results).toEqual(newest.slice(2, 4));
    const p3 = await get(p2.next);
    expect(p3).toMatchObject({ results: newest.slice(4), next: null });
    const back = await get(p3.previous);
    expect(back.results).toEqual(newest.slice(2, 4));
    const first = await get(back.previous);
    expect(first.results).toEqual(newest.slice(0, 2));
    expect(first.previous).toBeNull();
    expect((await t.request('GET', '/v2/flows?cursor=nonsense', { auth })).body).toEqual({
      cursor: ['Invalid cursor.'],
    });
  });

  it("finds the client's only live flow, and none when it has two", async () => {
    const auth = await t.newKey();
    expect(await onlyFlow(t.deps.db, auth.client_id)).toBeUndefined();
    const one = await create({}, auth);
    expect((await onlyFlow(t.deps.db, auth.client_id))?.id).toBe(one.id);
    const two = await create({}, auth);
    expect(await onlyFlow(t.deps.db, auth.client_id)).toBeUndefined();
    await t.request('DELETE', `/v2/flows/${two.id}`, { auth });
    expect((await onlyFlow(t.deps.db, auth.client_id))?.id).toBe(one.id);
  });

  it('never gives two clients the same id: a taken id is refused, not overwritten', async () => {
    const flow = await create();
    const row = await findFlow(t.deps.db, t.key.client_id, flow.id, { includeDeleted: false });
    if (!row) throw new Error('flow not stored');
    const other = await t.newKey();
    const before = await countFlows();
    expect(await insertFlow(t.deps.db, { ...row, client_id: other.client_id, name: 'Clash' })).toBe(false);
    expect(await countFlows()).toBe(before);
    expect((await t.request('GET', `/v2/flows/${flow.id}`)).body.name).toBe(flow.name);
  });
});

describe('Idempotency-Key on POST /v2/flows', () => {
  it('replays the first answer and makes one flow', async () => {
    const headers = { 'idempotency-key': 'flow-once' };
    const before = await countFlows();
    const first = await t.request('POST', '/v2/flows', { headers, body: flowBody({ name: 'Once' }) });
    const again = await t.request('POST', '/v2/flows', { headers, body: flowBody({ name: 'Once' }) });
    expect(first.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await countFlows()).toBe(before + 1);
  });

  it('answers a retry after a crash between commit and answer with the flow made', async () => {
    const headers = { 'idempotency-key': 'flow-crash' };
    const body = flowBody({ name: 'Crash' });
    const first = await t.request('POST', '/v2/flows', { headers, body });
    // What a crash leaves: the change and its mark committed, no answer stored, the lease gone.
    await t.deps.db
      .updateTable('idempotency_keys')
      .set({
        state: 'committed',
        status_code: null,
        content_type: null,
        body: null,
        locked_until: new Date(t.clock.now().getTime() - 60_000).toISOString(),
      })
      .where('key', '=', 'flow-crash')
      .execute();
    const before = await countFlows();
    const retry = await t.request('POST', '/v2/flows', { headers, body });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await countFlows()).toBe(before);
  });
});
