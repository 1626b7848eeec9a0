import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { SEED_BODY } from './helpers/templates.ts';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const create = (body: unknown) => t.request('POST', '/v2/invite-templates', { body });

/** The message the capture channel stored for a delivery (sent by the worker, hence the drain). */
async function outboxOf(deliveryId: string) {
  await t.drain();
  return t.deps.db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .executeTakeFirstOrThrow();
}

describe('invites sent with a template', () => {
  it('renders the template with its placeholders filled and HTML escaped', async () => {
    const tpl = await create({
      ...SEED_BODY,
      company: 'Smith & Co',
      sender: 'Jane at [Company]',
      subject: '[Company] needs you',
      email_body: 'Hi [Name], [Sender] asks: <script>alert(1)</script> Go to [Link]',
      sms_body: 'Hi [Name] from [Company]: [Link]',
    });
    const sent = await t.request('POST', '/v2/invites', {
      body: inviteBody({ invite_template_id: tpl.body.id }),
    });
    expect(sent.status).toBe(200);
    expect(sent.body.invite_template_id).toBe(tpl.body.id);
    const byMethod = Object.fromEntries(sent.body.deliveries.map((d: any) => [d.method, d.id]));
    const mail = await outboxOf(byMethod.email);
    expect(mail.subject).toBe('Smith & Co needs you');
    expect(mail.text_body).toContain(
      `Hi Sarah Longfield, Jane at Smith & Co asks: <script>alert(1)</script> Go to ${sent.body.url}`,
    );
    expect(mail.html_body).toContain(
      `Hi Sarah Longfield, Jane at Smith &amp; Co asks: &lt;script&gt;alert(1)&lt;/script&gt; Go to ${sent.body.url}`,
    );
    expect(mail.html_body).not.toContain('<script>');
    expect(mail.html_body).toContain('https://company.com/logo.jpg');
    for (const body of [mail.text_body, mail.html_body!, mail.subject!]) {
      expect(body).not.toMatch(/\[(Name|Company|Sender|Link)\]/);
    }
    const sms = await outboxOf(byMethod.sms);
    // The link may carry a tracking query after the invite URL.
    expect(sms.text_body).toMatch(
      new RegExp(`^Hi Sarah Longfield from Smith & Co: ${escapeRe(sent.body.url)}(\\?\\S*)?$`),
    );
  });

  it('keeps invites readable and re-sendable after their template is deleted', async () => {
    const tpl = await create({ ...SEED_BODY, subject: 'Kept subject' });
    const sent = await t.request('POST', '/v2/invites', {
      body: inviteBody({ invite_template_id: tpl.body.id, phone_number: null }),
    });
    expect(sent.body.reply_to).toEqual(['hr@company.com']);
    // The seed documents 200 for a delete.
    expect((await t.request('DELETE', `/v2/invite-templates/${tpl.body.id}`)).status).toBe(200);

    const got = await t.request('GET', `/v2/invites/${sent.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.invite_template_id).toBe(tpl.body.id);

    t.clock.advance(60_000);
    const resent = await t.request('POST', `/v2/invites/${sent.body.id}`);
    expect(resent.status).toBe(200);
    expect(resent.body.invite_template_id).toBe(tpl.body.id);
    expect(resent.body.deliveries).toHaveLength(2);
    expect((await outboxOf(resent.body.deliveries[0].id)).subject).toBe('Kept subject');
  });

  it("rejects a deleted template's id and writes nothing", async () => {
    const tpl = await create(SEED_BODY);
    await t.request('DELETE', `/v2/invite-templates/${tpl.body.id}`);
    const before = await countRows(t.deps);
    const res = await t.request('POST', '/v2/invites', {
      body: inviteBody({ invite_template_id: tpl.body.id }),
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ invite_template_id: [expect.any(String)] });
    expect(await countRows(t.deps)).toEqual(before);
  });
});
