import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLE_RULES, ROLES } from '../src/members/roles.ts';
import type { TestApp } from './helpers/app.ts';
import { checkAtWidths, consolePage, signInAs, startConsole, stopConsole } from './helpers/console-page.ts';
import { type Receiver, webhookReceiver } from './helpers/webhooks.ts';

const SHOTS = '/tmp/shots-console';
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'& Zoë`;

let t: TestApp & { baseUrl: string };
let receiver: Receiver;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let complaints: string[];
let hookId: string;
let secret: string;

beforeAll(async () => {
  const role = ROLES.find((r) => ROLE_RULES[r].canManageWebhooks && !ROLE_RULES[r].canManageMembers);
  if (!role) throw new Error('no such role');
  const member = { email: 'dev@acme.example', name: 'Dev', role, password: PASSWORD };
  const env = { WEBHOOKS_ALLOW_PRIVATE: 'true' };
  [{ t, browser }, receiver] = await Promise.all([startConsole(SHOTS, member, env), webhookReceiver()]);
  const hook = await t.request('POST', '/v2/webhooks', {
    body: { name: HOSTILE, url: receiver.url('/crm'), events: ['invites.completed'] },
  });
  expect(hook.status).toBe(200);
  hookId = hook.body.id;
  secret = hook.body.secret;
});
afterAll(async () => {
  await stopConsole(t, browser);
  await receiver?.close();
});
beforeEach(async () => {
  ({ context, page, complaints } = await consolePage(browser));
});
afterEach(() => context.close());

describe('a webhook’s signing secret in a real browser', () => {
  it('is hidden on the subscription’s page and shown, with a Copy button, after Reveal', async () => {
    await signInAs(page, t.baseUrl, 'dev@acme.example', PASSWORD);
    await checkAtWidths(page, SHOTS, 'webhook-secret-hidden', async () => {
      await page.goto(`${t.baseUrl}/console/webhooks/${hookId}`);
    });
    expect(await page.content()).not.toContain(secret);
    expect(await page.locator('.secret-hint').textContent()).toBe(`It ends in …${secret.slice(-4)}.`);

    await checkAtWidths(page, SHOTS, 'webhook-secret-revealed', async () => {
      await page.goto(`${t.baseUrl}/console/webhooks/${hookId}`);
      const answer = page.waitForResponse((r) => r.url().endsWith(`/webhooks/${hookId}/secret`));
      await page.getByRole('button', { name: 'Reveal signing secret' }).click();
      expect((await answer).headers()['cache-control']).toBe('no-store');
      await page.getByRole('heading', { name: `Signing secret of “${HOSTILE}”` }).waitFor();
    });
    expect(await page.getByLabel('Signing secret').inputValue()).toBe(secret);
    expect(await page.getByRole('button', { name: 'Copy secret' }).isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Back to the subscription' }).click();
    await page.getByRole('button', { name: 'Reveal signing secret' }).waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(complaints).toEqual([]);
  });
});
