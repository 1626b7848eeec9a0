import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { OpenApiChecker } from './helpers/openapi.ts';

// The other tests trust this checker to catch drift between answers and the document;
// these prove it rejects what it should, so a silent checker cannot pass for a green run.
let t: TestApp;
let checker: OpenApiChecker;
let invite: any;
const ID = '0190c5b8-8fa1-77b3-89af-14b3e18da8a7';

beforeAll(async () => {
  t = await startTestApp();
  checker = new OpenApiChecker((await t.app.inject({ method: 'GET', url: '/openapi.json' })).json());
  invite = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
});
afterAll(() => t.close());

const retrieve =
  (body: unknown, status = 200) =>
  () =>
    checker.check('GET', `/v2/invites/${ID}`, status, body);
const list = (results: unknown[]) => () =>
  checker.check('GET', '/v2/invites?limit=1', 200, { next: null, previous: null, results });

describe('OpenApiChecker', () => {
  it('accepts a real invite, alone and in a list', () => {
    expect(retrieve(invite)).not.toThrow();
    expect(list([{ ...invite, user_token: null }])).not.toThrow();
    expect(() =>
      checker.check('POST', `/v2/invites/${ID}/revoke`, 404, { detail: 'Not found.' }),
    ).not.toThrow();
  });

  it('rejects an undocumented key', () => {
    expect(retrieve({ ...invite, secret: 'x' })).toThrow(/additional/);
    expect(list([{ ...invite, secret: 'x' }])).toThrow(/additional/);
    const deliveries = [{ ...invite.deliveries[0], provider: 'smtp' }];
    expect(retrieve({ ...invite, deliveries })).toThrow(/additional/);
  });

  it('rejects a missing key', () => {
    const { reply_to: _gone, ...rest } = invite;
    expect(retrieve(rest)).toThrow(/reply_to/);
    expect(list([rest])).toThrow(/reply_to/);
    const { next: _next, ...page } = { next: null, previous: null, results: [] };
    expect(() => checker.check('GET', '/v2/invites', 200, page)).toThrow(/next/);
  });

  it('rejects a value outside its enum or type', () => {
    expect(retrieve({ ...invite, status: 'pending' })).toThrow(/status/);
    expect(retrieve({ ...invite, deliveries: [{ ...invite.deliveries[0], method: 'fax' }] })).toThrow();
    expect(retrieve({ ...invite, created_at: 'yesterday' })).toThrow(/created_at/);
    expect(retrieve({ ...invite, flow_items: 'item_000000001' })).toThrow(/flow_items/);
  });

  it('rejects a status the operation does not document', () => {
    expect(retrieve({ detail: "I'm a teapot." }, 418)).toThrow(/does not document/);
    expect(retrieve(invite, 201)).toThrow(/does not document/);
    expect(() => checker.check('POST', '/v2/invites', 402, { detail: 'Payment required.' })).toThrow(
      /does not document/,
    );
  });

  it('rejects an error body without detail', () => {
    expect(retrieve({ message: 'Not found.' }, 404)).toThrow();
    expect(() => checker.check('PUT', '/v2/invites', 405, { error: 'nope' })).toThrow();
  });
});
