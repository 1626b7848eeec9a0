import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, textOf } from './helpers/console.ts';

let t: TestApp;
let nextIp = 1;
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'& Payroll`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Most invites are sent at T0; the page is read three days later. */
const T0 = new Date('2026-01-15T12:00:00.000Z');

let flowId: string;
let admin: ConsoleBrowser;

async function send(over: Record<string, unknown>) {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody(over) });
  expect(res.status).toBe(200);
  return res.body as { id: string; deliveries: { id: string; method: string }[] };
}

async function act(id: string, action: string) {
  const res = await t.request('POST', `/v2/sandbox/invites/${id}/simulate`, { body: { action } });
  expect(res.status).toBe(200);
}

async function report(
  invite: { deliveries: { id: string; method: string }[] },
  method: string,
  status: string,
) {
  const delivery = invite.deliveries.find((d) => d.method === method);
  const res = await t.request('POST', `/v2/sandbox/deliveries/${delivery?.id}/simulate`, {
    body: { status },
  });
  expect(res.status).toBe(200);
}

const EMAIL_ONLY = { phone_number: undefined };
const SMS_ONLY = { email: undefined };

/** A browser signed in as a new member of the role, in the client (the app's own by default). */
async function signedIn(role: string, clientId = t.key.client_id): Promise<ConsoleBrowser> {
  const email = `m${nextIp}@acme.example`;
  await createMember(t.deps, clientId, { email, name: '', role, password: PASSWORD });
  const b = consoleBrowser(t, { ip: `198.51.100.${nextIp++}` });
  const res = await b.submit('/console', '/console/sign-in', { email, password: PASSWORD });
  expect(res.status).toBe(303);
  return b;
}

beforeAll(async () => {
  t = await startTestApp();
  const flow = await t.request('POST', '/v2/flows', {
    body: { type: 'email_sms_template', name: HOSTILE, language: 'en' },
  });
  expect(flow.status).toBe(200);
  flowId = flow.body.id;
  // A second template, so that an invite sent without one renders from the built-in texts.
  const unused = await t.request('POST', '/v2/flows', {
    body: { type: 'email_sms_template', name: 'Unused', language: 'en' },
  });
  expect(unused.status).toBe(200);
  const withFlow = { flow_id: flowId };

  // Forty days before: one invite, completed an hour after it was sent.
  t.clock.set(new Date(T0.getTime() - 40 * DAY));
  const old = await send({ ...withFlow, ...EMAIL_ONLY });
  t.clock.advance(HOUR);
  await act(old.id, 'complete');

  // T0: nine invites, each taken to a known stage.
  t.clock.set(T0);
  const delivered = await send({ ...withFlow, ...EMAIL_ONLY });
  const opened = await send(withFlow);
  const initiated = await send({ ...withFlow, ...SMS_ONLY });
  const attempted = await send(EMAIL_ONLY);
  const revoked = await send(withFlow);
  const slow = await send({});
  const fast = await send({ ...withFlow, ...SMS_ONLY });
  const slowest = await send(EMAIL_ONLY);
  const bounced = await send(EMAIL_ONLY);
  await t.drain();
  await report(delivered, 'email', 'delivered');
  await report(opened, 'email', 'opened');
  await act(initiated.id, 'initiate');
  await act(attempted.id, 'attempt');
  await act(revoked.id, 'initiate');
  expect((await t.request('POST', `/v2/invites/${revoked.id}/revoke`)).status).toBe(200);
  await report(bounced, 'email', 'undelivered');
  t.clock.set(new Date(T0.getTime() + 30 * MINUTE));
  await act(fast.id, 'complete');
  t.clock.set(new Date(T0.getTime() + 2 * HOUR + 14 * MINUTE));
  await act(slow.id, 'complete');
  t.clock.set(new Date(T0.getTime() + 3 * DAY));
  await act(slowest.id, 'complete');

  admin = await signedIn('admin');
});
afterAll(async () => {
  await t?.close();
});

interface Read {
  status: number;
  html: string;
  /** Invites at each stage, sent to completed, as the table under the chart gives them. */
  stages: number[];
  /** The "from previous stage" and "from sent" columns of that table. */
  rates: [string, string][];
  median: string;
}

