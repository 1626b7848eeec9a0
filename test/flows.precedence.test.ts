import type { AddressObject, ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, countRows, inviteBody, type TestApp } from './helpers/app.ts';
import { COLORS, DEFAULT_COLOR, FLOW, NAME, OVERRIDE, SETTINGS, TEMPLATE } from './helpers/precedence.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';
import { startTwilioApp } from './helpers/twilio.ts';

/**
 * Every step of the render precedence, built up one layer at a time for one client, asserted
 * on what a real SMTP server and the Twilio stand-in receive: each layer wins for the fields
 * it sets, and the layers below still show for the fields it leaves out.
 */

const FROM_ADDRESS = 'invites@invitekit.test';
const FROM = `Invitekit Invites <${FROM_ADDRESS}>`;
const BUILT_IN_HEADER = 'Connect your payroll account';
const BUILT_IN_BUTTON = 'Connect your account';
const namedBody = (company: string) =>
  `Hi ${NAME}, ${company} has asked you to connect your payroll account. It takes a few minutes.`;
const FLOW_ROW = 'Flow row heading: Flow row text';

/** What one email should show; `logo` and `replyTo` absent mean none at all. */
interface ExpectedEmail {
  subject: string;
  header: string;
  body: string;
  rows: string[];
  button: string;
  /** The closing line; none when no layer names a sender or company. */
  signature?: string;
  color: string;
  logo?: string;
  replyTo?: string;
}

