import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { inviteBody } from './helpers/app.ts';
import { launchChromium, seriousViolations, startListeningApp } from './helpers/browser.ts';

let t: TestApp & { baseUrl: string };
let browser: Browser;

beforeAll(async () => {
  [t, browser] = await Promise.all([startListeningApp(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the outbox in a real browser', () => {
  it('shows every message, fits the screen, and looking changes nothing and fires no webhook', async () => {
    const sent = [];
    for (const name of ['Ann', 'Ben']) {
      const res = await t.request('POST', '/v2/invites', {
        body: inviteBody({ first_name: name, email: `${name.toLowerCase()}@example.com` }),
      });
      expect(res.status).toBe(200);
      sent.push(res.body);
    }
    await t.drain();
    t.clock.advance(5000);
    await t.drain();
    // Subscribed after the sends: any delivery change from here on would queue a webhook.
    const hook = await t.request('POST', '/v2/webhooks', {
      body: { name: 'all', url: 'https://93.184.215.14/hook', events: ['*'] },
    });
    expect(hook.status).toBe(200);

    for (const width of [375, 1280]) {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        httpCredentials: { username: t.key.api_key_id, password: t.key.api_key_secret },
      });
      const page = await context.newPage();
      const res = await page.goto(`${t.baseUrl}/outbox`, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      // Every email's frame has loaded whatever it would load.
      await page.waitForLoadState('networkidle');
      expect(await page.locator('article.msg').count()).toBe(4);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `/tmp/shots-outbox/outbox-${width}.png`, fullPage: false });

      await page.selectOption('select[name=channel]', 'email');
      await page.fill('input[name=invite]', sent[0].id);
      await Promise.all([page.waitForURL(/channel=email/), page.click('button[type=submit]')]);
      expect(await page.locator('article.msg').count()).toBe(1);
      await context.close();
    }

    for (const invite of sent) {
      const now = (await t.request('GET', `/v2/invites/${invite.id}`)).body;
      expect(now.deliveries.map((d: any) => d.status)).toEqual(['sent', 'sent']);
    }
    const fired = await t.request('GET', `/v2/webhooks/${hook.body.id}/deliveries`);
    expect(fired.body.results).toEqual([]);
  });
});
