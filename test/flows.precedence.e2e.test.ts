import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, type TestApp } from './helpers/app.ts';
import { launchChromium, seriousViolations, startListeningApp } from './helpers/browser.ts';
import { DEFAULT_COLOR, FLOW, NAME, OVERRIDE, SETTINGS, TEMPLATE } from './helpers/precedence.ts';

/**
 * The render precedence on the recipient's pages in Chromium: each step adds one layer for
 * the same client, and the landing page and the success page after Link show each field from
 * the highest layer that sets it.
 */

const SHOTS = '/tmp/shots-prec';
const BUILT_IN_STEPS = [
  'Find your employer or payroll provider.',
  'Log in with the username and password you use there.',
];
const FLOW_STEPS = ['Flow step one', 'Flow step two'];
const namedLead = (company: string) =>
  `${company} has asked you to connect your payroll account. It takes a few minutes.`;
const namedSuccess = (company: string) =>
  `You're all set: ${company} can now see the details it asked for. You can close this page.`;

/** One logo per host, drawn in its own colour so a screenshot shows which layer it came from. */
const LOGO_FILL: Record<string, string> = { 'settings.example': '#065F46', 'legacy.example': '#1E3A8A' };

interface Landing {
  header: string;
  lead: string;
  steps: string[];
  button: string;
  color: string;
  logo: { src: string; alt: string } | null;
}
interface Success {
  header: string;
  lead: string;
}

let t: TestApp & { baseUrl: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [t, browser] = await Promise.all([startListeningApp(), launchChromium()]);
  context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  // The logos' hosts do not exist: the browser gets a small image for each instead.
  await context.route(/^https:\/\/(settings|legacy)\.example\//, (route) => {
    const fill = LOGO_FILL[new URL(route.request().url()).hostname] ?? '#000000';
    return route.fulfill({
      contentType: 'image/svg+xml',
      body: `<svg xmlns="http://www.w3.org/2000/svg" width="56" height="56"><circle cx="28" cy="28" r="28" fill="${fill}"/></svg>`,
    });
  });
  page = await context.newPage();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const rgb = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};

/** What the page shows: its heading, lead text, steps, buttons (text and computed colour) and logos. */
function shown(p: Page) {
  return p.evaluate(() => {
    const visible = (el: Element) => (el as HTMLElement).innerText.trim();
    return {
      title: document.title,
      header: [...document.querySelectorAll('h1')].map(visible),
      lead: visible(document.querySelector('h1 + p') ?? document.body),
      steps: [...document.querySelectorAll('ol li')].map(visible),
      buttons: [...document.querySelectorAll('button, a.btn')].map((b) => ({
        text: visible(b),
        background: getComputedStyle(b).backgroundColor,
      })),
      logos: [...document.querySelectorAll('img')].map((img) => ({
        src: img.src,
        alt: img.alt,
        drawn: img.complete && img.naturalWidth > 0,
      })),
    };
  });
}

async function expectLanding(want: Landing) {
  expect(await shown(page)).toEqual({
    title: want.header,
    header: [want.header],
    lead: want.lead,
    steps: want.steps,
    buttons: [{ text: want.button, background: rgb(want.color) }],
    logos: want.logo ? [{ ...want.logo, drawn: true }] : [],
  });
  expect(await seriousViolations(page)).toEqual([]);
}

/** Walks Link from the landing page: its button, an Item, the sandbox login and code. */
async function connect(button: string) {
  await page.getByRole('button', { name: button }).click();
  await page.getByRole('link', { name: /Ledgerline Payroll/ }).click();
  await page.getByLabel('Username').fill('test_1');
  await page.getByLabel('Password').fill('passgood');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByLabel('Verification code').fill('8081');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(/\/success$/);
}

async function expectSuccess(want: Success, color: string, logo: Landing['logo']) {
  expect(await shown(page)).toEqual({
    title: want.header,
    header: [want.header],
    lead: want.lead,
    steps: [],
    buttons: [{ text: 'Connect another account', background: rgb(color) }],
    logos: logo ? [{ ...logo, drawn: true }] : [],
  });
  expect(await seriousViolations(page)).toEqual([]);
}

