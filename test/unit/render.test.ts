import { describe, expect, it } from 'vitest';
import { smsCost } from '../../src/lib/sms-segments.ts';
import type { OverrideInviteTemplate } from '../../src/templates/override.schema.ts';
import {
  DEFAULT_COLOR,
  placeholders,
  type RenderContext,
  renderEmail,
  renderSms,
} from '../../src/templates/render.ts';
import type { InviteTemplateRequest } from '../../src/templates/templates.schema.ts';

const URL_ = 'https://link.example.com/i/abc123';

/** A legacy template with every required field set to text that names where it came from. */
function template(fields: Partial<InviteTemplateRequest> = {}): InviteTemplateRequest {
  return {
    name: 'Tpl',
    email_body: 'Template body for [Name]',
    sms_body: 'Template sms from [Company]: [Link]',
    header: 'Template header',
    button: 'Template button',
    subject: 'Template subject',
    sender: 'Template sender',
    company: 'Acme',
    logo_url: 'https://cdn.example.com/template-logo.png',
    page_heading: 'Heading',
    page_description: 'Description',
    page_button: 'Go',
    ...fields,
  };
}

function ctx(
  parts: {
    override?: OverrideInviteTemplate | null;
    template?: InviteTemplateRequest | null;
    firstName?: string;
    lastName?: string;
    url?: string;
  } = {},
): RenderContext {
  return {
    firstName: parts.firstName ?? 'Ann',
    lastName: parts.lastName ?? 'Lee',
    url: parts.url ?? URL_,
    override: parts.override ?? null,
    template: parts.template ?? null,
  };
}

const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('placeholders', () => {
  it('fills every placeholder with the defaults when there is no override or template', () => {
    const sub = placeholders(ctx());
    expect(sub('[Name] / [Company] / [Sender] / [Link]')).toBe(`Ann Lee / Our team / Our team / ${URL_}`);
  });

  it('replaces every occurrence, not only the first', () => {
    const sub = placeholders(ctx());
    expect(sub('[Name], [Name]! [Link] [Link]')).toBe(`Ann Lee, Ann Lee! ${URL_} ${URL_}`);
  });

  it('leaves text without placeholders as it is', () => {
    expect(placeholders(ctx())('Hello there [name] [COMPANY]')).toBe('Hello there [name] [COMPANY]');
  });

  it('drops the missing half of a name instead of leaving a stray space', () => {
    expect(placeholders(ctx({ lastName: '' }))('Hi [Name].')).toBe('Hi Ann.');
    expect(placeholders(ctx({ firstName: '' }))('Hi [Name].')).toBe('Hi Lee.');
  });

  it("uses the template's company and sender, with [Company] filled inside the sender", () => {
    const sub = placeholders(ctx({ template: template({ company: 'Acme', sender: 'Jane at [Company]' }) }));
    expect(sub('[Company] | [Sender]')).toBe('Acme | Jane at Acme');
  });

  it("takes the override's sender over the template's", () => {
    const sub = placeholders(
      ctx({ override: { email: { sender: 'Override Sender' } }, template: template({ company: 'Acme' }) }),
    );
    expect(sub('[Sender]')).toBe('Override Sender');
    // The override has no company of its own: the template's stays.
    expect(sub('[Company]')).toBe('Acme');
  });

  it("uses the override's sender as the company when there is no template", () => {
    const sub = placeholders(ctx({ override: { email: { sender: 'Globex' } } }));
    expect(sub('[Company] / [Sender]')).toBe('Globex / Globex');
  });
});

