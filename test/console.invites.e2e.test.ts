import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { inviteBody } from './helpers/app.ts';
import { seriousViolations } from './helpers/browser.ts';
import { consolePage, overflowOf, signInAs, startConsole, stopConsole } from './helpers/console-page.ts';

const SHOTS = '/tmp/shots-console-invites';
const PASSWORD = 'correct horse battery';
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>Zoë "Boss" & co';

let t: TestApp & { baseUrl: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let complaints: string[];
let hostileId = '';

beforeAll(async () => {
  ({ t, browser } = await startConsole(SHOTS, {
    email: 'ada@acme.example',
    name: 'Ada Admin',
    role: 'admin',
    password: PASSWORD,
  }));
  for (const [first, last] of [
    ['Sarah', 'Longfield'],
    ['Marcus', 'Okonkwo-Villanueva-Montgomery-Fitzgerald'],
    [HOSTILE, 'Raman'],
  ]) {
    const res = await t.request('POST', '/v2/invites', {
      body: inviteBody({
        first_name: first,
        last_name: last,
        email: `${String(last).toLowerCase()}.a.rather.long.address@example-recipients.com`,
      }),
    });
    expect(res.status).toBe(200);
    hostileId = res.body.id;
  }
  await t.drain();
});
afterAll(() => stopConsole(t, browser));
beforeEach(async () => {
  ({ context, page, complaints } = await consolePage(browser));
});
afterEach(() => context.close());

const signIn = () => signInAs(page, t.baseUrl, 'ada@acme.example', PASSWORD);

const overflow = () => overflowOf(page);

describe('the Invites and Invite pages in a real browser', () => {
  it('fit 375, 768 and 1280 px, pass axe, and show hostile text as text', async () => {
    await signIn();
    // 768: the side nav appears and takes its width from the list's room.
    for (const width of [375, 768, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      for (const [name, path] of [
        ['invites', '/console/invites'],
        ['invites-filtered', '/console/invites?q=sarah&status=sent'],
        ['invite', `/console/invites/${hostileId}`],
      ] as const) {
        const res = await page.goto(`${t.baseUrl}${path}`);
        expect(res?.status(), name).toBe(200);
        expect(await overflow(), `${name} at ${width}`).toBeLessThanOrEqual(0);
        expect(await seriousViolations(page), `${name} at ${width}`).toEqual([]);
        await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
      }
    }
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(HOSTILE);
    expect(complaints).toEqual([]);
  });

  it('filters and re-sends by keyboard and forms alone', async () => {
    await signIn();
    await page.goto(`${t.baseUrl}/console/invites`);
    await page.getByLabel('Search').fill('marcus');
    await page.getByLabel('Search').press('Enter');
    await page.waitForURL(/q=marcus/);
    expect(await page.getByRole('table').getByRole('row').count()).toBe(2);
    await page.getByRole('link', { name: /Marcus/ }).click();
    await page.waitForURL(/\/console\/invites\/[0-9a-f-]{36}$/);
    expect(await page.getByLabel('Recipient’s link').inputValue()).toBe(
      `${t.baseUrl}/connect/${await page.evaluate(() => location.pathname.split('/').pop())}`,
    );
    await page.getByRole('button', { name: 'Re-send' }).focus();
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toBe('The invite was sent again.');
    expect(await page.locator('.timeline').textContent()).toContain('invite.resent by Ada Admin');
    expect(complaints).toEqual([]);
  });
});
