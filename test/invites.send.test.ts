import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, inviteBody, PUBLIC_URL, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const send = (body: unknown) => t.request('POST', '/v2/invites', { body });

const TEMPLATE = {
  name: 'Payroll',
  email_body: 'Hi [Name], connect your payroll for [Company].',
  sms_body: '[Company]: connect your payroll at [Link]',
  header: 'Connect your payroll',
  button: 'Connect Payroll Accounts',
  subject: 'Verify your income',
  sender: '[Company]',
  company: 'Acme Lending',
  logo_url: 'https://acme.example/logo.png',
  page_heading: 'Verify your income',
  page_description: 'It takes two minutes.',
  page_button: 'Start',
  reply_to: 'officer@acme.example',
};

describe('POST /v2/invites sends', () => {
  it('by email and SMS, answering the full invite object', async () => {
    const res = await send(inviteBody());
    expect(res.status).toBe(200);
    const inv = res.body;
    expect(inv).toMatchObject({
      email: 'sarah@email.com',
      phone_number: '212-555-5555',
      first_name: 'Sarah',
      last_name: 'Longfield',
      full_name: 'Sarah Longfield',
      status: 'sent',
      revoked_at: null,
      group_id: null,
      flow_id: null,
      flow_items: [],
      reply_to: [],
      invite_template_id: null,
      url: `${PUBLIC_URL}/connect/${inv.id}`,
      created_at: t.clock.now().toISOString(),
    });
    expect(inv.id).toMatch(UUID);
    expect(inv.user).toMatch(UUID);
    expect(inv.updated_at).toBe(inv.created_at);
    expect(inv.invited_at).toBe(inv.created_at);
    expect(inv.deliveries.map((d: any) => d.method).sort()).toEqual(['email', 'sms']);
    for (const d of inv.deliveries) {
      expect(d).toEqual({
        id: expect.stringMatching(UUID),
        method: d.method,
        status: 'sent',
        sent_at: inv.created_at,
        updated_at: inv.created_at,
        // Queue detail, added keys: nothing has been attempted when the API answers.
        attempts: 0,
        next_attempt_at: null,
        last_error: null,
        status_detail: null,
        // Added key: which send made the delivery.
        kind: 'invite',
      });
    }
  });

  it.each([
    ['email only', { phone_number: undefined }, ['email'], 'phone_number'],
    ['SMS only', { email: undefined }, ['sms'], 'email'],
    ['SMS only, email null', { email: null, phone_number: '(800) 900-0010' }, ['sms'], 'email'],
  ])('%s: one delivery per contact given', async (_name, over, methods, absent) => {
    const res = await send(inviteBody(over));
    expect(res.status).toBe(200);
    expect(res.body[absent]).toBeNull();
    expect(res.body.deliveries.map((d: any) => d.method)).toEqual(methods);
    expect(res.body.deliveries.every((d: any) => d.status === 'sent')).toBe(true);
  });

  it('keeps the phone number as given', async () => {
    const res = await send(inviteBody({ phone_number: '(800) 900-0020' }));
    expect(res.body.phone_number).toBe('(800) 900-0020');
  });

  it('splits the deprecated full_name when first/last are absent', async () => {
    const res = await send({ full_name: '  Mary  Ann   Smith ', email: 'mary@email.com' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      first_name: 'Mary',
      last_name: 'Ann Smith',
      full_name: 'Mary Ann Smith',
    });
  });

  it('lets first_name / last_name win over full_name', async () => {
    const res = await send(inviteBody({ full_name: 'Someone Else' }));
    expect(res.body).toMatchObject({
      first_name: 'Sarah',
      last_name: 'Longfield',
      full_name: 'Sarah Longfield',
    });
  });

  it('returns a one-hour HS256 user token for the created user', async () => {
    const res = await send(inviteBody());
    const { payload, protectedHeader } = await jwtVerify(res.body.user_token, t.deps.userTokenKey, {
      algorithms: ['HS256'],
      currentDate: t.clock.now(),
    });
    expect(protectedHeader.alg).toBe('HS256');
    const now = Math.floor(t.clock.now().getTime() / 1000);
    expect(payload).toEqual({
      client_id: t.key.client_id,
      sub: res.body.user,
      user_id: res.body.user,
      iat: now,
      exp: now + 3600,
      jti: expect.any(String),
      iss: expect.any(String),
    });
    await expect(
      jwtVerify(res.body.user_token, new TextEncoder().encode('x'.repeat(32)), {
        currentDate: t.clock.now(),
      }),
    ).rejects.toThrow();
  });

  it('creates the user, filling external_id', async () => {
    const res = await send(inviteBody({ external_id: 'crm-42' }));
    const user = await t.request('GET', `/v2/users/${res.body.user}`);
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({
      id: res.body.user,
      external_id: 'crm-42',
      first_name: 'Sarah',
      last_name: 'Longfield',
      email: 'sarah@email.com',
      phone_number: '212-555-5555',
    });
  });

  it.each([
    // `flow_id` must name an Email/SMS template of the client: the body's is one made first.
    ['body flow_id wins over the landing page', 'made', 'LAND01', 'made'],
    ['landing page flow_id when the body has none', undefined, 'LAND01', 'LAND01'],
    ['null when neither is given', undefined, undefined, null],
  ])('flow_id: %s', async (_name, flowId, landing, expected) => {
    const made =
      flowId === 'made'
        ? (await t.request('POST', '/v2/flows', { body: { type: 'email_sms_template', name: 'Body flow' } }))
            .body.id
        : undefined;
    const res = await send(
      inviteBody({
        flow_id: made,
        override_invite_template: landing ? { landing_page: { flow_id: landing } } : undefined,
      }),
    );
    expect(res.body.flow_id).toBe(expected === 'made' ? made : expected);
  });

  it('keeps flow_items and takes reply_to from override_invite_template.email', async () => {
    const res = await send(
      inviteBody({
        flow_items: ['item_000000001', 'item_000000002'],
        dds_config: { routing: '123' },
        override_invite_template: {
          brand: { color: '#1A73E8', logo: 'https://acme.example/logo.png' },
          email: { reply_to: ['person1@email.com', 'person2@email.com'] },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.flow_items).toEqual(['item_000000001', 'item_000000002']);
    expect(res.body.reply_to).toEqual(['person1@email.com', 'person2@email.com']);
  });

  it('applies a legacy template of this client', async () => {
    const tpl = await t.request('POST', '/v2/invite-templates', { body: TEMPLATE });
    const res = await send(inviteBody({ invite_template_id: tpl.body.id }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ invite_template_id: tpl.body.id, reply_to: ['officer@acme.example'] });
  });
});

describe('POST /v2/invites rejects, writing nothing', () => {
  /** Sends `body`, expects exactly `errors` as a 400, and proves no row was written. */
  async function rejects(body: unknown, errors: unknown) {
    const before = await countRows(t.deps);
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errors);
    expect(await countRows(t.deps)).toEqual(before);
  }
  const required = ['This field is required.'];
  const blank = ['This field may not be blank.'];
  const email = ['Enter a valid email address.'];
  const phone = ['Enter a valid phone number.'];
  const neither = { non_field_errors: ['Either email or phone_number is required.'] };
  const got = (type: string, what = 'dictionary of items') => [`Expected a ${what} but got type "${type}".`];
  const b = inviteBody;

  it.each([
    ['missing names', { email: 'a@b.co' }, { first_name: required, last_name: required }],
    ['missing last_name', b({ last_name: undefined }), { last_name: required }],
    ['empty names', b({ first_name: '', last_name: '' }), { first_name: blank, last_name: blank }],
    ['whitespace names', b({ first_name: '  ', last_name: '\t' }), { first_name: blank, last_name: blank }],
    [
      'blank full_name alone',
      { full_name: ' ', email: 'a@b.co' },
      { first_name: required, last_name: required },
    ],
    ['bad email', b({ email: 'sarah@' }), { email }],
    ['email without a domain dot', b({ email: 'sarah@localhost' }), { email }],
    ['bad phone', b({ phone_number: '123' }), { phone_number: phone }],
    ['letters as phone', b({ phone_number: 'call me' }), { phone_number: phone }],
    ['neither contact', b({ email: undefined, phone_number: undefined }), neither],
    ['contacts null', b({ email: null, phone_number: null }), neither],
    ['a list as body', [b()], { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
    [
      'flow_items not a list',
      b({ flow_items: 'item_000000001' }),
      { flow_items: got('str', 'list of items') },
    ],
    [
      'flow_items not strings',
      b({ flow_items: ['item_1', 7, ''] }),
      { flow_items: { 1: ['Not a valid string.'], 2: blank } },
    ],
    ['dds_config not an object', b({ dds_config: 'yes' }), { dds_config: got('str') }],
    ['dds_config a list', b({ dds_config: [] }), { dds_config: got('list') }],
    [
      'invite_template_id not a uuid',
      b({ invite_template_id: 'abc' }),
      { invite_template_id: ['Must be a valid UUID.'] },
    ],
  ])('%s', (_name, body, errors) => rejects(body, errors));

  it('nests override_invite_template errors the DRF way', async () => {
    await rejects(
      inviteBody({
        override_invite_template: {
          brand: { color: 'blue', logo: 'ftp://acme.example/logo.png' },
          email: { reply_to: ['ok@acme.example', 'not-an-email'] },
        },
      }),
      {
        override_invite_template: {
          brand: {
            color: ['Enter a valid hex color, e.g. "#1A73E8".'],
            logo: ['Enter a valid URL (http or https).'],
          },
          email: { reply_to: { 1: email } },
        },
      },
    );
    await rejects(inviteBody({ override_invite_template: { brand: { logo: 'logo.png' } } }), {
      override_invite_template: { brand: { logo: ['Enter a valid URL (http or https).'] } },
    });
  });

  it('refuses an unknown template and another client’s template alike', async () => {
    const unknown = '0190c5b8-8fa1-77b3-89af-14b3e18da8a7';
    await rejects(inviteBody({ invite_template_id: unknown }), {
      invite_template_id: [`Invalid pk "${unknown}" - object does not exist.`],
    });
    const other = await t.newKey();
    const theirs = await t.request('POST', '/v2/invite-templates', { body: TEMPLATE, auth: other });
    expect(theirs.status).toBe(200);
    await rejects(inviteBody({ invite_template_id: theirs.body.id }), {
      invite_template_id: [`Invalid pk "${theirs.body.id}" - object does not exist.`],
    });
  });

  it('reports every problem of one body together', async () => {
    await rejects(
      {
        first_name: '',
        email: 'nope',
        phone_number: '555',
        flow_items: 'x',
        dds_config: 1,
        override_invite_template: { brand: { color: 'red' } },
        invite_template_id: '0190c5b8-8fa1-77b3-89af-14b3e18da8a7',
      },
      {
        first_name: blank,
        last_name: required,
        email,
        phone_number: phone,
        flow_items: got('str', 'list of items'),
        dds_config: got('int'),
        override_invite_template: { brand: { color: ['Enter a valid hex color, e.g. "#1A73E8".'] } },
        invite_template_id: ['Invalid pk "0190c5b8-8fa1-77b3-89af-14b3e18da8a7" - object does not exist.'],
      },
    );
  });
});
