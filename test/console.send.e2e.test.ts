import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import type { TestApp } from './helpers/app.ts';
import { checkPage, consolePage, signInAs, startConsole, stopConsole } from './helpers/console-page.ts';

const SHOTS = '/tmp/shots-console-send';
const PASSWORD = 'correct horse battery';
const HOSTILE = '<img src=x onerror=alert(1)>Zoë "Boss" & co';

let t: TestApp & { baseUrl: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let complaints: string[];
let flowId: string;

beforeAll(async () => {
  ({ t, browser } = await startConsole(SHOTS, {
    email: 'ops@acme.example',
    name: 'Olive Ops',
    role: 'operations',
    password: PASSWORD,
  }));
  await createMember(t.deps, t.key.client_id, {
    email: 'mate@acme.example',
    name: HOSTILE,
    role: 'operations',
    password: PASSWORD,
  });
  const flow = await t.request('POST', '/v2/flows', {
    body: {
      type: 'email_sms_template',
      name: 'Payroll',
      email: { subject: 'Connect your payroll, [Name]', header: 'Payroll for [Name]' },
      sms_text: 'Hi [Name], connect your payroll here: [Link]',
      landing_page: { header: 'Welcome, [Name]' },
      success_page: { header: 'All done, [Name]' },
    },
  });
  expect(flow.status).toBe(200);
  flowId = flow.body.id;
});
afterAll(() => stopConsole(t, browser));
beforeEach(async () => {
  ({ context, page, complaints } = await consolePage(browser));
});
afterEach(() => context.close());

const signIn = () => signInAs(page, t.baseUrl, 'ops@acme.example', PASSWORD);

const check = (name: string) => checkPage(page, SHOTS, name);

describe('Send invite in Chromium', () => {
  it('shows the API’s errors beside the fields, then previews every message and page without sending', async () => {
    await signIn();
    await page.goto(`${t.baseUrl}/console/send`);
    await page.getByLabel('First name').fill(HOSTILE);
    await page.getByLabel('Email').fill('not-an-email');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Send invite' }).click(),
    ]);
    await expect
      .poll(() => page.locator('#field-email-errors').textContent())
      .toBe('Enter a valid email address.');
    expect(await page.getByLabel('First name').inputValue()).toBe(HOSTILE);
    expect(await page.locator('#field-last_name').getAttribute('aria-invalid')).toBe('true');
    await check('send-errors');

    await page.getByLabel('Last name').fill('Longfield');
    await page.getByLabel('Email').fill('sarah@email.com');
    await page.getByLabel('Template').selectOption(flowId);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Preview' }).click()]);
    await page.getByRole('heading', { name: 'Preview' }).waitFor();
    const email = page.frameLocator('iframe[title="Email preview"]');
    await expect.poll(() => email.locator('h1').textContent()).toBe(`Payroll for ${HOSTILE} Longfield`);
    const landing = page.frameLocator('iframe[title="Landing page preview"]');
    await expect.poll(() => landing.locator('h1').textContent()).toBe(`Welcome, ${HOSTILE} Longfield`);
    const success = page.frameLocator('iframe[title="Success page preview"]');
    await expect.poll(() => success.locator('h1').textContent()).toBe(`All done, ${HOSTILE} Longfield`);
    expect(await page.locator('.sms').textContent()).toContain(
      `Hi ${HOSTILE} Longfield, connect your payroll`,
    );
    // A full-page screenshot leaves frames blank: the email's frame is kept on its own.
    await page
      .locator('iframe[title="Email preview"]')
      .screenshot({ path: `${SHOTS}/send-preview-email-frame.png` });
    await check('send-preview');

    const invites = await t.request('GET', '/v2/invites');
    expect(invites.body.results).toEqual([]);
    // Nothing the customer or the recipient typed ran.
    expect(complaints.filter((c) => c.startsWith('dialog'))).toEqual([]);
  });

  it('bulk: checks an uploaded file and lists the refused rows', async () => {
    await signIn();
    await page.goto(`${t.baseUrl}/console/bulk`);
    await check('bulk-upload');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `first_name,last_name,email\nAda,Lovelace,ada@email.com\n"${HOSTILE.replaceAll('"', '""')}",X,not-an-email\n`,
      ),
    });
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Check the rows' }).click(),
    ]);
    await page.getByText('1 of 2 rows are ready to send; 1 has errors.').waitFor();
    expect(await page.locator('.bulk-rows tbody').textContent()).toContain(HOSTILE);
    await check('bulk-checked');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Send 1 invite' }).click(),
    ]);
    await page.getByText('1 of 2 rows sent; 1 refused.').waitFor();
    await check('bulk-sent');
    expect(complaints.filter((c) => c.startsWith('dialog'))).toEqual([]);
  });
});
