import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, type TestApp } from './helpers/app.ts';
import { seriousViolations } from './helpers/browser.ts';
import {
  checkAtWidths,
  consolePage,
  overflowOf as overflow,
  signInAs,
  startConsole,
  stopConsole,
} from './helpers/console-page.ts';

const SHOTS = '/tmp/shots-outbox';
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'&`;

let t: TestApp & { baseUrl: string };
let browser: Browser;
let context: BrowserContext | undefined;
let inviteId: string;
let shareableId: string;
let complaints: string[];

beforeAll(async () => {
  ({ t, browser } = await startConsole(SHOTS, {
    email: 'ada@acme.example',
    name: 'Ada',
    role: 'admin',
    password: PASSWORD,
  }));
  const flow = await t.request('POST', '/v2/flows', {
    body: {
      type: 'email_sms_template',
      name: 'Payroll',
      email: { subject: `Connect your payroll, [Name] ${HOSTILE}`, header: HOSTILE },
      sms_text: `Acme ${HOSTILE}: [Link]`,
    },
  });
  const shareable = await t.request('POST', '/v2/flows', {
    body: { type: 'shareable_url', name: `Careers ${HOSTILE}` },
  });
  expect([flow.status, shareable.status]).toEqual([200, 200]);
  shareableId = shareable.body.id;
  for (const name of ['Ann', 'Ben']) {
    const res = await t.request('POST', '/v2/invites', {
      body: inviteBody({
        first_name: name,
        email: `${name.toLowerCase()}@example.com`,
        flow_id: flow.body.id,
      }),
    });
    expect(res.status).toBe(200);
    inviteId = res.body.id;
  }
  // Texts to one number go out paced, a few seconds apart.
  for (let i = 0; i < 3; i++) {
    t.clock.advance(5000);
    await t.drain();
  }
});
afterAll(() => stopConsole(t, browser));
afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function open(opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  let page: Page;
  ({ context, page, complaints } = await consolePage(browser, opts));
  await signInAs(page, t.baseUrl, 'ada@acme.example', PASSWORD);
  return page;
}

/** axe, the width, and a screenshot, at 375 and 1280 px, of the page at `url`. */
const check = (page: Page, name: string, url: string) =>
  checkAtWidths(page, SHOTS, `console-${name}`, () => page.goto(`${t.baseUrl}${url}`));

describe('the Console outbox in a real browser', () => {
  it('lists, filters and shows messages; an email runs nothing in its frame; hostile text stays text', async () => {
    const page = await open();
    await check(page, 'outbox', '/console/outbox');
    expect(await page.locator('table.outbox tbody tr').count()).toBe(4);

    await page.getByLabel('Channel').selectOption('sms');
    await Promise.all([page.waitForURL(/channel=sms/), page.getByRole('button', { name: 'Filter' }).click()]);
    expect(await page.locator('table.outbox tbody tr').count()).toBe(2);
    await check(page, 'outbox-filtered', new URL(page.url()).pathname + new URL(page.url()).search);

    await page.goto(`${t.baseUrl}/console/outbox?channel=email`);
    const subject = `Connect your payroll, Ben Longfield ${HOSTILE}`;
    await Promise.all([
      page.waitForURL(/\/console\/outbox\/[0-9a-f-]{36}$/),
      page.getByText(subject).click(),
    ]);
    const emailUrl = new URL(page.url()).pathname;
    await check(page, 'outbox-email', emailUrl);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(subject);
    const frame = page.locator('iframe.outbox-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    // The frame has an origin of its own: the Console's page cannot reach into it, nor it out.
    expect(await frame.evaluate((f: HTMLIFrameElement) => f.contentDocument === null)).toBe(true);
    const inFrame = page.frameLocator('iframe.outbox-frame');
    expect(await inFrame.locator('title').textContent()).toBe(subject);
    expect(await inFrame.locator('h1').textContent()).toBe(HOSTILE);
    expect(await inFrame.locator('img[src=x]').count()).toBe(0);

    await page.goto(`${t.baseUrl}/console/outbox?channel=sms`);
    await Promise.all([
      page.waitForURL(/\/console\/outbox\/[0-9a-f-]{36}$/),
      page.locator('td[data-label="Message"] a').first().click(),
    ]);
    await check(page, 'outbox-sms', new URL(page.url()).pathname);
    expect(await page.locator('.outbox-bubble').textContent()).toContain(`Acme ${HOSTILE}: ${t.baseUrl}/`);
    expect(await page.getByText(/^\d+ segments? · \d+ characters · (GSM-7|UCS-2)$/).count()).toBe(1);
    await Promise.all([
      page.waitForURL(/\/console\/invites\/[0-9a-f-]{36}$/),
      page.locator('dl.facts a').click(),
    ]);
    expect(complaints).toEqual([]);
  });

  it("copies an invite's link and a Shareable URL, announcing it; without script the link is there to select", async () => {
    const page = await open();
    await context?.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    await page.goto(`${t.baseUrl}/console/invites/${inviteId}`);
    const link = await page.getByLabel('Recipient’s link').inputValue();
    expect(link).toMatch(new RegExp(`^${t.baseUrl}/connect/${inviteId}`));
    const status = page.locator('.copy-link .copy-status');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await page.screenshot({ path: `${SHOTS}/console-invite-copied-1280.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${t.baseUrl}/console/templates`);
    const copy = page.getByRole('button', { name: `Copy the shareable URL of Careers ${HOSTILE}` });
    await copy.click();
    await expect
      .poll(() => page.locator('.shareable .copy-status').textContent(), { timeout: 30_000 })
      .toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${t.baseUrl}/s/${shareableId}`);
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/console-templates-copy-375.png`, fullPage: true });
    expect(complaints).toEqual([]);
    await context?.close();

    const plain = await open({ javaScriptEnabled: false });
    await plain.setViewportSize({ width: 375, height: 800 });
    await plain.goto(`${t.baseUrl}/console/invites/${inviteId}`);
    expect(await plain.getByRole('button', { name: 'Copy link' }).isVisible()).toBe(false);
    expect(await plain.getByLabel('Recipient’s link').inputValue()).toBe(link);
    await plain.screenshot({ path: `${SHOTS}/console-invite-no-script-375.png`, fullPage: true });
  });
});
