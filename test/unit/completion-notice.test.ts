import { describe, expect, it } from 'vitest';
import { completionNotice } from '../../src/delivery/completed-notice.text.ts';

const invite = {
  id: 'inv-1',
  first_name: 'Maria',
  last_name: 'Lopez',
  email: 'maria@example.com',
  phone_number: null,
};
const AT = '2026-03-09T23:57:05.756Z';

describe('the completion notice', () => {
  it('says what the person did, and when, in words', () => {
    const account = completionNotice(invite, { via: 'account', item: 'Ledgerline Payroll' }, AT);
    expect(account.subject).toBe('Maria Lopez completed your invite');
    expect(account.text).toBe(
      'Maria Lopez connected their Ledgerline Payroll account on Monday, March 9, 2026 at 11:57 PM UTC.\n\nInvite: inv-1\n',
    );
    const document = completionNotice(invite, { via: 'document', fileName: 'w2.pdf' }, AT);
    expect(document.text).toContain('Maria Lopez uploaded a document (w2.pdf) on Monday');
  });

  it('names someone without a name by their address, and escapes what it shows', () => {
    const nameless = { ...invite, first_name: '', last_name: '' };
    expect(completionNotice(nameless, { via: 'unknown' }, AT).subject).toBe(
      'maria@example.com completed your invite',
    );
    const none = { ...nameless, email: null };
    expect(completionNotice(none, { via: 'unknown' }, AT).subject).toBe('Someone completed your invite');
    const hostile = completionNotice(
      invite,
      { via: 'document', fileName: '<img src=x onerror=alert(1)>' },
      AT,
    );
    expect(hostile.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile.html).not.toContain('<img');
  });
});
