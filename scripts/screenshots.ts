// Screenshots of the recipient's pages and the Console's at phone and desktop widths, for docs/screenshots/.
// Run with `npm run screenshots` (needs chromium; see test/helpers/browser.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inviteBody } from '../test/helpers/app.ts';
import { launchChromium, startListeningApp } from '../test/helpers/browser.ts';
import { consoleScreenshots } from './console-screenshots.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
const WIDTHS = [375, 1280];

const t = await startListeningApp();
const browser = await launchChromium();
try {
  mkdirSync(OUT, { recursive: true });
  const send = async (over: Record<string, unknown> = {}) =>
    (await t.request('POST', '/v2/invites', { body: inviteBody(over) })).body;
  const branded = {
    override_invite_template: {
      brand: { color: '#0F766E' },
      email: { sender: 'Northwind Lending' },
      landing_page: { subheader: '[Company] needs to confirm your income for your loan application.' },
    },
  };
  const revoked = await send(branded);
  await t.request('POST', `/v2/invites/${revoked.id}/revoke`);

  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    const live = await send(branded);
    const shot = (name: string) =>
      page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
    await page.goto(live.url);
    await shot('landing');
    await page.getByRole('button').click();
    await page.getByRole('link', { name: /Bluebird Grocers/ }).click();
    await page.getByLabel('Username').fill('test_1');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').waitFor();
    await shot('login');
    await page.getByLabel('Username').fill('test_1');
    await page.getByLabel('Password').fill('passgood');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByLabel('Verification code').fill('8081');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Your account is connected' }).waitFor();
    await shot('success');
    await page.goto(revoked.url);
    await shot('expired');
    await context.close();
  }
  await consoleScreenshots(t, browser, OUT);
  console.log(`Screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await t.close();
}