describe('renderEmail', () => {
  it('renders the default invite with placeholders filled, worded without a company when none is named', () => {
    const mail = renderEmail(ctx());
    expect(mail.subject).toBe('Connect your payroll account');
    expect(mail.text).toBe(
      [
        'Connect your payroll account',
        '',
        'Hi Ann Lee, you have been asked to connect your payroll account. It takes a few minutes.',
        '',
        `Connect your account: ${URL_}`,
      ].join('\n'),
    );
    expect(mail.text).not.toContain('Our team');
    const named = renderEmail({
      ...ctx(),
      settings: { company_name: 'Acme', sender: null, brand: { color: null, logo: null } },
    });
    expect(named.subject).toBe('Acme invites you to connect your payroll account');
    expect(named.text).toContain('Hi Ann Lee, Acme has asked you to connect your payroll account.');
    expect(named.text.endsWith('— Acme')).toBe(true);
    expect(mail.replyTo).toBeNull();
    expect(mail.html).toContain(`href="${URL_}"`);
    expect(mail.html).toContain('>Connect your account</a>');
    expect(mail.html).toContain(DEFAULT_COLOR);
    expect(mail.html).not.toContain('<img');
  });

  it("uses the legacy template's text, button, logo and reply-to", () => {
    const mail = renderEmail(
      ctx({
        template: template({
          subject: '[Company] needs you',
          header: 'Welcome [Name]',
          email_body: 'Dear [Name], [Sender] asks you to connect.',
          button: 'Start now',
          sender: 'Jane at [Company]',
          company: 'Acme',
          reply_to: 'hr@acme.example',
        }),
      }),
    );
    expect(mail.subject).toBe('Acme needs you');
    expect(mail.text).toContain('Welcome Ann Lee\n\nDear Ann Lee, Jane at Acme asks you to connect.');
    expect(mail.text).toContain(`Start now: ${URL_}`);
    expect(mail.text.endsWith('— Jane at Acme')).toBe(true);
    expect(mail.html).toContain('>Start now</a>');
    expect(mail.html).toContain('src="https://cdn.example.com/template-logo.png"');
    expect(mail.replyTo).toBe('hr@acme.example');
  });

  it('puts the override before the legacy template', () => {
    const mail = renderEmail(
      ctx({
        override: {
          email: {
            subject: 'Override subject for [Name]',
            header: 'Override header',
            subheader: 'Override body from [Company]',
            sender: 'Override Sender',
          },
          brand: { color: '#FF0000', logo: 'https://cdn.example.com/override-logo.png' },
        },
        template: template(),
      }),
    );
    expect(mail.subject).toBe('Override subject for Ann Lee');
    expect(mail.text).toContain('Override header\n\nOverride body from Acme');
    expect(mail.text.endsWith('— Override Sender')).toBe(true);
    for (const replaced of ['Template subject', 'Template header', 'Template body', 'Template sender']) {
      expect(mail.text).not.toContain(replaced);
    }
    // The override has no button text: the template's stays.
    expect(mail.text).toContain(`Template button: ${URL_}`);
    expect(mail.html).toContain('#FF0000');
    expect(mail.html).not.toContain(DEFAULT_COLOR);
    expect(mail.html).toContain('src="https://cdn.example.com/override-logo.png"');
    expect(mail.html).not.toContain('template-logo.png');
  });

  it('falls back past blank override fields', () => {
    const mail = renderEmail(
      ctx({ override: { email: { subject: '   ', header: '', subheader: ' ' } }, template: template() }),
    );
    expect(mail.subject).toBe('Template subject');
    expect(mail.text.startsWith('Template header\n\nTemplate body for Ann Lee')).toBe(true);
  });

  it("adds the override's body rows, placeholders filled, and skips rows with only an icon", () => {
    const mail = renderEmail(
      ctx({
        override: {
          email: {
            body_text_header_1: 'Fast',
            body_text_subheader_1: 'Done for [Company] in minutes',
            body_text_icon_2: 'https://cdn.example.com/icon-2.png',
            body_text_subheader_3: 'Secure, [Name]',
          },
        },
      }),
    );
    expect(mail.text).toContain('\n\nFast: Done for Our team in minutes\n\nSecure, Ann Lee\n\n');
    expect(mail.html).toContain(
      '<strong style="color:#111827">Fast</strong><br>Done for Our team in minutes',
    );
    expect(mail.html).toContain('Secure, Ann Lee');
    expect(mail.html).not.toContain('icon-2.png');
  });

  it("escapes the customer's and the recipient's text in the HTML, not in the plain text", () => {
    const mail = renderEmail(
      ctx({
        firstName: '<script>alert(1)</script>',
        lastName: 'O\'Brien "Bob"',
        template: template({
          company: 'Smith & Co',
          subject: '[Company] <b>now</b>',
          email_body: 'Hi [Name] from [Company]',
        }),
      }),
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>now');
    expect(mail.html).toContain(
      'Hi &lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &quot;Bob&quot; from Smith &amp; Co',
    );
    expect(mail.html).toContain('<title>Smith &amp; Co &lt;b&gt;now&lt;/b&gt;</title>');
    expect(mail.subject).toBe('Smith & Co <b>now</b>');
    expect(mail.text).toContain('Hi <script>alert(1)</script> O\'Brien "Bob" from Smith & Co');
  });

  it('escapes the link in the button', () => {
    const url = 'https://link.example.com/i/abc?a=1&b="2"';
    const mail = renderEmail(ctx({ url }));
    expect(mail.html).toContain('href="https://link.example.com/i/abc?a=1&amp;b=&quot;2&quot;"');
    expect(mail.text).toContain(`Connect your account: ${url}`);
  });

  it('leaves no placeholder unfilled', () => {
    const t = template({
      subject: '[Name] [Company] [Sender] [Link]',
      header: '[Name] [Company] [Sender] [Link]',
      email_body: '[Name] [Company] [Sender] [Link]',
      button: '[Name] [Company]',
      sender: '[Company]',
    });
    const mail = renderEmail(ctx({ template: t }));
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toMatch(/\[(Name|Company|Sender|Link)\]/);
    }
  });
});

