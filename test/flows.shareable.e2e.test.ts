import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { launchChromium, seriousViolations, startListeningApp } from './helpers/browser.ts';

/** Shareable URLs in Chromium: real cookies decide whether a visitor resumes or gets an invite. */

const SHOTS = '/tmp/shots-share';
const WIDTHS = [375, 1280] as const;

let t: TestApp & { baseUrl: string };
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [t, browser] = await Promise.all([startListeningApp(), launchChromium()]);
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});
// Every test starts in a fresh minute of the per-address cap.
beforeEach(() => t.clock.advance(120_000));

/** A new browser profile: its own cookies. */
async function newPage(width = 375): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  contexts.push(context);
  return context.newPage();
}
afterAll(() => Promise.all(contexts.map((c) => c.close().catch(() => undefined))));

async function createFlow(body: Record<string, unknown>) {
  const res = await t.request('POST', '/v2/flows', {
    body: { type: 'shareable_url', name: 'Open', ...body },
  });
  expect(res.status, res.raw).toBe(200);
  return res.body as { id: string; url: string };
}

const invitesOf = async (flowId: string): Promise<any[]> =>
  (await t.request('GET', '/v2/invites?limit=200')).body.results.filter((i: any) => i.flow_id === flowId);

/** Opens the URL and presses the landing page's button, as a person would. */
async function enter(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Connect your account' }).click();
  await page.waitForURL(/\/connect\/[0-9a-f-]{36}\/items/);
}

async function expectAccessible(page: Page) {
  expect(await seriousViolations(page)).toEqual([]);
}

describe('a Shareable URL in a real browser', () => {
  it('makes one invite per browser: two browsers make two, one browser twice makes one', async () => {
    const flow = await createFlow({
      landing_page: { header: 'Verify your income for Acme Lending' },
      brand: { color: '#0F766E' },
      notify_emails: ['lo@lender.test'],
    });
    const first = await newPage();
    const second = await newPage();
    await enter(first, flow.url);
    await enter(second, flow.url);
    const two = await invitesOf(flow.id);
    expect(two).toHaveLength(2);
    expect(two.map((i) => i.status)).toEqual(['initiated', 'initiated']);

    // The first browser comes back: its own invite, no new one.
    await first.goto(flow.url);
    expect(new URL(first.url()).pathname).toMatch(/^\/connect\/[0-9a-f-]{36}$/);
    await first.getByRole('button', { name: 'Connect your account' }).click();
    await first.waitForURL(/\/items/);
    expect(await invitesOf(flow.id)).toHaveLength(2);
    const ids = two.map((i) => i.id);
    expect(ids).toContain(new URL(first.url()).pathname.split('/')[2]);
  });

  it('shows the landing and "No action needed" pages readably at 375 and 1280 px, blocking no one', async () => {
    const flow = await createFlow({
      landing_page: {
        header: 'Verify your income for Acme Lending',
        subheader: 'Acme Lending needs to see your pay to finish your application.',
      },
      brand: { color: '#1D4ED8' },
    });
    for (const width of WIDTHS) {
      const page = await newPage(width);
      const res = await page.goto(flow.url);
      expect(res?.status()).toBe(200);
      await expect.poll(() => page.title()).toBe('Verify your income for Acme Lending');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await expectAccessible(page);
      await page.screenshot({ path: `${SHOTS}/landing-${width}.png`, fullPage: true });
    }

    await t.request('PATCH', `/v2/flows/${flow.id}`, { body: { active: false } });
    for (const width of WIDTHS) {
      const page = await newPage(width);
      const res = await page.goto(flow.url);
      expect(res?.status()).toBe(200);
      await page.getByRole('heading', { name: 'No action needed' }).waitFor();
      expect(await page.getByRole('button').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await expectAccessible(page);
      await page.screenshot({ path: `${SHOTS}/inactive-${width}.png`, fullPage: true });
    }
    expect(await invitesOf(flow.id)).toEqual([]);
  });

  it('a landing page opened before the URL was turned off makes nothing when its button is pressed', async () => {
    const flow = await createFlow({});
    const page = await newPage();
    await page.goto(flow.url);
    await t.request('PATCH', `/v2/flows/${flow.id}`, { body: { active: false } });
    await page.getByRole('button', { name: 'Connect your account' }).click();
    await page.getByRole('heading', { name: 'No action needed' }).waitFor();
    expect(await invitesOf(flow.id)).toEqual([]);
  });

  it('shows hostile flow text as text and runs none of it', async () => {
    const hostile = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
    const flow = await createFlow({
      landing_page: { header: hostile[0], subheader: hostile[1], step_1: hostile.join(' ') },
      success_page: { header: hostile[1] },
    });
    const page = await newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(flow.url);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(hostile[0]);
    expect(await page.locator('p.lead').innerText()).toBe(hostile[1]);
    expect(await page.locator('img').count()).toBe(0);
    await page.getByRole('button').click();
    await page.waitForURL(/\/items/);
    expect(dialogs).toBe(0);
  });
});
