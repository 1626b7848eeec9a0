import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, PUBLIC_URL, startTestApp, type TestApp } from './helpers/app.ts';
import { SEED_BODY } from './helpers/templates.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const PATTERNS = ['$&', '$`', "$'", '$$', '$1', '$<x>'];

const esc = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;
/** The test's own literal substitution: split and join, no replacement patterns. */
const fill = (text: string, token: string, value: string) => text.split(token).join(value);

interface Sent {
  invite: any;
  page: string;
  pageMs: number;
  email: { subject: string; text: string; html: string };
  sms: { text: string };
  emailLink: string;
  smsLink: string;
}

/** Sends an invite, lets the worker capture its email and SMS, and opens its landing page. */
async function sendAndRead(body: Record<string, unknown>): Promise<Sent> {
  const res = await t.request('POST', '/v2/invites', { body });
  expect(res.status, res.raw.slice(0, 500)).toBe(200);
  t.clock.advance(2000);
  await t.drain();
  const ids = Object.fromEntries(res.body.deliveries.map((d: any) => [d.method, d.id]));
  const outbox = await t.request('GET', '/outbox/messages?limit=10');
  expect(outbox.status).toBe(200);
  const byDelivery = (id: string) => outbox.body.results.find((m: any) => m.delivery_id === id);
  const started = performance.now();
  const page = await t.request('GET', res.body.url.replace(PUBLIC_URL, ''));
  const pageMs = performance.now() - started;
  expect(page.status).toBe(200);
  return {
    invite: res.body,
    page: page.raw,
    pageMs,
    email: byDelivery(ids.email),
    sms: byDelivery(ids.sms),
    emailLink: `${res.body.url}?d=${ids.email}`,
    smsLink: `${res.body.url}?d=${ids.sms}`,
  };
}

/** Customer text in which `token` appears a known number of times in each place. */
function texts(token: string) {
  const T = token;
  return {
    landing_page: {
      header: `Welcome ${T}`,
      subheader: `${T} and ${T}, please connect.`,
      step_1: `One ${T}`,
      step_2: 'Two',
      step_3: `Three ${T}`,
    },
    email: { subject: `For ${T}, ${T}`, header: `Hello ${T}`, subheader: `From ${T}: ${T} and ${T}` },
    sms_text: `${T}, ${T}: [Link]`,
  };
}
// Where `token` appears in the texts above: the page shows the header twice (title and heading).
const USES = { page: 6, subject: 2, text: 4, html: 6, sms: 2 };

interface Case {
  source: string;
  token: string;
  /** The invite body and the value the token stands for, for a value holding `p`. */
  setup(p: string): Promise<{ body: Record<string, unknown>; value: string }>;
  /** The email's signature line; null when nothing names a sender or company (no made-up one). */
  signature(value: string): string | null;
  button: string;
  /** Places that show the value with no placeholder: the logo's alt text, the signature. */
  extra: { page: number; email: number };
}

const template = async (fields: Record<string, unknown>) => {
  const res = await t.request('POST', '/v2/invite-templates', {
    body: { ...SEED_BODY, button: 'Go', page_button: 'Go', ...fields },
  });
  expect(res.status, res.raw.slice(0, 500)).toBe(200);
  return res.body.id as string;
};

const CASES: Case[] = [
  {
    source: 'first and last name',
    token: '[Name]',
    setup: async (p) => ({
      body: inviteBody({
        first_name: `Ann${p}`,
        last_name: `Lee${p}`,
        override_invite_template: texts('[Name]'),
      }),
      value: `Ann${p} Lee${p}`,
    }),
    signature: () => null,
    button: 'Connect your account',
    extra: { page: 0, email: 0 },
  },
  {
    source: "a legacy template's company",
    token: '[Company]',
    setup: async (p) => ({
      body: inviteBody({
        invite_template_id: await template({ company: `Acme${p}`, sender: 'Jane' }),
        override_invite_template: texts('[Company]'),
      }),
      value: `Acme${p}`,
    }),
    signature: () => 'Jane',
    button: 'Go',
    extra: { page: 1, email: 0 },
  },
  {
    source: "a legacy template's sender, with [Company] in it",
    token: '[Sender]',
    setup: async (p) => ({
      body: inviteBody({
        invite_template_id: await template({ company: `Acme${p}`, sender: `Jane${p} at [Company]` }),
        override_invite_template: texts('[Sender]'),
      }),
      value: `Jane${p} at Acme${p}`,
    }),
    signature: (value) => value,
    button: 'Go',
    extra: { page: 0, email: 1 },
  },
  {
    source: "the override's email sender",
    token: '[Sender]',
    setup: async (p) => {
      const o = texts('[Sender]');
      return {
        body: inviteBody({ override_invite_template: { ...o, email: { ...o.email, sender: `Sam${p}` } } }),
        value: `Sam${p}`,
      };
    },
    signature: (value) => value,
    button: 'Connect your account',
    extra: { page: 0, email: 1 },
  },
  {
    source: "the override's email sender standing in for the company",
    token: '[Company]',
    setup: async (p) => {
      const o = texts('[Company]');
      return {
        body: inviteBody({ override_invite_template: { ...o, email: { ...o.email, sender: `Sam${p}` } } }),
        value: `Sam${p}`,
      };
    },
    signature: (value) => value,
    button: 'Connect your account',
    extra: { page: 0, email: 1 },
  },
];

/** Checks every place the invite's text shows up: the value as written, as often as its token. */
function expectLiteral(sent: Sent, c: Case, value: string) {
  const o = texts(c.token);
  const f = (s: string) => fill(s, c.token, value);
  const lp = o.landing_page;

  expect(count(sent.page, esc(value))).toBe(USES.page + c.extra.page);
  expect(sent.page).toContain(`<title>${esc(f(lp.header))}</title>`);
  expect(sent.page).toContain(`<h1>${esc(f(lp.header))}</h1><p class="lead">${esc(f(lp.subheader))}</p>`);
  const steps = [lp.step_1, lp.step_2, lp.step_3].map((s) => `<li>${esc(f(s))}</li>`).join('');
  expect(sent.page).toContain(`<ol class="steps">${steps}</ol>`);

  expect(sent.email.subject).toBe(f(o.email.subject));
  expect(sent.email.text).toBe(
    [
      f(o.email.header),
      '',
      f(o.email.subheader),
      '',
      `${c.button}: ${sent.emailLink}`,
      ...(c.signature(value) === null ? [] : ['', `— ${c.signature(value)}`]),
    ].join('\n'),
  );
  expect(count(sent.email.text, value)).toBe(USES.text + c.extra.email);
  expect(count(sent.email.html, esc(value))).toBe(USES.html + c.extra.email);
  expect(sent.email.html).toContain(`<title>${esc(f(o.email.subject))}</title>`);
  expect(sent.email.html).toContain(`>${esc(f(o.email.header))}</h1>`);
  expect(sent.email.html).toContain(`>${esc(f(o.email.subheader))}</p>`);
  const signature = c.signature(value);
  if (signature !== null) expect(sent.email.html).toContain(`>${esc(signature)}</p>`);

  expect(sent.sms.text).toBe(`${value}, ${value}: ${sent.smsLink}`);
  expect(count(sent.sms.text, value)).toBe(USES.sms);

  for (const out of [sent.page, sent.email.subject, sent.email.text, sent.email.html, sent.sms.text]) {
    expect(out).not.toContain(c.token);
  }
}

describe('placeholder values are shown as written', () => {
  for (const c of CASES) {
    it(`${c.source}: each $ pattern is inserted literally, once per ${c.token}`, async () => {
      for (const p of PATTERNS) {
        const { body, value } = await c.setup(p);
        expectLiteral(await sendAndRead(body), c, value);
      }
    });
  }

  it('leaves a name of [Link] [Company] as it is', async () => {
    const c = CASES[0] as Case;
    const body = inviteBody({
      first_name: '[Link]',
      last_name: '[Company]',
      override_invite_template: texts('[Name]'),
    });
    const sent = await sendAndRead(body);
    const value = '[Link] [Company]';
    const o = texts('[Name]');
    const f = (s: string) => fill(s, '[Name]', value);
    expect(count(sent.page, value)).toBe(USES.page);
    expect(sent.page).toContain(`<h1>${f(o.landing_page.header)}</h1>`);
    expect(sent.email.subject).toBe(f(o.email.subject));
    expect(count(sent.email.text, value)).toBe(USES.text);
    expect(count(sent.email.html, value)).toBe(USES.html);
    expect(sent.email.text).toBe(
      [f(o.email.header), '', f(o.email.subheader), '', `${c.button}: ${sent.emailLink}`].join('\n'),
    );
    expect(sent.sms.text).toBe(`${value}, ${value}: ${sent.smsLink}`);
    expect(count(sent.sms.text, PUBLIC_URL)).toBe(1);
  });
});

/** About 5.4 kB: every text field is [Name] repeated, most of it where the page and email show it. */
function attackBody(pattern: string) {
  const name = pattern.repeat(255).slice(0, 255);
  const f = '[Name]'.repeat(86);
  const s = '[Name]'.repeat(4);
  return inviteBody({
    first_name: name,
    last_name: name,
    override_invite_template: {
      email: {
        subject: f,
        sender: s,
        header: f,
        subheader: f,
        body_text_header_1: s,
        body_text_subheader_1: s,
        body_text_header_2: s,
        body_text_subheader_2: s,
        body_text_header_3: s,
        body_text_subheader_3: s,
      },
      sms_text: s,
      landing_page: { header: f, subheader: f, step_1: f, step_2: f, step_3: f },
      success_page: { header: s, subheader: s, button_text: s },
    },
  });
}

describe('a send cannot make a page or a message large', () => {
  for (const pattern of ["$'", '$`']) {
    it(`keeps the page and the email of [Name] repeated with a name of ${pattern} repeated within bounds`, async () => {
      const body = attackBody(pattern);
      const size = JSON.stringify(body).length;
      expect(size).toBeGreaterThan(5_000);
      expect(size).toBeLessThan(5_600);
      const name = pattern.repeat(255).slice(0, 255);
      const sent = await sendAndRead(body);

      // The bounds stated with TEXT_LIMITS in src/templates/placeholders.ts.
      expect(Buffer.byteLength(sent.page)).toBeLessThan(240_000);
      expect(Buffer.byteLength(sent.email.html)).toBeLessThan(360_000);
      expect(Buffer.byteLength(sent.email.text)).toBeLessThan(60_000);
      expect(sent.email.subject.length).toBeLessThanOrEqual(2_000);
      // Generous: the page renders in milliseconds, but the machine running the tests is shared.
      expect(sent.pageMs).toBeLessThan(2_000);

      // The text is there, as written, up to where each field was cut.
      expect(count(sent.page, esc(`${name} ${name}`))).toBeGreaterThan(20);
      expect(count(sent.email.text, `${name} ${name}`)).toBeGreaterThan(10);
      expect(sent.email.text.includes(`Connect your account: ${sent.emailLink}`)).toBe(true);
      expect(sent.sms.text.length).toBeLessThanOrEqual(1_600);
      expect(sent.sms.text.endsWith(` ${sent.smsLink}`)).toBe(true);

      const success = await t.request('GET', `${sent.invite.url.replace(PUBLIC_URL, '')}/success`);
      expect(success.status).toBe(200);
      expect(Buffer.byteLength(success.raw)).toBeLessThan(125_000);
    });
  }

  it('cuts a long SMS so that it ends with the whole link', async () => {
    const name = 'n'.repeat(255);
    const sent = await sendAndRead(
      inviteBody({
        first_name: name,
        last_name: name,
        override_invite_template: { sms_text: '[Name]'.repeat(266) },
      }),
    );
    expect(sent.sms.text.length).toBeLessThanOrEqual(1_600);
    expect(sent.sms.text.endsWith(`... ${sent.smsLink}`)).toBe(true);
    expect(sent.sms.text.startsWith(`${name} ${name}${name} ${name}`)).toBe(true);
  });

  it('cuts a page field without leaving half a character or half an entity', async () => {
    for (const shift of ['', 'a']) {
      const sent = await sendAndRead(
        inviteBody({
          first_name: `${shift}${'😀&'.repeat(80)}`,
          last_name: '😀',
          override_invite_template: { landing_page: { header: '[Name]'.repeat(833) } },
        }),
      );
      // A lone surrogate cannot be encoded: it would reach the browser as U+FFFD.
      expect(sent.page).not.toContain('\uFFFD');
      expect(sent.page).not.toMatch(/&(?!(?:amp|lt|gt|quot|#39);)/);
      expect(sent.page).toContain('…</h1>');
    }
  });
});

describe('the SMS link check', () => {
  it('still ends with the real link when the text names a longer URL that starts with it', async () => {
    const sent = await sendAndRead(
      inviteBody({ override_invite_template: { sms_text: 'Old links: [Link]0 and [Link]&from=sms' } }),
    );
    const link = sent.smsLink;
    expect(sent.sms.text).toBe(`Old links: ${link}0 and ${link}&from=sms ${link}`);
  });

  it('does not add the link again when the text has it, followed by punctuation', async () => {
    const sent = await sendAndRead(
      inviteBody({ override_invite_template: { sms_text: 'Start here ([Link]).' } }),
    );
    expect(sent.sms.text).toBe(`Start here (${sent.smsLink}).`);
  });
});
