import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/lib/html.ts';
import type { OverrideInviteTemplate } from '../../src/templates/override.schema.ts';
import { clip, TEXT_LIMITS } from '../../src/templates/placeholders.ts';
import { placeholders, type RenderContext, renderEmail, renderSms } from '../../src/templates/render.ts';
import type { InviteTemplateRequest } from '../../src/templates/templates.schema.ts';

const URL_ = 'https://x.test/i/1';
const PATTERNS = ['$&', '$`', "$'", '$$', '$1', '$<x>'];

function template(fields: Partial<InviteTemplateRequest> = {}): InviteTemplateRequest {
  return {
    name: 'Tpl',
    email_body: 'b',
    sms_body: 's',
    header: 'h',
    button: 'b',
    subject: 's',
    sender: 'Jane',
    company: 'Acme',
    logo_url: 'https://cdn.example.com/logo.png',
    page_heading: 'h',
    page_description: 'd',
    page_button: 'b',
    ...fields,
  };
}

function ctx(parts: Partial<RenderContext> = {}): RenderContext {
  return { firstName: 'Ann', lastName: 'Lee', url: URL_, override: null, template: null, ...parts };
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('placeholder values are inserted as written', () => {
  for (const p of PATTERNS) {
    it(`keeps ${p} in a name, a company and a sender`, () => {
      const text = '<[Name]|[Company]|[Sender]> [Name] [Company] [Sender]';
      const fromTemplate = placeholders(
        ctx({
          firstName: `A${p}b`,
          lastName: `c${p}`,
          template: template({ company: `Co${p}`, sender: `S${p} at [Company]` }),
        }),
      );
      expect(fromTemplate(text)).toBe(
        `<A${p}b c${p}|Co${p}|S${p} at Co${p}> A${p}b c${p} Co${p} S${p} at Co${p}`,
      );
      const fromOverride = placeholders(ctx({ override: { email: { sender: `O${p}` } } }));
      expect(fromOverride('[Company] [Sender] [Sender]')).toBe(`O${p} O${p} O${p}`);
    });
  }

  it('never fills a placeholder that a value brought in', () => {
    const sub = placeholders(
      ctx({
        firstName: '[Link]',
        lastName: '[Company]',
        template: template({ company: '[Sender]', sender: '[Name] of [Company]' }),
      }),
    );
    expect(sub('[Name] / [Company] / [Sender] / [Link]')).toBe(
      `[Link] [Company] / [Sender] / [Name] of [Sender] / ${URL_}`,
    );
  });

  it('renders an ordinary name with a $ in it', () => {
    const mail = renderEmail(
      ctx({ firstName: "O$'Neil", lastName: 'Dollar$&', override: { email: { subject: 'Hi [Name]' } } }),
    );
    expect(mail.subject).toBe("Hi O$'Neil Dollar$&");
    expect(mail.html).toContain(escapeHtml("O$'Neil Dollar$&"));
  });
});

describe('a rendered field has a bound', () => {
  const long = { firstName: 'n'.repeat(255), lastName: 'm'.repeat(255) };

  it('cuts a field that placeholders made longer than its bound, and marks the cut', () => {
    const sub = placeholders(ctx(long));
    const filled = sub('[Name]'.repeat(833), 'copy');
    expect(filled).toHaveLength(TEXT_LIMITS.copy);
    expect(filled.endsWith('…')).toBe(true);
    expect(sub('[Name]'.repeat(5), 'line')).toHaveLength(TEXT_LIMITS.line);
  });

  it('leaves the longest text the schema accepts, with a few placeholders, whole', () => {
    const sub = placeholders(ctx(long));
    const text = `${'x'.repeat(4_970)} [Name] [Name]`;
    expect(sub(text, 'copy')).toBe(
      `${'x'.repeat(4_970)} ${long.firstName} ${long.lastName} ${long.firstName} ${long.lastName}`,
    );
  });

  it('never ends a cut in half a surrogate pair, nor the HTML in half an entity', () => {
    for (const shift of ['', 'a']) {
      const sub = placeholders(ctx({ firstName: `${shift}${'😀&'.repeat(85)}`, lastName: '😀' }));
      const filled = sub('[Name]'.repeat(833), 'copy');
      expect(filled.length).toBeLessThanOrEqual(TEXT_LIMITS.copy);
      expect(filled).not.toMatch(loneSurrogate);
      const html = escapeHtml(filled);
      expect(html).not.toMatch(/&(?!(?:amp|lt|gt|quot|#39);)/);
    }
    expect(clip('ab😀', 3)).toBe('ab…');
    expect(clip('a😀b', 3)).toBe('a…');
    expect(clip('abcdef', 4, '...')).toBe('a...');
  });

  it("keeps an email of the attack small: every field [Name] repeated, the name $' repeated", () => {
    const name = "$'".repeat(128).slice(0, 255);
    const f = '[Name]'.repeat(833);
    const override: OverrideInviteTemplate = {
      email: {
        subject: '[Name]'.repeat(166),
        sender: '[Name]'.repeat(42),
        header: f,
        subheader: f,
        body_text_header_1: f,
        body_text_subheader_1: f,
        body_text_header_2: f,
        body_text_subheader_2: f,
        body_text_header_3: f,
        body_text_subheader_3: f,
      },
      sms_text: '[Name]'.repeat(266),
    };
    const mail = renderEmail(ctx({ firstName: name, lastName: name, override }));
    expect(Buffer.byteLength(mail.html)).toBeLessThan(360_000);
    expect(Buffer.byteLength(mail.text)).toBeLessThan(60_000);
    expect(mail.subject).toHaveLength(TEXT_LIMITS.subject);
    expect(count(mail.text, name)).toBeGreaterThan(50);
    const sms = renderSms(ctx({ firstName: name, lastName: name, override }));
    expect(sms.length).toBeLessThanOrEqual(1_600);
    expect(sms.endsWith(` ${URL_}`)).toBe(true);
  });
});

describe('renderSms', () => {
  const sms = (text: string, parts: Partial<RenderContext> = {}) =>
    renderSms(ctx({ override: { sms_text: text }, ...parts }));

  it('adds the link when the text names only a longer URL that starts with it', () => {
    expect(sms(`Old link: ${URL_}0`)).toBe(`Old link: ${URL_}0 ${URL_}`);
    expect(sms('Go: [Link]0')).toBe(`Go: ${URL_}0 ${URL_}`);
    expect(sms('Go: [Link]/more and [Link].html')).toBe(`Go: ${URL_}/more and ${URL_}.html ${URL_}`);
    expect(sms('Go: [Link]?a=1')).toBe(`Go: ${URL_}?a=1 ${URL_}`);
    expect(sms('See https://other.test/?next=[Link]')).toBe(`See https://other.test/?next=${URL_} ${URL_}`);
  });

  it('takes the link followed by the end, a space or closing punctuation as there', () => {
    for (const text of [
      '[Link]',
      'Go: [Link]',
      'Go: [Link].',
      'Go ([Link]), now',
      'Go: [Link]!\nBye',
      '"[Link]"?',
    ]) {
      const out = sms(text);
      expect(count(out, URL_)).toBe(1);
      expect(out).toBe(text.replace('[Link]', URL_));
    }
  });

  it('keeps a message within 1,600 characters with the link whole at its end', () => {
    const name = { firstName: 'n'.repeat(255), lastName: 'm'.repeat(255) };
    for (const text of [
      '[Name]'.repeat(266),
      `${'[Name]'.repeat(100)} [Link]`,
      `[Link] ${'[Name]'.repeat(260)}`,
    ]) {
      const out = sms(text, name);
      expect(out.length).toBeLessThanOrEqual(1_600);
      expect(out.endsWith(` ${URL_}`)).toBe(true);
      expect(out).toContain('...');
    }
  });

  it('does not cut the link in half to make room for it at the end', () => {
    const url = `https://link.example.com/connect/${'a'.repeat(60)}`;
    const filler = 'x'.repeat(1_600 - url.length - 1 - 10);
    const out = sms(`${filler} [Link]${' and more'.repeat(100)}`, { url });
    expect(out).toBe(`${filler} ${url}`);
  });

  it('never leaves half a surrogate pair where it cuts', () => {
    for (const shift of ['', 'a']) {
      const out = sms('[Name]'.repeat(266), { firstName: `${shift}${'😀'.repeat(255)}`, lastName: '😀' });
      expect(out.length).toBeLessThanOrEqual(1_600);
      expect(out).not.toMatch(loneSurrogate);
      expect(out.endsWith(` ${URL_}`)).toBe(true);
    }
  });
});
