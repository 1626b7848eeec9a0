import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Credentials,
  countRows,
  inviteBody,
  PUBLIC_URL,
  startTestApp,
  type TestApp,
} from './helpers/app.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';
import { SEED_BODY } from './helpers/templates.ts';

// The hosted API reads input with Django REST framework; these are its rules as a client meets them.
let t: TestApp;
let smtp: SmtpSink;
/** A second client, for webhooks: its subscriptions never see this file's invites. */
let hooks: Credentials;
let flowId: string;

beforeAll(async () => {
  smtp = await smtpSink();
  t = await startTestApp({ SMTP_URL: smtp.url });
  hooks = await t.newKey();
  const flow = await t.request('POST', '/v2/flows', {
    body: { type: 'email_sms_template', name: 'Onboarding' },
  });
  expect(flow.status).toBe(200);
  flowId = flow.body.id;
});
afterAll(async () => {
  await t?.close();
  await smtp?.down();
});

const blank = ['This field may not be blank.'];
const PUBLIC_HOOK = 'https://93.184.215.14/hooks/invitekit';

const send = (body: unknown) => t.request('POST', '/v2/invites', { body });

/** Every character Python's `str.strip()` removes, which DRF's text fields strip. */
const SPACES = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u000c',
  '\u001c',
  '\u001f',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2003',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
];
/** Python's `str.isspace()`, one UTF-16 unit at a time (none of its characters is astral). */
const isPySpace = (c: number) =>
  (c >= 0x09 && c <= 0x0d) ||
  (c >= 0x1c && c <= 0x20) ||
  [0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000].includes(c) ||
  (c >= 0x2000 && c <= 0x200a);
const pyPadded = (s: string) => isPySpace(s.charCodeAt(0)) || isPySpace(s.charCodeAt(s.length - 1));