async function dashboard(b: ConsoleBrowser, query = ''): Promise<Read> {
  const page = await b.get(`/console/dashboard${query}`);
  const html = page.html;
  const stages = [...html.matchAll(/data-label="Invites">([\d,]+)</g)].map((m) =>
    Number(m[1]?.replace(',', '')),
  );
  const rates = [
    ...html.matchAll(/data-label="From previous stage">([^<]*)<\/td><td data-label="From sent">([^<]*)</g),
  ].map((m) => [m[1] ?? '', m[2] ?? ''] as [string, string]);
  const median = textOf(/<dl class="funnel-median">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '');
  return { status: page.status, html, stages, rates, median };
}

/** A breakdown row's counts, sent to completed, by its label. */
function breakdown(html: string, label: string): number[] {
  const rows = [
    ...html.matchAll(
      /<tr><th scope="row" data-label="(?:Template|Channel)">([\s\S]*?)<\/th>([\s\S]*?)<\/tr>/g,
    ),
  ];
  const row = rows.find((r) => textOf(r[1] ?? '') === label);
  if (!row) throw new Error(`no row ${label}`);
  return [...(row[2] ?? '').matchAll(/<td data-label="[A-Z][a-z]+">([\d,]+)</g)].map((m) => Number(m[1]));
}

