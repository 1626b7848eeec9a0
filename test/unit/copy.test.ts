import { describe, expect, it } from 'vitest';
import { smsCost } from '../../src/lib/sms-segments.ts';
import { messagePage } from '../../src/link/pages/messages.ts';
import { copyFor } from '../../src/templates/copy/index.ts';
import { type RenderContext, renderEmail, renderSms } from '../../src/templates/render.ts';

/** The arguments each text that depends on values is tried with. */
const SAMPLES: Record<string, unknown[][]> = {
  'email.subject': [[true], [false]],
  'email.body': [[true], [false]],
  'email.reminderBody': [[true], [false]],
  'sms.invite': [[true], [false]],
  'sms.reminder': [[true], [false]],
  'landing.subheader': [[true], [false]],
  'landing.steps': [[true], [false]],
  'success.subheader': [[true], [false]],
  'layout.logoAlt': [['Acme'], [null]],
  'items.noMatch': [['zzz']],
  'login.title': [['Bluebird Grocers']],
  'login.lead': [['Bluebird Grocers']],
  'verify.lead': [['Bluebird Grocers']],
  'upload.lead': [['Acme'], [null]],
  'upload.each': [[10]],
  'upload.room': [[10, 50]],
  'upload.left': [
    [1, 49.5],
    [3, 12],
  ],
  'upload.tooLarge': [[10]],
  'form.lead': [['Acme'], [null]],
  'received.lead': [['Acme'], [null]],
  problems: [[{ files: 10, totalMb: 50, perMinute: 5 }]],
};

/** Every text of a catalogue by where it stands, texts that depend on values tried with each sample. */
function texts(node: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === 'string') out.set(path, node);
  else if (typeof node === 'function') {
    const samples = SAMPLES[path];
    if (!samples) throw new Error(`no sample arguments for ${path}`);
    samples.forEach((args, i) => {
      for (const [k, v] of texts(node(...args), `${path}(${i})`)) out.set(k, v);
    });
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      for (const [k, v] of texts(value, path ? `${path}.${key}` : key)) out.set(k, v);
    }
  }
  return out;
}

const PLACEHOLDER = /\[(?:Name|Company|Sender|Link)\]/g;
const placeholdersOf = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[0]).sort();

describe('the Spanish catalogue', () => {
  const en = texts(copyFor('en'));
  const es = texts(copyFor('es'));

  it('has a text wherever the English one has, and none of them left in English', () => {
    expect([...es.keys()].sort()).toEqual([...en.keys()].sort());
    expect(en.size).toBeGreaterThan(100);
    // Texts that are the same in both languages on purpose: none so far.
    const same = [...en].filter(([k, v]) => es.get(k) === v).map(([k]) => k);
    expect(same).toEqual([]);
  });

  it('keeps the placeholders and the brand names of each English text', () => {
    for (const [key, english] of en) {
      const spanish = es.get(key) ?? '';
      expect(placeholdersOf(spanish), key).toEqual(placeholdersOf(english));
      for (const kept of ['STOP', 'invitekit Link', 'W-2', 'USD', '`passgood`', '`8081`']) {
        if (english.includes(kept)) expect(spanish, key).toContain(kept);
      }
    }
  });

  it('falls back to English for a language it has no copy in', () => {
    expect(copyFor('fr')).toBe(copyFor('en'));
    expect(copyFor(undefined)).toBe(copyFor('en'));
    expect(copyFor('toString')).toBe(copyFor('en'));
  });
});

const LINK = 'https://invitekit.example/connect/abc123';
const COMPANY = 'Northwind Lending and Mortgage Services, Inc.';

function ctx(parts: Partial<RenderContext> = {}): RenderContext {
  return { firstName: 'Ana', lastName: 'García', url: LINK, override: null, template: null, ...parts };
}
const named = { company_name: COMPANY, sender: null, brand: { color: null, logo: null } };

describe('the built-in SMS', () => {
  it('fits one GSM-7 segment with a 40-character link and a 45-character company, and says how to opt out', () => {
    expect(LINK).toHaveLength(40);
    expect(COMPANY).toHaveLength(45);
    for (const language of ['en', 'es'] as const) {
      for (const purpose of ['invite', 'reminder'] as const) {
        for (const settings of [named, null]) {
          const sms = renderSms(ctx({ language, purpose, settings }));
          expect(sms, sms).toContain(LINK);
          expect(sms).toContain('STOP');
          expect(smsCost(sms), sms).toEqual(expect.objectContaining({ encoding: 'GSM-7', segments: 1 }));
        }
      }
    }
    expect(renderSms(ctx({ language: 'es', settings: named }))).toBe(
      `${COMPANY} le pide verificar sus ingresos en ${LINK} Responda STOP para darse de baja.`,
    );
  });

  it('says a reminder is one, and leaves the customer’s text as written', () => {
    expect(renderSms(ctx({ language: 'es', purpose: 'reminder', settings: named }))).toBe(
      `${COMPANY} le recuerda: verifique sus ingresos en ${LINK} Responda STOP para darse de baja.`,
    );
    expect(renderSms(ctx({ purpose: 'reminder' }))).toBe(
      `Reminder: connect your payroll account here: ${LINK} Reply STOP to opt out.`,
    );
    const own = { sms_text: 'Acme: [Link]' };
    expect(renderSms(ctx({ language: 'es', purpose: 'reminder', override: own }))).toBe(`Acme: ${LINK}`);
  });
});

describe('a reminder email', () => {
  it('prefixes every subject, the customer’s too, and says so in the built-in body', () => {
    const es = renderEmail(ctx({ language: 'es', purpose: 'reminder', settings: named }));
    expect(es.subject).toBe(`Recordatorio: ${COMPANY} le invita a conectar su cuenta de nómina`);
    expect(es.text).toContain(`Hola, Ana García. Este es un recordatorio: ${COMPANY} le pidió que conecte`);
    const en = renderEmail(ctx({ purpose: 'reminder' }));
    expect(en.subject).toBe('Reminder: Connect your payroll account');
    expect(en.text).toContain('Hi Ana García, this is a reminder: you have been asked to connect');
    const own = renderEmail(
      ctx({
        language: 'es',
        purpose: 'reminder',
        override: { email: { subject: 'Su préstamo, [Name]', subheader: 'Texto propio.' } },
      }),
    );
    expect(own.subject).toBe('Recordatorio: Su préstamo, Ana García');
    expect(own.text).toContain('\n\nTexto propio.\n\n');
    expect(own.text).not.toContain('recordatorio');
  });

  it('is the ordinary invite when its purpose is not a reminder', () => {
    for (const purpose of [undefined, 'invite'] as const) {
      const mail = renderEmail(ctx({ language: 'es', purpose }));
      expect(mail.subject).toBe('Conecte su cuenta de nómina');
      expect(mail.text).not.toContain('recordatorio');
    }
  });
});

describe('the "No action needed" page', () => {
  it('is a 200 page in the language of its branding', () => {
    const en = messagePage('inactive', null);
    expect(en.status).toBe(200);
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('<h1>No action needed</h1>');
    expect(en.html).toContain('This link is not active right now. There is nothing you need to do.');
  });
});
