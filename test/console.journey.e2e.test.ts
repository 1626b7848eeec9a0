import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from './helpers/app.ts';
import { launchChromium } from './helpers/browser.ts';
import { cliFor, type Server } from './helpers/cli.ts';
import { checkPage, consolePage } from './helpers/console-page.ts';

/**
 * The Console as a new operator meets it: `invitekit serve` on a fresh SQLite file (the
 * embedded default: captured outbox, its worker running), driven in Chromium from the setup
 * link the banner prints to a completed invite and the Cc'd teammate's notice.
 */
const SHOTS = '/tmp/shots-console-journey';
const KEY = { api_key_id: 'journey-key', api_key_secret: 'journey-secret-0123456789abcdef' };
const PASSWORD = 'a long enough password';

const dir = mkdtempSync(join(tmpdir(), 'invitekit-journey-'));
const { ok, serve, killAll } = cliFor(join(dir, 'journey.db'));
let server: Server;
let origin: string;
let setupLink: string;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const env = { INVITEKIT_API_KEY_ID: KEY.api_key_id, INVITEKIT_API_KEY_SECRET: KEY.api_key_secret };
  [server, browser] = await Promise.all([serve(env), launchChromium()]);
  // The banner is a log line when stdout is not a terminal: the link ends at its closing quote.
  setupLink = /First admin: +([^\s"]+)/.exec(server.banner)?.[1] ?? '';
  expect(setupLink).toMatch(/\/console\/set-password\?token=/);
  origin = new URL(setupLink).origin;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** Messages the outbox captured for `to`, through the API as an integrating team reads them. */
async function outboxFor(to: string): Promise<{ subject: string | null; text: string | null }[]> {
  const res = await fetch(`${server.url}/outbox/messages?to=${encodeURIComponent(to)}`, {
    headers: { authorization: basic(KEY) },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: { subject: string | null; text: string | null }[] }).results;
}

async function click(page: Page, name: string | RegExp) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);
}

const check = (page: Page, name: string) => checkPage(page, SHOTS, name);

/** The recipient, in a browser of their own, from the link to a connected account. */
async function completeAsRecipient(link: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('heading', { name: 'Welcome, Sarah Longfield' }).waitFor();
  await page.getByRole('button', { name: 'Connect your account' }).click();
  await page.getByLabel('Search employers, payroll platforms and gig apps').fill('ledger');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: /Ledgerline Payroll/ }).click();
  await page.getByLabel('Username').fill('test_1');
  await page.getByLabel('Password').fill('passgood');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByLabel('Verification code').fill('8081');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'All set, Sarah Longfield' }).waitFor();
  await context.close();
}

describe('the journey from the setup link to a completed invite', () => {
  it('sets up the first admin, makes a template, sends with a Cc, follows it to completed, then re-sends and revokes another', {
    timeout: 180_000,
  }, async () => {
    // A dialog a script opens is a complaint too.
    const { context, page, complaints } = await consolePage(browser);

    // The first admin, from the link the banner printed.
    await page.goto(setupLink);
    await page.getByLabel('Email').fill('admin@acme.example');
    await page.getByLabel('Name').fill('Ada Admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await click(page, 'Create admin and sign in');
    await expect.poll(() => page.locator('[role="status"]').first().textContent()).toContain('first admin');
    expect(new URL(page.url()).pathname).toBe('/console');

    // A teammate to Cc, made from the command line as an operator would.
    await ok(
      ['members', 'create', '--email', 'mate@acme.example', '--role', 'operations', '--name', 'Milo Mate'],
      { INVITEKIT_API_KEY_ID: KEY.api_key_id, INVITEKIT_API_KEY_SECRET: KEY.api_key_secret },
    );

    // A template, watched in the live preview while it is typed.
    await page.goto(`${origin}/console/templates/new`);
    await page.getByLabel('Name', { exact: true }).fill('Payroll onboarding');
    await page.getByLabel('Subject').fill('Connect your payroll, [Name]');
    await page.getByLabel('Header', { exact: true }).fill('Payroll for [Name]');
    await page.getByLabel('Landing page header').fill('Welcome, [Name]');
    await page.getByLabel('Success page header').fill('All set, [Name]');
    const email = page.frameLocator('iframe[title="Email preview"]');
    await expect.poll(() => email.locator('h1').textContent(), { timeout: 15_000 }).toContain('Payroll for');
    await check(page, 'journey-template');
    await click(page, 'Create template');
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/templates\/[A-Z0-9]+$/);

    // One invite from the form, with the teammate Cc'd.
    await page.goto(`${origin}/console/send`);
    await page.getByLabel('First name').fill('Sarah');
    await page.getByLabel('Last name').fill('Longfield');
    await page.getByLabel('Email').fill('sarah@example.com');
    await page.getByLabel('Template').selectOption({ label: 'Payroll onboarding' });
    await page.getByLabel('Milo Mate').check();
    await click(page, 'Send invite');
    await check(page, 'journey-sent');

    // In the list under Sent.
    await page.goto(`${origin}/console`);
    await page.getByRole('link', { name: /^Sent/ }).click();
    const row = page.getByRole('row', { name: /Sarah Longfield/ });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('sent');
    await check(page, 'journey-list');

    // The recipient connects an account in a browser of their own.
    await row.getByRole('link').first().click();
    const link = await page.locator('#invite-link').inputValue();
    await completeAsRecipient(link);

    await page.reload();
    await expect.poll(() => page.locator('.facts .status').textContent()).toBe('completed');
    expect(
      await page.locator('.timeline, [aria-labelledby="timeline-heading"]').first().textContent(),
    ).toMatch(/completed/i);
    await check(page, 'journey-completed');
    await page.goto(`${origin}/console?status=completed`);
    await expect.poll(() => page.getByRole('row', { name: /Sarah Longfield/ }).count()).toBe(1);

    // The Cc'd teammate is told, through the same outbox every email goes to.
    await expect
      .poll(async () => (await outboxFor('mate@acme.example')).map((m) => m.text ?? '').join('\n'), {
        timeout: 60_000,
        interval: 500,
      })
      .toContain('Sarah Longfield');

    // Another invite: re-sent, then revoked.
    await page.goto(`${origin}/console/send`);
    await page.getByLabel('First name').fill('Tom');
    await page.getByLabel('Last name').fill('Other');
    await page.getByLabel('Email').fill('tom@example.com');
    await click(page, 'Send invite');
    await page.goto(`${origin}/console`);
    await page
      .getByRole('row', { name: /Tom Other/ })
      .getByRole('link')
      .first()
      .click();
    await click(page, 'Re-send');
    await expect.poll(() => page.locator('[role="status"]').first().textContent()).toContain('sent again');
    await click(page, 'Revoke');
    await expect.poll(() => page.locator('.facts .status').textContent()).toBe('revoked');
    await expect.poll(async () => (await outboxFor('tom@example.com')).length, { timeout: 30_000 }).toBe(2);
    expect(complaints).toEqual([]);
    await context.close();
  });
});
