import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { checkAtWidths, consolePage, signInAs, startConsole, stopConsole } from './helpers/console-page.ts';

const SHOTS = '/tmp/shots-console-templates';
const PASSWORD = 'correct horse battery';
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>Zoë "Boss" & co';

let t: TestApp & { baseUrl: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let complaints: string[];
let flowId: string;
let shareableId: string;

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
      name: 'Payroll onboarding',
      brand: { color: '#0F766E' },
      email: { subject: 'Connect your payroll, [Name]', header: 'One quick step' },
      sms_text: 'Acme: connect your payroll at [Link]',
      landing_page: { header: 'Welcome to Acme' },
    },
  });
  const shareable = await t.request('POST', '/v2/flows', {
    body: { type: 'shareable_url', name: 'Careers page link', language: 'es' },
  });
  expect([flow.status, shareable.status]).toEqual([200, 200]);
  flowId = flow.body.id;
  shareableId = shareable.body.id;
});
afterAll(() => stopConsole(t, browser));
// The preview frames show the recipient's documents styled; nothing may complain.
beforeEach(async () => {
  ({ context, page, complaints } = await consolePage(browser));
});
afterEach(() => context.close());

const signIn = () => signInAs(page, t.baseUrl, 'ada@acme.example', PASSWORD);

const check = (name: string, open: () => Promise<void>) => checkAtWidths(page, SHOTS, name, open);

describe('Templates and Settings in a real browser', () => {
  it('passes axe on the list, the editor with its preview, the editor with errors, and Settings', async () => {
    await signIn();
    await check('templates', async () => {
      await page.goto(`${t.baseUrl}/console/templates`);
    });
    expect(await page.getByLabel('Shareable URL of Careers page link').inputValue()).toBe(
      `${t.baseUrl}/s/${shareableId}`,
    );

    await check('template-edit', async () => {
      await page.goto(`${t.baseUrl}/console/templates/${flowId}`);
    });
    expect(await page.locator('.sms-cost').textContent()).toMatch(/^1 segment · \d+ characters · GSM-7$/);

    await check('template-errors', async () => {
      await page.goto(`${t.baseUrl}/console/templates/${flowId}`);
      await page.getByLabel('Logo URL').fill('javascript:alert(1)');
      await page.getByLabel('Name', { exact: true }).fill('');
      await page.getByRole('button', { name: 'Save template' }).click();
      await page.getByRole('alert').waitFor();
    });
    expect(await page.locator('#field-brand\\.logo-errors').textContent()).toBe(
      'Enter a valid URL (http or https).',
    );

    await check('settings', async () => {
      await page.goto(`${t.baseUrl}/console/settings`);
    });
    await check('settings-errors', async () => {
      await page.goto(`${t.baseUrl}/console/settings`);
      // One the browser lets through (it checks numbers' bounds itself) and the API refuses.
      await page.getByLabel('Logo URL').fill('ftp://acme.example/logo.png');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('alert').waitFor();
    });
    expect(complaints.filter((c) => !c.includes('400'))).toEqual([]);
  });

  it('refreshes the preview as fields change, with hostile text shown as text in a frame that runs nothing', async () => {
    await signIn();
    await page.goto(`${t.baseUrl}/console/templates/new`);
    await page.getByLabel('Name', { exact: true }).fill('Draft');
    await page.getByLabel('Subject').fill(`Hi [Name] ${HOSTILE}`);
    await page.getByLabel('SMS text').fill('Hola [Name] 😀 [Link]');
    await expect
      .poll(() => page.locator('.preview-subject strong').textContent(), { timeout: 30_000 })
      .toBe(`Hi Jordan Rivera ${HOSTILE}`);
    await expect.poll(() => page.locator('.sms-cost').textContent(), { timeout: 30_000 }).toMatch(/UCS-2$/);

    const frame = page.locator('iframe[title="Email preview"]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    // The frame's document is the recipient's email, its title the subject, as text.
    expect(await page.frameLocator('iframe[title="Email preview"]').locator('title').textContent()).toBe(
      `Hi Jordan Rivera ${HOSTILE}`,
    );
    // The sandbox gives the frame an origin of its own: the Console's page cannot reach into it, nor it out.
    expect(await frame.evaluate((f: HTMLIFrameElement) => f.contentDocument === null)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/template-live-preview-1280.png`, fullPage: true });
    // Nothing was saved by previewing.
    expect((await t.request('GET', '/v2/flows')).body.results).toHaveLength(2);
    expect(complaints.filter((c) => c.startsWith('dialog'))).toEqual([]);
  });
});
