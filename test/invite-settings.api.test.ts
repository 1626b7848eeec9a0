import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInviteSettings } from '../src/settings/invite-settings.service.ts';
import { type Credentials, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const DEFAULTS = {
  company_name: null,
  sender: null,
  brand: { color: null, logo: null },
  default_flow_id: null,
  require_external_id: false,
  reminders: {
    enabled: false,
    after_days: 3,
    max_count: 2,
    send_window: { start: '09:00', end: '18:00', timezone: 'America/New_York' },
  },
  expiry: { enabled: false, after_days: 30 },
  updated_at: null,
};

const patch = (body: unknown, auth: Credentials) => t.request('PATCH', '/v2/invite-settings', { body, auth });
const get = async (auth: Credentials) => {
  const res = await t.request('GET', '/v2/invite-settings', { auth });
  expect(res.status).toBe(200);
  return res.body;
};
const makeFlow = async (auth: Credentials) =>
  (await t.request('POST', '/v2/flows', { body: { type: 'email_sms_template', name: 'F' }, auth })).body;

describe('GET/PATCH /v2/invite-settings', () => {
  it('answers the defaults until something is changed, and stores nothing for a read', async () => {
    const auth = await t.newKey();
    expect(await get(auth)).toEqual(DEFAULTS);
    const rows = await t.deps.db
      .selectFrom('invite_settings')
      .selectAll()
      .where('client_id', '=', auth.client_id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('changes only the keys given, merging nested objects, and null resets', async () => {
    const auth = await t.newKey();
    const first = await patch(
      { company_name: 'Acme', brand: { color: '#112233' }, reminders: { enabled: true } },
      auth,
    );
    expect(first.status).toBe(200);
    const now = t.clock.now().toISOString();
    const expected = {
      ...DEFAULTS,
      company_name: 'Acme',
      brand: { color: '#112233', logo: null },
      reminders: { ...DEFAULTS.reminders, enabled: true },
      updated_at: now,
    };
    expect(first.body).toEqual(expected);
    expect(await get(auth)).toEqual(expected);

    t.clock.advance(1000);
    const second = await patch(
      {
        brand: { logo: 'https://acme.com/logo.png' },
        reminders: { after_days: 5, send_window: { timezone: 'europe/paris' } },
        expiry: { enabled: true },
        require_external_id: true,
        sender: 'Acme HR',
      },
      auth,
    );
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      ...expected,
      sender: 'Acme HR',
      require_external_id: true,
      brand: { color: '#112233', logo: 'https://acme.com/logo.png' },
      reminders: {
        enabled: true,
        after_days: 5,
        max_count: 2,
        send_window: { start: '09:00', end: '18:00', timezone: 'Europe/Paris' },
      },
      expiry: { enabled: true, after_days: 30 },
      updated_at: t.clock.now().toISOString(),
    });

    const reset = await patch({ company_name: null, brand: { color: null } }, auth);
    expect(reset.body).toMatchObject({
      company_name: null,
      brand: { color: null, logo: 'https://acme.com/logo.png' },
    });

    const { updated_at: _, ...settings } = await get(auth);
    expect(await loadInviteSettings(t.deps.db, auth.client_id)).toEqual(settings);
  });

  it('refuses bad settings field by field and changes nothing', async () => {
    const auth = await t.newKey();
    await patch({ company_name: 'Kept', reminders: { enabled: true } }, auth);
    const before = await get(auth);
    const theirs = await makeFlow(await t.newKey());
    const deleted = await makeFlow(auth);
    await t.request('DELETE', `/v2/flows/${deleted.id}`, { auth });
    const notFound = (id: string) => ({ default_flow_id: [`Invalid pk "${id}" - object does not exist.`] });
    const cases: [unknown, unknown][] = [
      [
        { company_name: 'Changed', reminders: { send_window: { timezone: 'Mars/Olympus_Mons' } } },
        { reminders: { send_window: { timezone: ['"Mars/Olympus_Mons" is not a valid time zone.'] } } },
      ],
      [
        { reminders: { send_window: { start: '9am' } } },
        { reminders: { send_window: { start: ['Enter a time as HH:MM (24 h).'] } } },
      ],
      [
        { reminders: { send_window: { end: '24:00' } } },
        { reminders: { send_window: { end: ['Enter a time as HH:MM (24 h).'] } } },
      ],
      [
        { reminders: { send_window: { start: '19:00' } } },
        { reminders: { send_window: { end: ['Ensure the window ends after it starts.'] } } },
      ],
      [
        { reminders: { after_days: 31 } },
        { reminders: { after_days: ['Ensure this value is less than or equal to 30.'] } },
      ],
      [
        { reminders: { max_count: 0 } },
        { reminders: { max_count: ['Ensure this value is greater than or equal to 1.'] } },
      ],
      [
        { expiry: { after_days: 366 } },
        { expiry: { after_days: ['Ensure this value is less than or equal to 365.'] } },
      ],
      [{ brand: { color: 'red' } }, { brand: { color: ['Enter a valid hex color, e.g. "#1A73E8".'] } }],
      [
        { brand: { logo: 'javascript:alert(1)' } },
        { brand: { logo: ['Enter a valid URL (http or https).'] } },
      ],
      [
        { company_name: 'x'.repeat(256) },
        { company_name: ['Ensure this field has no more than 255 characters.'] },
      ],
      [{ brand: { colour: '#fff' } }, { brand: ['Invalid value.'] }],
      [{ require_external_id: 'yes' }, { require_external_id: ['Must be a valid boolean.'] }],
      [{ company_name: 'Changed', default_flow_id: 'ZZZZZZZZ' }, notFound('ZZZZZZZZ')],
      [{ default_flow_id: theirs.id }, notFound(theirs.id)],
      [{ default_flow_id: deleted.id }, notFound(deleted.id)],
    ];
    for (const [body, errors] of cases) {
      const res = await patch(body, auth);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual(errors);
    }
    expect(await get(auth)).toEqual(before);
  });

  it('takes a default flow of the client, in any case, and drops it once the flow is deleted', async () => {
    const auth = await t.newKey();
    const flow = await makeFlow(auth);
    const res = await patch({ default_flow_id: flow.id.toLowerCase() }, auth);
    expect(res.status).toBe(200);
    expect(res.body.default_flow_id).toBe(flow.id);
    expect((await loadInviteSettings(t.deps.db, auth.client_id)).default_flow_id).toBe(flow.id);

    await t.request('DELETE', `/v2/flows/${flow.id}`, { auth });
    expect((await get(auth)).default_flow_id).toBeNull();
    expect((await loadInviteSettings(t.deps.db, auth.client_id)).default_flow_id).toBeNull();

    const cleared = await patch({ default_flow_id: null }, auth);
    expect(cleared.body.default_flow_id).toBeNull();
  });

  it('loses no key when PATCHes of different keys arrive together', async () => {
    const auth = await t.newKey();
    const bodies = [
      { company_name: 'Acme' },
      { sender: 'Acme HR' },
      { brand: { color: '#abcdef' } },
      { brand: { logo: 'https://acme.com/l.png' } },
      { reminders: { enabled: true } },
      { reminders: { max_count: 4 } },
      { reminders: { send_window: { start: '08:00' } } },
      { expiry: { after_days: 90 } },
      { require_external_id: true },
    ];
    const answers = await Promise.all(bodies.map((body) => patch(body, auth)));
    expect(answers.map((r) => r.status)).toEqual(bodies.map(() => 200));
    expect(await get(auth)).toMatchObject({
      company_name: 'Acme',
      sender: 'Acme HR',
      brand: { color: '#abcdef', logo: 'https://acme.com/l.png' },
      reminders: {
        enabled: true,
        after_days: 3,
        max_count: 4,
        send_window: { start: '08:00', end: '18:00' },
      },
      expiry: { enabled: false, after_days: 90 },
      require_external_id: true,
    });
  });

  it("keeps each client's settings apart", async () => {
    const a = await t.newKey();
    const b = await t.newKey();
    await patch({ company_name: 'A Corp' }, a);
    expect((await get(b)).company_name).toBeNull();
    expect((await get(a)).company_name).toBe('A Corp');
  });
});
