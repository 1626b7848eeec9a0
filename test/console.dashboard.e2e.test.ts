import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, type TestApp } from './helpers/app.ts';
import { seriousViolations } from './helpers/browser.ts';
import {
  consolePage,
  overflowOf as overflow,
  signInAs,
  startConsole,
  stopConsole,
} from './helpers/console-page.ts';

const SHOTS = '/tmp/shots-dashboard';
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'& Payroll onboarding for the whole company`;

let t: TestApp & { baseUrl: string };
let browser: Browser;

beforeAll(async () => {
  ({ t, browser } = await startConsole(SHOTS, {
    email: 'ada@acme.example',
    name: 'Ada',
    role: 'developer',
    password: PASSWORD,
  }));
  const flows: string[] = [];
  for (const name of [HOSTILE, 'Welcome']) {
    const res = await t.request('POST', '/v2/flows', {
      body: { type: 'email_sms_template', name, language: 'en' },
    });
    flows.push(res.body.id);
  }
  // A few invites at different stages, across both templates and the built-in texts.
  const actions = ['complete', 'attempt', 'initiate', 'open', null, 'complete', null];
  for (const [i, action] of actions.entries()) {
    const sent = await t.request('POST', '/v2/invites', {
      body: inviteBody({ flow_id: flows[i % 3], ...(i % 2 ? { email: undefined } : {}) }),
    });
    expect(sent.status).toBe(200);
    t.clock.advance(47 * 60_000);
    if (action) {
      const res = await t.request('POST', `/v2/sandbox/invites/${sent.body.id}/simulate`, {
        body: { action },
      });
      expect(res.status).toBe(200);
    }
  }
  await t.drain();
});
afterAll(() => stopConsole(t, browser));

describe('the Dashboard in a real browser', () => {
  it('draws the funnel, narrows it with the form without script errors, and fits 375 and 1280 px', async () => {
    const { context, page, complaints } = await consolePage(browser);
    await signInAs(page, t.baseUrl, 'ada@acme.example', PASSWORD);

    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${t.baseUrl}/console/dashboard`);
      expect(await page.getByRole('img', { name: 'Invites at each stage of the funnel' }).count()).toBe(1);
      expect(await overflow(page), `dashboard at ${width}`).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page), `dashboard at ${width}`).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/dashboard-${width}.png`, fullPage: true });

      // The form, as a person uses it: a template and a channel, then custom dates refused.
      await page.getByLabel('Template', { exact: true }).selectOption({ label: HOSTILE });
      await page.getByLabel('Channel', { exact: true }).selectOption('sms');
      await Promise.all([page.waitForURL(/flow=/), page.getByRole('button', { name: 'Show' }).click()]);
      expect(await page.locator('th[scope="row"][data-label="Template"]').allTextContents()).toEqual([
        HOSTILE,
      ]);
      expect(await overflow(page), `filtered at ${width}`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/dashboard-filtered-${width}.png`, fullPage: true });

      await page.getByLabel('Custom dates').check();
      await page.getByLabel('From', { exact: true }).fill('2026-02-01');
      await page.getByLabel('To', { exact: true }).fill('2026-01-01');
      await Promise.all([
        page.waitForURL(/period=custom/),
        page.getByRole('button', { name: 'Show' }).click(),
      ]);
      expect(await page.locator('#field-to-errors').textContent()).toBe(
        'Enter a date on or after the start date.',
      );
      expect(await overflow(page), `errors at ${width}`).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page), `errors at ${width}`).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/dashboard-errors-${width}.png`, fullPage: true });
    }
    // The refused period answers 400, which the browser reports; nothing else may complain.
    expect(complaints.filter((c) => !c.includes('400'))).toEqual([]);
    await context.close();
  });
});
