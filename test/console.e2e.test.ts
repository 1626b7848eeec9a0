import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import type { TestApp } from './helpers/app.ts';
import { inviteBody } from './helpers/app.ts';
import { seriousViolations } from './helpers/browser.ts';
import { consolePage, overflowOf, startConsole, stopConsole, submitSignIn } from './helpers/console-page.ts';

const SHOTS = '/tmp/shots-console';
const PASSWORD = 'correct horse battery';
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>Zoë "Boss" & co';

let t: TestApp & { baseUrl: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let complaints: string[];

beforeAll(async () => {
  ({ t, browser } = await startConsole(SHOTS, {
    email: 'zoe@acme.example',
    name: HOSTILE,
    role: 'admin',
    password: PASSWORD,
  }));
  for (const [first, last] of [
    ['Sarah', 'Longfield'],
    ['Marcus', 'Okonkwo-Villanueva'],
    ['Priya', 'Raman'],
  ]) {
    const res = await t.request('POST', '/v2/invites', {
      body: inviteBody({ first_name: first, last_name: last, email: `${first?.toLowerCase()}@example.com` }),
    });
    expect(res.status).toBe(200);
  }
});
afterAll(() => stopConsole(t, browser));
beforeEach(async () => {
  ({ context, page, complaints } = await consolePage(browser));
});
afterEach(() => context.close());

const activeLabel = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el?.labels?.[0]?.textContent ?? el?.textContent?.trim() ?? '';
  });

/** Signs in by keyboard only: Tab to each labelled field, type, Tab to the button, Enter. */
async function signInByKeyboard(email: string, password: string) {
  await page.goto(`${t.baseUrl}/console`);
  for (let i = 0; i < 5 && (await activeLabel()) !== 'Email'; i++) await page.keyboard.press('Tab');
  expect(await activeLabel()).toBe('Email');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  expect(await activeLabel()).toBe('Password');
  await page.keyboard.type(password);
  await page.keyboard.press('Tab');
  expect(await activeLabel()).toBe('Sign in');
  await submitSignIn(page, () => page.keyboard.press('Enter'));
}

const overflow = () => overflowOf(page);

describe('the Console in a real browser', () => {
  it('signs in by keyboard with the labelled fields and the button', async () => {
    await page.goto(`${t.baseUrl}/console`);
    await expect.poll(() => page.title()).toBe('Sign in · invitekit Console');
    expect(await page.getByLabel('Email').count()).toBe(1);
    expect(await page.getByLabel('Password').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);

    await signInByKeyboard('zoe@acme.example', 'not the password');
    expect(await page.getByRole('alert').textContent()).toContain('The email or password is incorrect.');
    expect(await page.getByLabel('Email').inputValue()).toBe('zoe@acme.example');

    await signInByKeyboard('zoe@acme.example', PASSWORD);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Invites');
    expect(await page.getByRole('table').getByRole('row').count()).toBe(4);
    // htmx is there for the pages that will use it, from the Console's own assets.
    expect(await page.evaluate(() => typeof (globalThis as { htmx?: unknown }).htmx)).toBe('object');
    expect(complaints.filter((c) => !c.includes('400'))).toEqual([]);
  });

  it('shows hostile text in a member name as text, and runs none of it', async () => {
    await signInByKeyboard('zoe@acme.example', PASSWORD);
    expect(await page.locator('header .member').textContent()).toBe(HOSTILE);
    expect(await page.locator('header img').count()).toBe(0);
    expect(complaints).toEqual([]);
  });

  it('the shell fits 375 and 1280 px: a menu that opens without script on small screens, a side bar on wide ones', async () => {
    await signInByKeyboard('zoe@acme.example', PASSWORD);
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${t.baseUrl}/console`);
      expect(await overflow()).toBeLessThanOrEqual(0);
      // The skip link is the first stop, and leads past the bar and the navigation.
      await page.keyboard.press('Tab');
      expect(await activeLabel()).toBe('Skip to content');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');

      // The landmark by its label; what a person can see and reach in it, by visible links.
      const nav = page.locator('nav[aria-label="Console"]');
      expect(await nav.count()).toBe(1);
      const links = nav.locator('a:visible');
      if (width === 375) {
        // One list is in the accessibility tree at a time: the menu's, closed until asked.
        expect(await links.count()).toBe(0);
        await page.locator('summary', { hasText: /^Menu$/ }).focus();
        await page.keyboard.press('Enter');
        await page.screenshot({ path: `${SHOTS}/invites-375-menu.png` });
        await expect.poll(() => links.count()).toBe(10);
        await page.keyboard.press('Enter');
      } else {
        expect(await links.count()).toBe(10);
        expect(await links.filter({ hasText: /^Invites$/ }).getAttribute('aria-current')).toBe('page');
      }
      await page.screenshot({ path: `${SHOTS}/invites-${width}.png`, fullPage: true });

      await page.goto(`${t.baseUrl}/console/templates`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Templates');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/coming-soon-${width}.png` });
    }
    expect(complaints).toEqual([]);
  });

  it('passes axe on the sign-in, set-password, forgot-password and Invites pages, at both widths', async () => {
    const { setPasswordToken } = await createMember(t.deps, t.key.client_id, {
      email: 'new@acme.example',
      name: 'New',
      role: 'operations',
    });
    const pages = {
      'sign-in': '/console',
      'set-password': `/console/set-password?token=${setPasswordToken}`,
      'forgot-password': '/console/forgot-password',
    };
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      for (const [name, path] of Object.entries(pages)) {
        const res = await page.goto(`${t.baseUrl}${path}`);
        expect(res?.status(), name).toBe(200);
        expect(await overflow(), name).toBeLessThanOrEqual(0);
        expect(await seriousViolations(page), `${name} at ${width}`).toEqual([]);
        await page.screenshot({ path: `${SHOTS}/${name}-${width}.png` });
      }
      // A refused form: errors beside their fields must pass too.
      await page.goto(`${t.baseUrl}${pages['set-password']}`);
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Save password and sign in' }).click();
      // The refused form comes back as a new page: wait for its alert, not the old page's load.
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('This password is too short.');
      expect(await seriousViolations(page), `refused set-password at ${width}`).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/set-password-errors-${width}.png` });
    }
    await signInByKeyboard('zoe@acme.example', PASSWORD);
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${t.baseUrl}/console`);
      expect(await seriousViolations(page), `invites at ${width}`).toEqual([]);
    }
    expect(complaints.filter((c) => !c.includes('400'))).toEqual([]);
  });
});