/** Sends an invite of the app's client, opens it, checks both pages and completes it. */
async function step(
  over: Record<string, unknown>,
  landing: Landing,
  success: Success,
  beforeConnect?: () => Promise<void>,
) {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody({ phone_number: null, ...over }) });
  expect(res.status).toBe(200);
  expect((await page.goto(res.body.url))?.status()).toBe(200);
  await expectLanding(landing);
  await beforeConnect?.();
  await connect(landing.button);
  await expectSuccess(success, landing.color, landing.logo);
  expect((await t.request('GET', `/v2/invites/${res.body.id}`)).body.status).toBe('completed');
  return res.body;
}

const settingsLogo = { src: SETTINGS.brand.logo, alt: 'Settings Co logo' };
const legacyLogo = { src: TEMPLATE.logo_url, alt: 'Legacy Co logo' };

describe('the render precedence on the landing and success pages', () => {
  let flowId: string;
  let templateId: string;

  it('(0) built-in copy, worded without a company', async () => {
    await step(
      {},
      {
        header: 'Connect your payroll account',
        lead: 'You have been asked to connect your payroll account. It takes a few minutes.',
        steps: [...BUILT_IN_STEPS, 'Your income and employment details are shared with whoever invited you.'],
        button: 'Connect your account',
        color: DEFAULT_COLOR,
        logo: null,
      },
      {
        header: 'Your account is connected',
        lead: "You're all set: the details you were asked for are shared. You can close this page.",
      },
    );
  });

  it('(1) the settings: company name, brand colour and logo', async () => {
    expect((await t.request('PATCH', '/v2/invite-settings', { body: SETTINGS })).status).toBe(200);
    await step(
      {},
      {
        header: 'Connect your payroll account',
        lead: namedLead('Settings Co'),
        steps: [...BUILT_IN_STEPS, 'Your income and employment details are shared with Settings Co.'],
        button: 'Connect your account',
        color: SETTINGS.brand.color,
        logo: settingsLogo,
      },
      { header: 'Your account is connected', lead: namedSuccess('Settings Co') },
    );
  });

  it('(2) a flow named by flow_id, over the settings', async () => {
    const created = await t.request('POST', '/v2/flows', { body: FLOW });
    expect(created.status).toBe(200);
    flowId = created.body.id;
    await step(
      { flow_id: flowId },
      {
        header: 'Flow landing header',
        lead: namedLead('Settings Co'),
        steps: FLOW_STEPS,
        button: 'Connect your account',
        color: FLOW.brand.color,
        logo: settingsLogo,
      },
      { header: 'Flow success header', lead: namedSuccess('Settings Co') },
    );
  });

  it('(3) a legacy template over the flow', async () => {
    const created = await t.request('POST', '/v2/invite-templates', { body: TEMPLATE });
    expect(created.status).toBe(200);
    templateId = created.body.id;
    await step(
      { flow_id: flowId, invite_template_id: templateId },
      {
        header: 'Legacy page heading',
        lead: `Legacy page description for ${NAME}`,
        // The template has no steps, colour or success page: the flow's show.
        steps: FLOW_STEPS,
        button: 'Legacy page button',
        color: FLOW.brand.color,
        logo: legacyLogo,
      },
      { header: 'Flow success header', lead: namedSuccess('Legacy Co') },
    );
  });

  it('(4) override_invite_template over everything', async () => {
    const screenshots = async () => {
      for (const width of [375, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await page.screenshot({ path: `${SHOTS}/landing-${width}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 375, height: 740 });
    };
    await step(
      { flow_id: flowId, invite_template_id: templateId, override_invite_template: OVERRIDE },
      {
        header: 'Legacy page heading',
        lead: 'Override landing subheader',
        steps: FLOW_STEPS,
        button: 'Legacy page button',
        color: OVERRIDE.brand.color,
        logo: legacyLogo,
      },
      { header: 'Flow success header', lead: 'Override success subheader' },
      screenshots,
    );
  });
});
