import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createMember, type MemberInput } from '../../src/members/members.service.ts';
import type { TestApp } from './app.ts';
import { launchChromium, seriousViolations, startListeningApp } from './browser.ts';

/**
 * The app on a real port (`env` adds to its settings), Chromium, the folder the screenshots go
 * to, and a member who signs in with a password.
 */
export async function startConsole(
  shots: string,
  member: MemberInput & { password: string },
  env: Record<string, string> = {},
): Promise<{ t: TestApp & { baseUrl: string }; browser: Browser }> {
  mkdirSync(shots, { recursive: true });
  const [t, browser] = await Promise.all([startListeningApp(env), launchChromium()]);
  await createMember(t.deps, t.key.client_id, member);
  return { t, browser };
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** What the browser complained of: script errors, refused resources, dialogs a script opened. */
  complaints: string[];
}

/** Closes what `startConsole` started, as much of it as did start. */
export async function stopConsole(t: TestApp | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await t?.close();
}

/** A fresh context at 1280 px with one page whose complaints are kept; a dialog is dismissed. */
export async function consolePage(browser: Browser, opts: BrowserContextOptions = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
  const page = await context.newPage();
  const complaints: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') complaints.push(m.text());
  });
  page.on('pageerror', (e) => complaints.push(e.message));
  page.on('dialog', (d) => {
    complaints.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { context, page, complaints };
}

/** Signs in with the form and waits for the Console's landing page. */
export async function signInAs(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await submitSignIn(page, () => page.getByRole('button', { name: 'Sign in' }).click());
}

/**
 * Submits the sign-in form with `press` and waits for the page it leads to. The form sits at
 * /console, where it also lands, so waiting for that URL would return before the answer came.
 */
export async function submitSignIn(page: Page, press: () => Promise<void>): Promise<void> {
  const answered = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/console/sign-in',
  );
  await press();
  await answered;
  await page.waitForLoadState('load');
}

/** How far the page runs past the window's width; above 0 it scrolls sideways. */
export function overflowOf(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * The page as it stands: axe finds nothing serious, it fits 1280 and 375 px, and both are on
 * file as `dir/name-width.png`. It leaves the page at 1280 px.
 */
export async function checkPage(page: Page, dir: string, name: string): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await overflowOf(page), `${name} at ${width}`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * At 375 then 1280 px, `open` brings the page to the state to check (afresh at each width):
 * it fits, axe finds nothing serious, and it is on file as `dir/name-width.png`.
 */
export async function checkAtWidths(
  page: Page,
  dir: string,
  name: string,
  open: () => Promise<unknown>,
): Promise<void> {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await open();
    expect(await overflowOf(page), `${name} at ${width}`).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page), `${name} at ${width}`).toEqual([]);
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
}
