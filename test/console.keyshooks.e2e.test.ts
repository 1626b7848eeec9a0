import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKey } from '../src/auth/keys.service.ts';
import { ROLE_RULES, ROLES } from '../src/members/roles.ts';
import { inviteBody, type TestApp } from './helpers/app.ts';
import { seriousViolations } from './helpers/browser.ts';
import {
  checkAtWidths,
  consolePage,
  overflowOf,
  signInAs,
  startConsole,
  stopConsole,
} from './helpers/console-page.ts';
import { type Receiver, webhookReceiver } from './helpers/webhooks.ts';

const SHOTS = '/tmp/shots-keyshooks';
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'& Zoë`;
/** One word as long as a name may be: the lists must wrap it, not widen past the screen. */
const LONG_WORD = 'Supercalifragilistic'.repeat(5);

let t: TestApp & { baseUrl: string };
let baseUrl: string;
let receiver: Receiver;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let complaints: string[];
let hookId: string;

beforeAll(async () => {
  const role = ROLES.find(
    (r) => ROLE_RULES[r].canManageKeys && ROLE_RULES[r].canManageWebhooks && !ROLE_RULES[r].canManageMembers,
  );
  if (!role) throw new Error('no such role');
  const member = { email: 'dev@acme.example', name: 'Dev', role, password: PASSWORD };
  // The app may call the local receiver: only WEBHOOKS_ALLOW_PRIVATE lets it.
  const env = { WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_SECONDS: '1' };
  [{ t, browser }, receiver] = await Promise.all([startConsole(SHOTS, member, env), webhookReceiver()]);
  baseUrl = t.baseUrl;
  await createKey(t.deps, { name: HOSTILE, clientId: t.key.client_id });
  await createKey(t.deps, { name: LONG_WORD, clientId: t.key.client_id });

  receiver.script('/crm', 500, 500);
  const hook = await t.request('POST', '/v2/webhooks', {
    body: { name: HOSTILE, url: receiver.url('/crm'), events: ['invites.revoked', 'invites.sent'] },
  });
  expect(hook.status).toBe(200);
  hookId = hook.body.id;
  // Subscribed to an event this file never causes, so the first one's log is all there is.
  const long = await t.request('POST', '/v2/webhooks', {
    body: { name: LONG_WORD, url: receiver.url(`/${LONG_WORD}`), events: ['invites.completed'] },
  });
  expect(long.status).toBe(200);
  const invite = (await t.request('POST', '/v2/invites', { body: inviteBody() })).body;
  await t.request('POST', `/v2/invites/${invite.id}/revoke`);
  await t.drain();
});
afterAll(async () => {
  await stopConsole(t, browser);
  await receiver?.close();
});
beforeEach(async () => {
  ({ context, page, complaints } = await consolePage(browser));
});
afterEach(() => context.close());

const signIn = () => signInAs(page, baseUrl, 'dev@acme.example', PASSWORD);
const check = (name: string, open: () => Promise<void>) => checkAtWidths(page, SHOTS, name, open);

describe('API keys and Webhooks in a real browser', () => {
  it('creates a key, shows its secret once, and revokes it after confirming', async () => {
    await signIn();
    await check('keys', async () => {
      await page.goto(`${baseUrl}/console/keys`);
    });
    expect(await page.locator('.keys td[data-label="Name"]').allTextContents()).toContain(HOSTILE);

    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${baseUrl}/console/keys`);
    await page.getByLabel('Name').fill('CRM sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: 'Key “CRM sync” created' }).waitFor();
    const secret = (await page.locator('#api-key-secret').textContent()) ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/key-created-375.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${SHOTS}/key-created-1280.png`, fullPage: true });

    await page.getByRole('link', { name: 'I have copied it' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(await page.content()).not.toContain(secret);

    await check('key-revoke', async () => {
      await page.goto(`${baseUrl}/console/keys`);
      await page.getByRole('link', { name: 'Revoke CRM sync' }).click();
      await page.getByRole('heading', { name: 'Revoke “CRM sync”?' }).waitFor();
    });
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('The API key is revoked').waitFor();
    await page.screenshot({ path: `${SHOTS}/keys-after-revoke-1280.png`, fullPage: true });
    expect(complaints).toEqual([]);
  });

  it('lists subscriptions, shows the delivery log with its answers, retries, and refuses bad input', async () => {
    await signIn();
    await check('webhooks', async () => {
      await page.goto(`${baseUrl}/console/webhooks`);
    });
    await check('webhook', async () => {
      await page.goto(`${baseUrl}/console/webhooks/${hookId}`);
      for (const summary of await page.locator('.delivery-attempts summary').all()) await summary.click();
    });
    expect(await page.locator('h1').textContent()).toBe(HOSTILE);
    expect(await page.locator('pre.answer').first().textContent()).toBe('answered 500');

    await page.getByRole('button', { name: 'Retry the invites.revoked delivery' }).click();
    await page.getByText('The delivery is being sent again.').waitFor();
    await t.drain();
    await page.reload();
    expect(await page.locator('.deliveries tr', { hasText: 'invites.revoked' }).textContent()).toContain(
      'succeeded',
    );

    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText('A test event is on its way.').waitFor();
    await t.drain();
    await page.reload();
    expect(await page.locator('.deliveries tr', { hasText: 'webhooks.test' }).textContent()).toContain(
      'succeeded',
    );

    await check('webhook-new-errors', async () => {
      await page.goto(`${baseUrl}/console/webhooks/new`);
      await page.getByLabel('Name').fill(HOSTILE);
      await page.getByLabel('URL').fill('ftp://example.com/x');
      await page.getByRole('button', { name: 'Create subscription' }).click();
      await page.getByRole('alert').waitFor();
    });
    expect(await page.locator('#field-url-errors').textContent()).toBe('Enter a valid URL (http or https).');

    await check('webhook-delete', async () => {
      await page.goto(`${baseUrl}/console/webhooks/${hookId}/delete`);
    });
    expect(complaints.filter((c) => !c.includes('400'))).toEqual([]);
  });
});
