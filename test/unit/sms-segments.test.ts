import { describe, expect, it } from 'vitest';
import { smsCost } from '../../src/lib/sms-segments.ts';

const a = (n: number) => 'a'.repeat(n);

describe('smsCost: GSM-7', () => {
  it('fits 160 plain characters in one segment and splits at 161', () => {
    expect(smsCost(a(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsCost(a(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
  });

  it('counts 153 characters per part of a concatenated message', () => {
    expect(smsCost(a(306)).segments).toBe(2);
    expect(smsCost(a(307)).segments).toBe(3);
    expect(smsCost(a(459)).segments).toBe(3);
    expect(smsCost(a(460)).segments).toBe(4);
  });

  it('keeps accented letters, symbols and line breaks of the GSM alphabet in GSM-7', () => {
    const text = 'Café £5 @ Zürich: Ñoño, Å\nΔ_Ω ¿¡ §\r';
    expect(smsCost(text)).toEqual({ encoding: 'GSM-7', units: [...text].length, segments: 1 });
  });

  it('counts extension characters as two', () => {
    for (const ch of ['€', '[', ']', '{', '}', '^', '~', '|', '\\', '\f']) {
      expect(smsCost(ch)).toEqual({ encoding: 'GSM-7', units: 2, segments: 1 });
    }
    expect(smsCost('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsCost(`${'€'.repeat(80)}a`)).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsCost(`${a(159)}€`)).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsCost(`${a(158)}€`)).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
  });

  it('counts a typical invite with a link as one segment', () => {
    const text =
      'Acme has asked you to connect your payroll account. Get started here: https://link.example.com/i/abc';
    expect(smsCost(text)).toEqual({ encoding: 'GSM-7', units: text.length, segments: 1 });
  });
});

describe('smsCost: UCS-2', () => {
  it('switches the whole message to UCS-2 for one character outside the GSM alphabet', () => {
    expect(smsCost(`${a(100)}ж`)).toEqual({ encoding: 'UCS-2', units: 101, segments: 2 });
    // ç (lower case) is not in the GSM alphabet, although Ç is.
    expect(smsCost('ç').encoding).toBe('UCS-2');
    expect(smsCost('Ç').encoding).toBe('GSM-7');
    expect(smsCost('“quoted”').encoding).toBe('UCS-2');
  });

  it('fits 70 units in one segment and 67 per part after that', () => {
    expect(smsCost(`${a(69)}ж`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsCost(`${a(70)}ж`)).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsCost(`${a(133)}ж`).segments).toBe(2);
    expect(smsCost(`${a(134)}ж`).segments).toBe(3);
    expect(smsCost(`${a(200)}ж`).segments).toBe(3);
    expect(smsCost(`${a(201)}ж`).segments).toBe(4);
  });

  it('counts extension characters once in UCS-2', () => {
    expect(smsCost(`${'€'.repeat(69)}ж`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
  });

  it('counts an emoji as two units', () => {
    expect(smsCost('😀')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(smsCost('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsCost('😀'.repeat(36))).toEqual({ encoding: 'UCS-2', units: 72, segments: 2 });
  });
});
