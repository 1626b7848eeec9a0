import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import { ROLE_LABELS, ROLE_RULES, ROLES } from '../src/members/roles.ts';
import type { TestApp } from './helpers/app.ts';
import { checkAtWidths, consolePage, signInAs, startConsole, stopConsole } from './helpers/console-page.ts';

const SHOTS = '/tmp/shots-team';
const PASSWORD = 'correct horse battery';
const HOSTILE = `<img src=x onerror=alert(1)>"'&`;
const MANAGER = ROLES.find((r) => ROLE_RULES[r].canManageMembers) ?? 'admin';
const STAFF = ROLES.find((r) => !ROLE_RULES[r].canManageMembers) ?? 'developer';

let t: TestApp & { baseUrl: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let complaints: string[];
let staffId: string;

beforeAll(async () => {
  ({ t, browser } = await startConsole(SHOTS, {
    email: 'ada@acme.example',
    name: 'Ada Admin',
    role: MANAGER,
    password: PASSWORD,
  }));
  const staff = await createMember(t.deps, t.key.client_id, {
    email: 'a.very.long.address.for.a.narrow.screen@subsidiary.acme.example',
    name: HOSTILE,
    role: STAFF,
    password: PASSWORD,
  });
  staffId = staff.member.id;
});
afterAll(() => stopConsole(t, browser));
beforeEach(async () => {
  ({ context, page, complaints } = await consolePage(browser));
});
afterEach(() => context.close());

const signIn = () => signInAs(page, t.baseUrl, 'ada@acme.example', PASSWORD);

const check = (name: string, open: () => Promise<void>) => checkAtWidths(page, SHOTS, name, open);

describe('Team in a real browser', () => {
  it('creates a group and invites a member into it; the Team page passes axe at both widths', async () => {
    await signIn();
    await page.goto(`${t.baseUrl}/console/team`);
    await page.getByLabel('Group name').fill(`Payroll ${HOSTILE}`);
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByText('Group created.').waitFor();

    await page.goto(`${t.baseUrl}/console/team/invite`);
    await page.getByLabel('Name').fill('Nina Invited');
    await page.getByLabel('Email').fill('nina@acme.example');
    await page.getByLabel('Role').selectOption(STAFF);
    await page.getByLabel(`Payroll ${HOSTILE}`).check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Invitation sent.').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'nina@acme.example' });
    expect(await row.textContent()).toContain(`Payroll ${HOSTILE}`);
    expect(await row.textContent()).toContain(ROLE_LABELS[STAFF]);

    await check('team', async () => {
      await page.goto(`${t.baseUrl}/console/team`);
    });
  });

  it('shows refused input beside its fields, and the member and group pages, at both widths', async () => {
    await signIn();
    await check('team-invite-errors', async () => {
      await page.goto(`${t.baseUrl}/console/team/invite`);
      await page.getByLabel('Email').fill('ADA@acme.example');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await page.getByRole('alert').waitFor();
    });
    expect(await page.locator('#field-email-errors').textContent()).toBe(
      'A member with this email already exists.',
    );
    expect(await page.locator('#field-role-errors').textContent()).toBe('This field is required.');
    await check('team-member', async () => {
      await page.goto(`${t.baseUrl}/console/team/members/${staffId}`);
    });
    expect(await page.locator('h1').textContent()).toBe(HOSTILE);
    await check('team-group', async () => {
      await page.goto(`${t.baseUrl}/console/team`);
      await page.getByRole('link', { name: /^Payroll / }).click();
      await page.getByRole('button', { name: 'Rename group' }).waitFor();
    });
    expect(complaints.filter((c) => !c.includes('400'))).toEqual([]);
  });
});
