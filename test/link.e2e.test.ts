import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { inviteBody } from './helpers/app.ts';
import { launchChromium, seriousViolations, startListeningApp } from './helpers/browser.ts';

let t: TestApp & { baseUrl: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [t, browser] = await Promise.all([startListeningApp(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  page = await context.newPage();
});
afterEach(() => context.close());

const send = async (over: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody(over) });
  expect(res.status).toBe(200);
  return res.body;
};
const statusOf = async (id: string) => (await t.request('GET', `/v2/invites/${id}`)).body.status;

async function expectAccessible() {
  expect(await seriousViolations(page)).toEqual([]);
}

describe('the recipient in a real browser', () => {
  it('opens the invite, enters Link by keyboard, fails a login, then connects with the code', async () => {
    const invite = await send();
    await page.setViewportSize({ width: 320, height: 640 });
    const res = await page.goto(invite.url);
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.title()).toBe('Connect your payroll account');
    // Readable at 320 px: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectAccessible();
    expect(await statusOf(invite.id)).toBe('sent');

    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/items$/);
    expect(await statusOf(invite.id)).toBe('initiated');
    await page.getByLabel('Search employers, payroll platforms and gig apps').fill('ledger');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: /Ledgerline Payroll/ }).click();
    await expectAccessible();

    await page.getByLabel('Username').fill('test_1');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('didn’t work');
    expect(await statusOf(invite.id)).toBe('attempted');

    await page.getByLabel('Username').fill('test_1');
    await page.getByLabel('Password').fill('passgood');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByLabel('Verification code').fill('8081');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Your account is connected' }).waitFor();
    expect(await statusOf(invite.id)).toBe('completed');

    await page.reload();
    await page.goBack();
    expect(await statusOf(invite.id)).toBe('completed');
    const accounts = await t.request('GET', `/v2/accounts?user=${invite.user}`);
    expect(accounts.body.results).toEqual([
      expect.objectContaining({ item: 'item_000000012', status: 'connected' }),
    ]);
  });

  it('goes straight to the login of the one flow item', async () => {
    const invite = await send({ flow_items: ['item_000000016'] });
    await page.goto(invite.url);
    await page.getByRole('button', { name: 'Connect your account' }).click();
    await page.getByRole('heading', { name: 'Log in to RideNow Driver' }).waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/connect/${invite.id}/items/item_000000016`);
  });

  it('uploads a document instead of logging in', async () => {
    const invite = await send();
    await page.goto(invite.url);
    await page.getByRole('button', { name: 'Connect your account' }).click();
    await page.getByRole('link', { name: 'upload a document' }).click();
    await page.getByLabel('Document').setInputFiles({
      name: 'paystub.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 paystub'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('heading', { name: 'Your account is connected' }).waitFor();
    expect(await statusOf(invite.id)).toBe('completed');
    const doc = await t.deps.db
      .selectFrom('documents')
      .selectAll()
      .where('invite_id', '=', invite.id)
      .executeTakeFirst();
    expect(Buffer.from(doc!.content).toString()).toBe('%PDF-1.4 paystub');
  });

  it('shows the expired page for a revoked invite', async () => {
    const invite = await send();
    await t.request('POST', `/v2/invites/${invite.id}/revoke`);
    const res = await page.goto(invite.url);
    expect(res?.status()).toBe(410);
    await page.getByRole('heading', { name: 'This invite has expired' }).waitFor();
    expect(await page.getByRole('button').count()).toBe(0);
    await expectAccessible();
  });

  it('shows a template’s <script> as text and never runs it', async () => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const header = '<script>alert(1)</script>Welcome';
    const invite = await send({ override_invite_template: { landing_page: { header } } });
    await page.goto(invite.url);
    await page.getByRole('heading', { name: header }).waitFor();
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toBe(0);
  });
});
