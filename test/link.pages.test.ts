import { describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { Browser, pathOf as path, type Recipient, textOf, withRecipientApp } from './helpers/link.ts';

let t: TestApp;
let r: Recipient;
withRecipientApp((app, rec) => {
  t = app;
  r = rec;
});

describe('landing page', () => {
  it('escapes customer text: a <script> in the override is shown as text', async () => {
    const header = '<script>alert("x")</script> & "Co"';
    const invite = await r.send({
      override_invite_template: { landing_page: { header, step_1: '<b>one</b>' } },
    });
    const page = await new Browser(t.app).get(path(invite.url));
    expect(page.html).not.toContain('<script>');
    expect(page.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(textOf(page.html)).toContain('<b>one</b>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
  });

  it('answers an unknown or malformed invite id, or an unknown page, with a 404 page', async () => {
    const invite = await r.send();
    const urls = [
      '0190e0a0-0000-7000-8000-000000000000',
      'not-a-uuid',
      `${invite.id}/nope`,
      `${invite.id}/items/x`,
    ];
    for (const url of urls) {
      const page = await new Browser(t.app).get(`/connect/${url}`);
      expect(page.status).toBe(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
    }
  });
});

describe('branding', () => {
  it('uses a legacy template’s page text, placeholders filled, and its success button', async () => {
    const template = await t.request('POST', '/v2/invite-templates', {
      body: {
        name: 'T',
        email_body: 'b',
        sms_body: 's',
        header: 'h',
        button: 'b',
        subject: 's',
        sender: '[Company]',
        company: 'Test Co.',
        logo_url: 'https://company.test/logo.png',
        page_heading: 'Hello [Name]',
        page_description: '[Company] needs your payroll',
        page_button: 'Start now',
        page_config: {
          page_success_heading: 'Thanks from [Company]',
          page_success_description: 'Done.',
          page_success_show_button: true,
          page_success_button: 'Connect more',
        },
      },
    });
    const invite = await r.send({ invite_template_id: template.body.id });
    const b = new Browser(t.app);
    const landing = textOf((await b.get(path(invite.url))).html);
    expect(landing).toContain('Hello Sarah Longfield');
    expect(landing).toContain('Test Co. needs your payroll');
    expect(landing).toContain('Start now');
    const success = (await b.get(`${path(invite.url)}/success`)).html;
    expect(success).toContain('src="https://company.test/logo.png" alt="Test Co. logo"');
    expect(textOf(success)).toContain('Thanks from Test Co.');
    expect(success).toContain(`<a class="btn" href="${path(invite.url)}/items">Connect more</a>`);
  });

  it('follows only http(s) success button URLs', async () => {
    const invite = await r.send({
      override_invite_template: {
        success_page: { button_text: 'Back to the app', button_url: 'https://app.test/x' },
      },
    });
    const b = new Browser(t.app);
    expect((await b.get(`${path(invite.url)}/success`)).html).toContain(
      'href="https://app.test/x">Back to the app',
    );
    // Stored data is not trusted either: a script URL written behind the API's back is not linked.
    const tampered = { success_page: { button_text: 'Go', button_url: 'javascript:alert(1)' } };
    await t.deps.db
      .updateTable('invites')
      .set({ override_invite_template: JSON.stringify(tampered) })
      .where('id', '=', invite.id)
      .execute();
    const page = (await b.get(`${path(invite.url)}/success`)).html;
    expect(page).not.toContain('javascript:');
    expect(page).toContain(`href="${path(invite.url)}/items">Go</a>`);
  });
});
