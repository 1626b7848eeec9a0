// Screenshots of the Console's main pages at phone and desktop widths, for docs/screenshots/.
// Run by `npm run screenshots` after the recipient's pages.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createGroup } from '../src/members/groups.service.ts';
import { createMember } from '../src/members/members.service.ts';
import { inviteBody, type TestApp } from '../test/helpers/app.ts';
import { signInAs } from '../test/helpers/console-page.ts';

const PASSWORD = 'a long enough password';
const PEOPLE = [
  ['Sarah', 'Longfield'],
  ['Amir', 'Haddad'],
  ['Lucía', 'Fernández'],
  ['Kenji', 'Watanabe'],
  ['Grace', 'Okafor'],
  ['Tomás', 'Novak'],
  ['Priya', 'Raman'],
  ['Jonas', 'Berg'],
] as const;
/** What the recipients went on to do, in the order above. */
const MOVES = [
  ['complete'],
  ['initiate', 'attempt'],
  ['open'],
  [],
  ['complete'],
  ['initiate'],
  [],
  [],
] as const;

/** A client with a few weeks of invites in every status, seen by its admin. */
async function seed(t: TestApp) {
  const client = t.key.client_id;
  await createMember(t.deps, client, {
    email: 'ada@northwind.example',
    name: 'Ada Lovelace',
    role: 'admin',
    password: PASSWORD,
  });
  const east = await createGroup(t.deps, client, 'Loans East');
  const west = await createGroup(t.deps, client, 'Loans West');
  const team = [
    ['omar@northwind.example', 'Omar Said', 'operations', [east.id], PASSWORD],
    ['lin@northwind.example', 'Lin Chen', 'operations_limited', [west.id], PASSWORD],
    ['dev@northwind.example', 'Dana Ortiz', 'developer', [], undefined],
  ] as const;
  for (const [email, name, role, groupIds, password] of team) {
    await createMember(t.deps, client, { email, name, role, password }, { groupIds });
  }
  await t.request('PATCH', '/v2/invite-settings', {
    body: { company_name: 'Northwind Lending', sender: 'Northwind Lending', brand: { color: '#0F766E' } },
  });
  const flow = await t.request('POST', '/v2/flows', {
    body: {
      type: 'email_sms_template',
      name: 'Loan application',
      email: { subject: 'Confirm your income, [Name]', header: 'One step left, [Name]' },
      sms_text: '[Company]: confirm your income for your loan here: [Link]',
      landing_page: { header: 'Welcome, [Name]' },
    },
  });
  await t.request('PATCH', '/v2/invite-settings', { body: { default_flow_id: flow.body.id } });
  let first = '';
  for (const [i, [first_name, last_name]] of PEOPLE.entries()) {
    const email = `${first_name.toLowerCase()}.${last_name.toLowerCase()}@example.com`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '');
    const sent = await t.request('POST', '/v2/invites', {
      body: inviteBody({ first_name, last_name, email, external_id: `APP-${1040 + i}` }),
    });
    first ||= sent.body.id;
    for (const action of MOVES[i] ?? []) {
      await t.request('POST', `/v2/sandbox/invites/${sent.body.id}/simulate`, { body: { action } });
    }
    if (i === 6) await t.request('POST', `/v2/invites/${sent.body.id}/revoke`);
  }
  await t.drain();
  return first;
}

export async function consoleScreenshots(t: TestApp & { baseUrl: string }, browser: Browser, out: string) {
  const inviteId = await seed(t);
  const pages: Record<string, string> = {
    'console-invites': '/console',
    'console-invite': `/console/invites/${inviteId}`,
    'console-send': '/console/send',
    'console-bulk': '/console/bulk',
    'console-templates': '/console/templates',
    'console-dashboard': '/console/dashboard',
    'console-team': '/console/team',
    'console-keys': '/console/keys',
    'console-webhooks': '/console/webhooks',
    'console-outbox': '/console/outbox',
  };
  for (const width of [375, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await signInAs(page, t.baseUrl, 'ada@northwind.example', PASSWORD);
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(`${t.baseUrl}${path}`);
      await page.screenshot({ path: join(out, `${name}-${width}.png`), fullPage: width === 1280 });
    }
    await context.close();
  }
}