describe('the funnel', () => {
  it('counts the last 30 days by default: each stage holds the invites that reached it or a later one', async () => {
    const r = await dashboard(admin);
    expect(r.status).toBe(200);
    expect(r.stages).toEqual([9, 8, 7, 6, 4, 3]);
    expect(r.rates).toEqual([
      ['–', '100%'],
      ['88.9%', '88.9%'],
      ['87.5%', '77.8%'],
      ['85.7%', '66.7%'],
      ['66.7%', '44.4%'],
      ['75%', '33.3%'],
    ]);
    // 30 minutes, 2 h 14 min and 3 days: the middle one.
    expect(r.median).toContain('2 h 14 min');
    expect(r.median).toContain('of 3 completed invites');
    // The chart: an image with a title, its bars as wide as their share of the invites sent.
    expect(r.html).toMatch(/<svg class="funnel-chart" role="img" aria-labelledby="funnel-chart-title/);
    expect(r.html).toContain('<title id="funnel-chart-title">');
    expect(r.html).toContain('<rect class="funnel-bar" x="0" y="286" width="33.33%"');
    expect(r.html).not.toContain('style=');
    expect(textOf(r.html)).toContain('9 invites first sent from 2025-12-19 to 2026-01-18 (UTC).');
  });

  it('breaks the funnel down by template and by channel', async () => {
    const { html } = await dashboard(admin);
    expect(breakdown(html, HOSTILE)).toEqual([5, 5, 4, 3, 1, 1]);
    expect(breakdown(html, 'No template (built-in texts)')).toEqual([4, 3, 3, 3, 3, 2]);
    // An invite sent both ways counts in both, with that channel's own delivered and opened.
    expect(breakdown(html, 'Email')).toEqual([7, 6, 5, 4, 3, 2]);
    expect(breakdown(html, 'SMS')).toEqual([5, 4, 4, 4, 2, 2]);
  });

  it('narrows to a template or a channel, with the median of what is left', async () => {
    const byFlow = await dashboard(admin, `?flow=${flowId}`);
    expect(byFlow.stages).toEqual([5, 5, 4, 3, 1, 1]);
    expect(byFlow.median).toContain('30 min');
    expect(byFlow.html).toMatch(new RegExp(`<option value="${flowId}" selected`));

    const builtIn = await dashboard(admin, '?flow=none');
    expect(builtIn.stages).toEqual([4, 3, 3, 3, 3, 2]);
    // The mean of the middle two: 2 h 14 min and 3 days.
    expect(builtIn.median).toContain('1 day 13 h');

    const sms = await dashboard(admin, '?channel=sms');
    expect(sms.stages).toEqual([5, 4, 4, 4, 2, 2]);
    expect(sms.median).toContain('1 h 22 min');
    expect(breakdown(sms.html, 'SMS')).toEqual([5, 4, 4, 4, 2, 2]);
    expect(() => breakdown(sms.html, 'Email')).toThrow();

    const both = await dashboard(admin, `?flow=none&channel=sms`);
    expect(both.stages).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('reads other periods: a longer preset, custom dates, and a period with nothing sent', async () => {
    const ninety = await dashboard(admin, '?period=90d');
    expect(ninety.stages).toEqual([10, 9, 8, 7, 5, 4]);
    expect(ninety.median).toContain('1 h 37 min');

    const oldDay = new Date(T0.getTime() - 40 * DAY).toISOString().slice(0, 10);
    const custom = await dashboard(admin, `?period=custom&from=${oldDay}&to=${oldDay}`);
    expect(custom.stages).toEqual([1, 1, 1, 1, 1, 1]);
    expect(custom.median).toContain('1 h');
    expect(custom.html).toContain(`value="${oldDay}"`);
    expect(textOf(custom.html)).toContain(`1 invite first sent on ${oldDay} (UTC).`);

    const empty = await dashboard(admin, '?period=custom&from=2025-01-01&to=2025-01-31');
    expect(empty.status).toBe(200);
    expect(textOf(empty.html)).toContain('No invites were sent in this period.');
    expect(empty.html).not.toContain('<svg');
  });

  it('refuses custom dates it cannot read, with the errors beside their fields', async () => {
    const bad = await dashboard(admin, '?period=custom&from=2026-02-30&to=2026-01-01');
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(
      /<ul class="field-errors" id="field-from-errors"><li>Enter a date as YYYY-MM-DD\.<\/li>/,
    );
    expect(bad.html).toContain('aria-invalid="true"');
    expect(bad.html).not.toContain('<svg');

    const backwards = await dashboard(admin, '?period=custom&from=2026-01-10&to=2026-01-01');
    expect(backwards.status).toBe(400);
    expect(textOf(backwards.html)).toContain('Enter a date on or after the start date.');

    const tooLong = await dashboard(admin, '?period=custom&from=2020-01-01&to=2026-01-01');
    expect(tooLong.status).toBe(400);
    expect(textOf(tooLong.html)).toContain('Choose a period of at most 366 days.');
  });
});

describe('who sees it', () => {
  it('a developer sees the dashboard; a member without the permission gets 403; signed out, the sign-in page', async () => {
    const dev = await dashboard(await signedIn('developer'));
    expect(dev.status).toBe(200);
    expect(dev.stages).toEqual([9, 8, 7, 6, 4, 3]);

    const ops = await (await signedIn('operations')).get('/console/dashboard');
    expect(ops.status).toBe(403);
    expect(ops.html).not.toContain('funnel-chart');

    const anon = await consoleBrowser(t, { ip: '198.51.100.250' }).get('/console/dashboard');
    expect(anon.status).toBe(303);
    expect(anon.location).toBe('/console?next=%2Fconsole%2Fdashboard');
  });

  it('shows a hostile template name as text', async () => {
    const { html } = await dashboard(admin);
    expect(html).not.toContain('<img src=x');
    const option = new RegExp(`<option value="${flowId}">([^<]*)</option>`).exec(html);
    expect(textOf(option?.[1] ?? '')).toBe(HOSTILE);
  });
});

describe('sandbox clocks', () => {
  it("reads a client's period from its own clock, which may run ahead of the server's", async () => {
    const other = await t.newKey();
    const ahead = await t.request('POST', '/v2/sandbox/clock', {
      auth: other,
      body: { advance_seconds: 60 * 24 * 3600 },
    });
    expect(ahead.status).toBe(200);
    const sent = await t.request('POST', '/v2/invites', { auth: other, body: inviteBody() });
    expect(sent.status).toBe(200);
    // Sent this very moment: a period that ends now includes it.
    const member = await signedIn('admin', other.client_id);
    expect((await dashboard(member, '?period=7d')).stages).toEqual([1, 0, 0, 0, 0, 0]);
    t.clock.advance(MINUTE);
    const r = await dashboard(member, '?period=7d');
    expect(r.stages).toEqual([1, 0, 0, 0, 0, 0]);
    expect(r.median).toContain('None completed yet');
  });
});