describe('text is trimmed before it is validated, as DRF does', () => {
  it('accepts padded text in a send and stores it trimmed', async () => {
    const res = await send({
      first_name: ' Sarah\u00a0',
      last_name: '\tLongfield ',
      email: ' sarah@email.com ',
      phone_number: '\u3000212-555-5555\n',
      external_id: '  ext-7 ',
      flow_id: ` ${flowId}\t`,
      flow_items: [' item_000000001 ', '\nitem_000000002'],
      override_invite_template: {
        brand: { color: ' #1A73E8 ', logo: ' https://acme.example/logo.png ' },
        email: { reply_to: [' lo@lender.example ', '\u2003hr@lender.example\r\n'], subject: ' Hello ' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      first_name: 'Sarah',
      last_name: 'Longfield',
      full_name: 'Sarah Longfield',
      email: 'sarah@email.com',
      phone_number: '212-555-5555',
      flow_id: flowId,
      rendered_flow_id: flowId,
      flow_items: ['item_000000001', 'item_000000002'],
      reply_to: ['lo@lender.example', 'hr@lender.example'],
    });
    expect(res.body.deliveries.map((d: { method: string }) => d.method).sort()).toEqual(['email', 'sms']);
    const got = await t.request('GET', `/v2/invites/${res.body.id}`);
    expect({ ...got.body, user_token: null }).toEqual({ ...res.body, user_token: null });

    const user = await t.request('GET', `/v2/users/${res.body.user}`);
    expect(user.body).toMatchObject({
      external_id: 'ext-7',
      first_name: 'Sarah',
      email: 'sarah@email.com',
      phone_number: '212-555-5555',
    });
    const byExternalId = await t.request('GET', '/v2/users?external_id=ext-7');
    expect(byExternalId.body.results.map((u: { id: string }) => u.id)).toEqual([res.body.user]);
    const byReplyTo = await t.request('GET', '/v2/invites?reply_to=hr%40lender.example');
    expect(byReplyTo.body.results.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
  });

  it('trims the text of templates, flows, invite settings and webhooks too', async () => {
    const template = await t.request('POST', '/v2/invite-templates', {
      body: {
        ...SEED_BODY,
        name: '  Padded  ',
        reply_to: ' hr@company.com\n',
        logo_url: ' https://company.com/l.png ',
      },
    });
    expect(template.status).toBe(200);
    expect(template.body).toMatchObject({
      name: 'Padded',
      reply_to: 'hr@company.com',
      logo_url: 'https://company.com/l.png',
    });

    const flow = await t.request('PATCH', `/v2/flows/${flowId}`, {
      body: { name: '\u3000Onboarding ', sms_text: ' Hi [Name]: [Link] ' },
    });
    expect(flow.status).toBe(200);
    expect(flow.body).toMatchObject({ name: 'Onboarding', sms_text: 'Hi [Name]: [Link]' });

    const settings = await t.request('PATCH', '/v2/invite-settings', {
      body: { company_name: ' Acme Lending ', brand: { color: ' #0A0A0A' } },
    });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ company_name: 'Acme Lending', brand: { color: '#0A0A0A' } });

    const hook = await t.request('POST', '/v2/webhooks', {
      auth: hooks,
      body: {
        events: ['*'],
        name: ' CRM sync ',
        url: ` ${PUBLIC_HOOK} `,
        secret: ' s3cret ',
        config: { note: ' kept ' },
      },
    });
    expect(hook.status).toBe(200);
    // `config` is free-form JSON, which DRF takes as sent.
    expect(hook.body).toMatchObject({
      name: 'CRM sync',
      url: PUBLIC_HOOK,
      secret: 's3cret',
      config: { note: ' kept ' },
    });
  });

  it('answers whitespace-only required text as blank, field by field, and writes nothing', async () => {
    const before = await countRows(t.deps);
    const res = await send(
      inviteBody({ first_name: '\u3000', last_name: ' \t ', flow_items: ['\u0085', 'item_000000001'] }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ first_name: blank, last_name: blank, flow_items: { 0: blank } });
    // A contact given as whitespace is one not given, as an empty one is.
    const neither = await send(inviteBody({ email: ' ', phone_number: '\u3000' }));
    expect(neither.body).toEqual({ non_field_errors: ['Either email or phone_number is required.'] });
    expect(await countRows(t.deps)).toEqual(before);

    const settingsBefore = (await t.request('GET', '/v2/invite-settings')).body;
    const settings = await t.request('PATCH', '/v2/invite-settings', {
      body: { reminders: { send_window: { timezone: '  ' } } },
    });
    expect(settings.status).toBe(400);
    expect(settings.body).toEqual({ reminders: { send_window: { timezone: blank } } });
    expect((await t.request('GET', '/v2/invite-settings')).body).toEqual(settingsBefore);

    const hooksBefore = (await t.request('GET', '/v2/webhooks?limit=200', { auth: hooks })).body.results;
    const hook = await t.request('POST', '/v2/webhooks', {
      auth: hooks,
      body: { events: ['*'], name: '   ', url: PUBLIC_HOOK, secret: '\n' },
    });
    expect(hook.status).toBe(400);
    expect(hook.body).toEqual({ name: blank, secret: blank });
    expect((await t.request('GET', '/v2/webhooks?limit=200', { auth: hooks })).body.results).toEqual(
      hooksBefore,
    );
  });

  it('takes ids and choices as sent, as DRF’s UUID and choice fields do', async () => {
    const sent = await send(inviteBody());
    const token = await t.request('POST', '/v2/user-tokens', { body: { user: ` ${sent.body.user} ` } });
    expect(token.status).toBe(400);
    expect(token.body).toEqual({ user: ['Must be a valid UUID.'] });
    const hook = await t.request('POST', '/v2/webhooks', {
      auth: hooks,
      body: { events: [' invites.sent'], name: 'x', url: PUBLIC_HOOK },
    });
    expect(hook.status).toBe(400);
    expect(Object.keys(hook.body)).toEqual(['events']);
  });
});

describe('internationalised email domains, as Django’s EmailValidator takes them', () => {
  it('accepts an IDN domain, keeps it as given and delivers to it', async () => {
    const before = smtp.rcpts.length;
    const res = await send(
      inviteBody({
        email: ' ana@bücher.de ',
        phone_number: null,
        override_invite_template: {
          email: { reply_to: ['lo@münchen.example', 'hr@xn--mnchen-3ya.example'] },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.email).toBe('ana@bücher.de');
    expect(res.body.reply_to).toEqual(['lo@münchen.example', 'hr@xn--mnchen-3ya.example']);
    const filtered = await t.request(
      'GET',
      `/v2/invites?reply_to=${encodeURIComponent('LO@MÜNCHEN.example')}`,
    );
    expect(filtered.body.results.map((i: { id: string }) => i.id)).toEqual([res.body.id]);

    await t.drain();
    // The mailer writes the To header in punycode; the envelope may name either form.
    expect(smtp.rcpts.slice(before)).toContainEqual(
      expect.stringMatching(/^ana@(?:bücher|xn--bcher-kva)\.de$/),
    );
    const delivery = (await t.request('GET', `/v2/invites/${res.body.id}`)).body.deliveries[0];
    expect(delivery).toMatchObject({ method: 'email', status: 'sent', last_error: null });
  });

  it('refuses what Django refuses, and what no invite can reach', async () => {
    const before = await countRows(t.deps);
    for (const email of [
      'ana@bücher', // no dot: no top-level domain
      'ana@bücher..de',
      'ana@bücher.de.',
      `ana@${'ü'.repeat(64)}.de`, // a label longer than 63 once encoded
      'anä@bücher.de', // the local part stays ASCII
      '.ana@example.com',
      'ana..b@example.com',
      'ana.@example.com',
      'ana@example.c-',
      'ana@localhost',
      'ana@[10.0.0.1]',
      '"ana b"@example.com',
    ]) {
      const res = await send(inviteBody({ email }));
      expect(res.status, email).toBe(400);
      expect(res.body, email).toEqual({ email: ['Enter a valid email address.'] });
    }
    expect(await countRows(t.deps)).toEqual(before);
    const query = await t.request('GET', `/v2/invites?reply_to=${encodeURIComponent('lo@münchen')}`);
    expect(query.status).toBe(400);
    expect(query.body).toEqual({ reply_to: ['Enter a valid email address.'] });
  });

  it('accepts the other addresses Django accepts', async () => {
    for (const email of [
      'ana@xn--bcher-kva.de',
      "o'brien+tag@example.co",
      'ana@例え.テスト',
      'ana@mail.example.c0m',
    ]) {
      const res = await send(inviteBody({ email }));
      expect(res.status, email).toBe(200);
      expect(res.body.email).toBe(email);
    }
  });
});

describe('cursor: the bare cursor, or the whole next / previous URL', () => {
  /** Checks that `list`'s second page reads the same whichever way its cursor is given. */
  async function followWhole(list: string, auth?: Credentials) {
    const first = await t.request('GET', `${list}?limit=2`, { auth });
    expect(first.status).toBe(200);
    const next: string = first.body.next;
    expect(next).toMatch(/\?cursor=/);
    const page2 = await t.request('GET', next.replace(PUBLIC_URL, ''), { auth });
    expect(page2.status).toBe(200);
    const { pathname, search } = new URL(next);
    for (const given of [
      encodeURIComponent(next),
      next, // unencoded, as pasted
      encodeURIComponent(`https://api.elsewhere.example${pathname}${search}&limit=7`),
      encodeURIComponent(`${pathname}${search}`),
    ]) {
      const res = await t.request('GET', `${list}?cursor=${given}`, { auth });
      expect(res.status, given).toBe(200);
      expect(res.body, given).toEqual(page2.body);
    }
    // And back: the previous URL as a whole leads to the first page.
    const back = await t.request('GET', `${list}?cursor=${encodeURIComponent(page2.body.previous)}`, {
      auth,
    });
    expect(back.body).toEqual(first.body);
    // A URL that carries no cursor names no page.
    for (const url of [
      `${PUBLIC_URL}${list}?limit=5`,
      `${PUBLIC_URL}${list}?cursor=`,
      `${PUBLIC_URL}${list}`,
    ]) {
      const res = await t.request('GET', `${list}?cursor=${encodeURIComponent(url)}`, { auth });
      expect(res.status, url).toBe(400);
      expect(res.body, url).toEqual({ cursor: ['Invalid cursor.'] });
    }
  }

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      expect((await send(inviteBody({ external_id: 'paged' }))).status).toBe(200);
      const hook = await t.request('POST', '/v2/webhooks', {
        auth: hooks,
        body: { events: ['invites.sent'], name: `hook ${i}`, url: PUBLIC_HOOK },
      });
      expect(hook.status).toBe(200);
    }
  });

  it('pages invites', () => followWhole('/v2/invites'));
  it('pages users', () => followWhole('/v2/users'));
  it('pages webhooks', () => followWhole('/v2/webhooks', hooks));

  it('takes an empty cursor= or reply_to= as absent, like an empty status=', async () => {
    const plain = await t.request('GET', '/v2/invites?limit=3');
    for (const query of ['cursor=', 'reply_to=', 'status=', 'cursor=&reply_to=&status=']) {
      const res = await t.request('GET', `/v2/invites?limit=3&${query}`);
      expect(res.status, query).toBe(200);
      expect(res.body, query).toEqual(plain.body);
    }
    expect((await t.request('GET', '/v2/users?cursor=&limit=2')).body).toEqual(
      (await t.request('GET', '/v2/users?limit=2')).body,
    );
    expect((await t.request('GET', '/v2/webhooks?cursor=', { auth: hooks })).body).toEqual(
      (await t.request('GET', '/v2/webhooks', { auth: hooks })).body,
    );
  });
});

describe('DELETE /v2/invite-templates/{id}', () => {
  it('answers 200 as seed 004 shows, and the template is gone', async () => {
    const created = await t.request('POST', '/v2/invite-templates', { body: SEED_BODY });
    const res = await t.request('DELETE', `/v2/invite-templates/${created.body.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await t.request('GET', `/v2/invite-templates/${created.body.id}`)).status).toBe(404);
    expect((await t.request('DELETE', `/v2/invite-templates/${created.body.id}`)).status).toBe(404);
  });
});

describe('padding every text of a send with whitespace', () => {
  const trimmed = (max: number) =>
    fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: max })
      .filter((s) => !pyPadded(s) && s.trim() === s);
  const recipient = fc.oneof(
    fc.record({ first_name: trimmed(30), last_name: trimmed(30) }),
    fc.tuple(trimmed(20), trimmed(20)).map(([a, b]) => ({ full_name: `${a} ${b}` })),
  );
  const contacts = fc.record(
    {
      email: fc.oneof(fc.emailAddress(), fc.constantFrom('ana@bücher.de', 'test1@argyle.com')),
      phone_number: fc.constantFrom('212-555-5555', '(800) 900-0020', '+1 212 555 0199', '+44 20 7946 0958'),
    },
    { requiredKeys: [] },
  );
  const rest = fc.record(
    {
      external_id: trimmed(40),
      flow_id: fc.constant('FLOW'),
      flow_items: fc.array(trimmed(20), { maxLength: 3 }),
      override_invite_template: fc.record(
        {
          brand: fc.record({
            color: fc.constantFrom('#1A73E8', '#fff'),
            logo: fc.constant('https://acme.example/l.png'),
          }),
          email: fc.record(
            {
              reply_to: fc.array(fc.emailAddress(), { maxLength: 3 }),
              subject: trimmed(40),
              header: trimmed(40),
            },
            { requiredKeys: [] },
          ),
          sms_text: trimmed(60),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  );
  const body = fc
    .tuple(recipient, contacts, rest)
    .map(([r, c, o]) => ({ ...r, ...c, ...o }) as Record<string, unknown>);
  const padding = fc.array(fc.string({ unit: fc.constantFrom(...SPACES), maxLength: 3 }), {
    minLength: 64,
    maxLength: 64,
  });

  /** `value` with every string wrapped in whitespace from `pads`, in turn. */
  function padded(value: unknown, pads: string[], at = { i: 0 }): unknown {
    const next = () => pads[at.i++ % pads.length] ?? '';
    if (typeof value === 'string') return `${next()}${value}${next()}`;
    if (Array.isArray(value)) return value.map((v) => padded(v, pads, at));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, padded(v, pads, at)]));
    }
    return value;
  }

  /** An answer without what differs between any two sends: ids and what carries them. */
  const comparable = (res: { status: number; body: any }) =>
    res.status === 200
      ? {
          ...res.body,
          id: null,
          user: null,
          user_token: null,
          url: null,
          deliveries: res.body.deliveries.map((d: object) => ({ ...d, id: null })),
        }
      : res.body;

  it('gives the same invite (or the same errors) as the trimmed body', async () => {
    await t.request('PATCH', `/v2/flows/${flowId}`, { body: { name: 'Onboarding' } });
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, padding, async (raw, pads) => {
        const base = { ...raw, ...(raw.flow_id ? { flow_id: flowId } : {}) };
        const plain = await send(base);
        const spaced = await send(padded(base, pads));
        expect(spaced.status).toBe(plain.status);
        expect(comparable(spaced)).toEqual(comparable(plain));
        if (plain.status !== 200) return;
        accepted++;
        const users = await Promise.all(
          [plain, spaced].map(async (r) => (await t.request('GET', `/v2/users/${r.body.user}`)).body),
        );
        expect({ ...users[1], id: null }).toEqual({ ...users[0], id: null });
      }),
      { numRuns: 100 },
    );
    // The bodies must mostly be valid, or the comparison of invites proves little.
    expect(accepted).toBeGreaterThan(50);
  }, 180_000);
});