let env: Awaited<ReturnType<typeof startTwilioApp>>;
let t: TestApp;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await smtpSink();
  // Pacing has its own tests; here every text may leave in the moment it is sent.
  env = await startTwilioApp({ SMTP_URL: smtp.url, EMAIL_FROM: FROM, SMS_RATE_PER_SECOND: '1000' });
  t = env.t;
});
afterAll(async () => {
  await env?.close();
  await smtp?.down();
});

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address));
const srcs = (html: string) => [...html.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]);
const textOf = (html: string, tag: string) =>
  [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Sent {
  invite: any;
  mail: ParsedMail;
  sms: string;
  emailLink: string;
  smsLink: string;
  pixel: string;
}

let seq = 0;
/** Sends one invite by email and SMS, drains the worker, and returns what each receiver got. */
async function send(auth: Credentials, over: Record<string, unknown> = {}): Promise<Sent> {
  seq++;
  const email = `step${seq}@example.com`;
  const phone = `+1415555${String(1000 + seq)}`;
  const res = await t.request('POST', '/v2/invites', {
    auth,
    body: inviteBody({ email, phone_number: phone, ...over }),
  });
  expect(res.status).toBe(200);
  await t.drain();
  const mails = smtp.messages.filter((m) => addresses(m.to).includes(email));
  const texts = env.tw.to(phone);
  expect([mails.length, texts.length]).toEqual([1, 1]);
  const idOf = (method: string) => res.body.deliveries.find((d: any) => d.method === method).id;
  return {
    invite: res.body,
    mail: mails[0] as ParsedMail,
    sms: texts[0]?.params.Body ?? '',
    emailLink: `${res.body.url}?d=${idOf('email')}`,
    smsLink: `${res.body.url}?d=${idOf('sms')}`,
    pixel: `${env.publicUrl}/t/${idOf('email')}/open.gif`,
  };
}

function expectEmail(sent: Sent, want: ExpectedEmail) {
  const { mail } = sent;
  expect(mail.subject).toBe(want.subject);
  expect(mail.from?.value.map((v) => v.address)).toEqual([FROM_ADDRESS]);
  expect(addresses(mail.replyTo)).toEqual(want.replyTo ? [want.replyTo] : []);
  const text = [
    want.header,
    '',
    want.body,
    ...want.rows.flatMap((r) => ['', r]),
    '',
    `${want.button}: ${sent.emailLink}`,
    ...(want.signature ? ['', `— ${want.signature}`] : []),
  ].join('\n');
  expect(mail.text?.trimEnd()).toBe(text);

  const html = String(mail.html);
  expect(textOf(html, 'title')).toEqual([want.subject]);
  expect(textOf(html, 'h1')).toEqual([want.header]);
  expect(textOf(html, 'a')).toEqual([want.button]);
  expect(textOf(html, 'p')).toEqual([want.body, ...(want.signature ? [want.signature] : [])]);
  expect(textOf(html, 'strong')).toEqual(want.rows.map((r) => r.split(': ')[0]));
  expect(html).toMatch(
    new RegExp(`<a href="${escapeRe(sent.emailLink)}" style="[^"]*background:${want.color};`),
  );
  expect(html).toContain(`border-top:4px solid ${want.color}`);
  for (const other of COLORS.filter((c) => c !== want.color)) expect(html).not.toContain(other);
  // The logo, then the open pixel: no other image.
  expect(srcs(html)).toEqual([...(want.logo ? [want.logo] : []), sent.pixel]);
}

describe('the render precedence, step by step, on the email and the SMS as received', () => {
  let auth: Credentials;
  let flowId: string;
  let templateId: string;
  /** The email of each step, for the From check below. */
  const mails = new Map<string, { mail: ParsedMail; sender: string }>();

  beforeAll(async () => {
    auth = await t.newKey();
  });

  it('(0) built-in copy, worded without a company', async () => {
    const sent = await send(auth);
    expect(sent.invite.rendered_flow_id).toBeNull();
    expectEmail(sent, {
      subject: 'Connect your payroll account',
      header: BUILT_IN_HEADER,
      body: `Hi ${NAME}, you have been asked to connect your payroll account. It takes a few minutes.`,
      rows: [],
      button: BUILT_IN_BUTTON,
      color: DEFAULT_COLOR,
    });
    expect(sent.sms).toBe(`Connect your payroll account here: ${sent.smsLink} Reply STOP to opt out.`);
    mails.set('0', { mail: sent.mail, sender: 'Invitekit Invites' });
  });

  it('(1) the settings: company name, sender, brand colour and logo', async () => {
    const patched = await t.request('PATCH', '/v2/invite-settings', { auth, body: SETTINGS });
    expect(patched.status).toBe(200);
    const sent = await send(auth);
    expectEmail(sent, {
      subject: 'Settings Co invites you to connect your payroll account',
      header: BUILT_IN_HEADER,
      body: namedBody('Settings Co'),
      rows: [],
      button: BUILT_IN_BUTTON,
      signature: 'Settings Sender',
      color: SETTINGS.brand.color,
      logo: SETTINGS.brand.logo,
    });
    expect(sent.sms).toBe(
      `Settings Co: connect your payroll account here: ${sent.smsLink} Reply STOP to opt out.`,
    );
    mails.set('1', { mail: sent.mail, sender: 'Settings Sender' });
  });

  const flowEmail = (): ExpectedEmail => ({
    subject: `Flow subject for ${NAME} at Settings Co`,
    header: 'Flow header',
    body: namedBody('Settings Co'),
    rows: [FLOW_ROW],
    button: BUILT_IN_BUTTON,
    signature: 'Settings Sender',
    color: FLOW.brand.color,
    logo: SETTINGS.brand.logo,
  });

  it('(2) a flow named by flow_id, over the settings', async () => {
    const created = await t.request('POST', '/v2/flows', { auth, body: FLOW });
    expect(created.status).toBe(200);
    flowId = created.body.id;
    const sent = await send(auth, { flow_id: flowId });
    expect(sent.invite.rendered_flow_id).toBe(flowId);
    expectEmail(sent, flowEmail());
    expect(sent.sms).toBe(`Flow text from Settings Co for ${NAME}: ${sent.smsLink}`);
    mails.set('2', { mail: sent.mail, sender: 'Settings Sender' });
  });

  it('(2b) the same flow as the default, with no flow_id', async () => {
    const patched = await t.request('PATCH', '/v2/invite-settings', {
      auth,
      body: { default_flow_id: flowId },
    });
    expect(patched.status).toBe(200);
    const sent = await send(auth);
    expect(sent.invite).toMatchObject({ flow_id: null, rendered_flow_id: flowId });
    expectEmail(sent, flowEmail());
    expect(sent.sms).toBe(`Flow text from Settings Co for ${NAME}: ${sent.smsLink}`);
  });

  it('(3) a legacy template over the flow', async () => {
    const created = await t.request('POST', '/v2/invite-templates', { auth, body: TEMPLATE });
    expect(created.status).toBe(200);
    templateId = created.body.id;
    const sent = await send(auth, { flow_id: flowId, invite_template_id: templateId });
    expect(sent.invite.rendered_flow_id).toBe(flowId);
    expectEmail(sent, {
      subject: 'Legacy subject from Lena at Legacy Co',
      header: 'Legacy header',
      body: `Legacy body for ${NAME} from Legacy Co`,
      // The template has no rows and no colour: the flow's show.
      rows: [FLOW_ROW],
      button: 'Legacy button',
      signature: 'Lena at Legacy Co',
      color: FLOW.brand.color,
      logo: TEMPLATE.logo_url,
      replyTo: TEMPLATE.reply_to,
    });
    expect(sent.sms).toBe(`Legacy text from Legacy Co: ${sent.smsLink}`);
    mails.set('3', { mail: sent.mail, sender: 'Lena at Legacy Co' });
  });

  it('(4) override_invite_template over everything', async () => {
    const sent = await send(auth, {
      flow_id: flowId,
      invite_template_id: templateId,
      override_invite_template: OVERRIDE,
    });
    expect(sent.invite.rendered_flow_id).toBe(flowId);
    expectEmail(sent, {
      subject: 'Override subject from Olga Override',
      header: 'Legacy header',
      body: `Legacy body for ${NAME} from Legacy Co`,
      rows: [FLOW_ROW],
      button: 'Legacy button',
      signature: 'Olga Override',
      color: OVERRIDE.brand.color,
      logo: TEMPLATE.logo_url,
      replyTo: TEMPLATE.reply_to,
    });
    expect(sent.sms).toBe(`Override text for ${NAME}: ${sent.smsLink}`);
    mails.set('4', { mail: sent.mail, sender: 'Olga Override' });
  });

  it('names the rendered sender in the From header, at the configured address', () => {
    expect([...mails.keys()]).toEqual(['0', '1', '2', '3', '4']);
    const from = [...mails.values()].map(({ mail }) => mail.from?.value);
    // With no sender named anywhere, the configured name stays.
    const want = [...mails.values()].map(({ sender }) => [{ address: FROM_ADDRESS, name: sender }]);
    expect(from).toEqual(want);
  });
});

describe('the only-one-template rule', () => {
  it('applies a client’s only Email/SMS template, and none once there are two', async () => {
    const auth = await t.newKey();
    const only = await t.request('POST', '/v2/flows', {
      auth,
      body: {
        type: 'email_sms_template',
        name: 'Only',
        email: { subject: 'Only flow subject' },
        sms_text: 'Only flow text: [Link]',
      },
    });
    expect(only.status).toBe(200);
    const first = await send(auth);
    expect(first.invite).toMatchObject({ flow_id: null, rendered_flow_id: only.body.id });
    expect(first.mail.subject).toBe('Only flow subject');
    expect(first.sms).toBe(`Only flow text: ${first.smsLink}`);

    const second = await t.request('POST', '/v2/flows', {
      auth,
      body: { type: 'email_sms_template', name: 'Second', email: { subject: 'Second flow subject' } },
    });
    expect(second.status).toBe(200);
    const after = await send(auth);
    expect(after.invite.rendered_flow_id).toBeNull();
    expectEmail(after, {
      subject: 'Connect your payroll account',
      header: BUILT_IN_HEADER,
      body: `Hi ${NAME}, you have been asked to connect your payroll account. It takes a few minutes.`,
      rows: [],
      button: BUILT_IN_BUTTON,
      color: DEFAULT_COLOR,
    });
    expect(after.sms).toBe(`Connect your payroll account here: ${after.smsLink} Reply STOP to opt out.`);
  });
});

describe('a flow_id that names no template of the client', () => {
  it('is refused on flow_id, and nothing is written or sent', async () => {
    const auth = await t.newKey();
    // A flow of the client, so that without the bad flow_id it would be the one applied.
    expect((await t.request('POST', '/v2/flows', { auth, body: FLOW })).status).toBe(200);
    const foreign = (await t.request('POST', '/v2/flows', { auth: await t.newKey(), body: FLOW })).body.id;
    const rowsBefore = await countRows(t.deps);
    const mailsBefore = smtp.messages.length;
    const textsBefore = env.tw.received.length;
    for (const flowId of ['ZZZZZZZZ', foreign, foreign.toLowerCase()]) {
      const res = await t.request('POST', '/v2/invites', {
        auth,
        body: inviteBody({ email: 'refused@example.com', phone_number: '+14155559999', flow_id: flowId }),
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        flow_id: [`Invalid flow "${flowId}" - no Email/SMS template has this ID.`],
      });
    }
    await t.drain();
    expect(await countRows(t.deps)).toEqual(rowsBefore);
    expect((await t.request('GET', '/v2/invites', { auth })).body.results).toEqual([]);
    expect(smtp.messages.length).toBe(mailsBefore);
    expect(env.tw.received.length).toBe(textsBefore);
    expect(smtp.rcpts).not.toContain('refused@example.com');
    expect(env.tw.to('+14155559999')).toEqual([]);
  });
});