describe('renderSms', () => {
  it('sends the default text with the link once and how to opt out, in one GSM-7 segment', () => {
    const sms = renderSms(ctx());
    expect(sms).toBe(`Connect your payroll account here: ${URL_} Reply STOP to opt out.`);
    expect(occurrences(sms, URL_)).toBe(1);
    // A 40-character public URL and a 45-character company name still fit one segment.
    const url = `https://invites.example.com/c/${'a'.repeat(10)}`;
    expect(url).toHaveLength(40);
    const company = 'C'.repeat(45);
    const named = renderSms({
      ...ctx(),
      url,
      settings: { company_name: company, sender: null, brand: { color: null, logo: null } },
    });
    expect(named).toBe(`${company}: connect your payroll account here: ${url} Reply STOP to opt out.`);
    expect(smsCost(named)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it("uses the template's text with placeholders filled", () => {
    const sms = renderSms(ctx({ template: template({ sms_body: 'Hi [Name], [Company] asks: [Link]' }) }));
    expect(sms).toBe(`Hi Ann Lee, Acme asks: ${URL_}`);
  });

  it("takes the override's text over the template's, and skips a blank one", () => {
    const t = template({ sms_body: 'Template [Link]' });
    expect(renderSms(ctx({ override: { sms_text: 'Override [Link]' }, template: t }))).toBe(
      `Override ${URL_}`,
    );
    expect(renderSms(ctx({ override: { sms_text: '  ' }, template: t }))).toBe(`Template ${URL_}`);
  });

  it('appends the link when the text leaves it out', () => {
    expect(renderSms(ctx({ override: { sms_text: 'Hi [Name], please connect.' } }))).toBe(
      `Hi Ann Lee, please connect. ${URL_}`,
    );
  });

  it('does not add the link a second time when the text includes it', () => {
    const viaPlaceholder = renderSms(ctx({ override: { sms_text: 'Go: [Link] now' } }));
    expect(viaPlaceholder).toBe(`Go: ${URL_} now`);
    const written = renderSms(ctx({ override: { sms_text: `Go: ${URL_}` } }));
    expect(written).toBe(`Go: ${URL_}`);
    expect(occurrences(written, URL_)).toBe(1);
  });

  it('does not escape HTML in a text message', () => {
    expect(renderSms(ctx({ firstName: 'A&B', override: { sms_text: '<[Name]> [Link]' } }))).toBe(
      `<A&B Lee> ${URL_}`,
    );
  });
});
