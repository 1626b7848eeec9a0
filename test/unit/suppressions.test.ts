import { describe, expect, it } from 'vitest';
import { suppressionReason } from '../../src/delivery/suppressions.ts';

describe('suppressionReason', () => {
  it('suppresses a phone number whose owner replied STOP (Twilio 21610)', () => {
    expect(suppressionReason('sms', '21610', 'Attempt to send to unsubscribed recipient')).toBe(
      'recipient replied STOP (21610)',
    );
  });

  it.each([
    ['30003', 'Unreachable destination handset'],
    ['21211', "Invalid 'To' Phone Number"],
    ['30007', 'Carrier violation'],
    ['550', 'looks like an email bounce'],
    [null, 'no code'],
    [undefined, 'no code'],
  ])('does not suppress a phone number refused with code %s', (code, message) => {
    expect(suppressionReason('sms', code, message)).toBeNull();
  });

  it.each(['550', '551', '553', '554', '5.1.1'])('treats email code %s as a hard bounce', (code) => {
    expect(suppressionReason('email', code, '550 5.1.1 User unknown')).toBe(
      'hard bounce: 550 5.1.1 User unknown',
    );
  });

  it('keeps at most 200 characters of the bounce message', () => {
    const message = `550 ${'x'.repeat(400)}`;
    const reason = suppressionReason('email', '550', message);
    expect(reason).toBe(`hard bounce: ${message.slice(0, 200)}`);
  });

  it.each(['421', '450', '451', '452', '4.2.2'])('does not suppress an email on a temporary %s', (code) => {
    expect(suppressionReason('email', code, 'try again later')).toBeNull();
  });

  it('does not suppress an email refused without a code', () => {
    expect(suppressionReason('email', null, 'connection reset')).toBeNull();
    expect(suppressionReason('email', undefined, 'connection reset')).toBeNull();
  });

  it('does not read a 21610 on an email as a STOP reply', () => {
    expect(suppressionReason('email', '21610', 'unsubscribed')).toBeNull();
  });
});
