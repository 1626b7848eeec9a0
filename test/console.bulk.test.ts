import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, csrfOf, textOf } from './helpers/console.ts';

let t: TestApp;
let nextIp = 1;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  t = await startTestApp();
  for (const [email, role] of [
    ['ops@acme.example', 'operations'],
    ['mate@acme.example', 'operations'],
    ['dev@acme.example', 'developer'],
  ] as const) {
    await createMember(t.deps, t.key.client_id, { email, name: '', role, password: PASSWORD });
  }
});
afterAll(async () => {
  await t?.close();
});

async function signedIn(email: string): Promise<ConsoleBrowser> {
  const b = consoleBrowser(t, { ip: `192.0.2.${nextIp++}` });
  const res = await b.submit('/console', '/console/sign-in', { email, password: PASSWORD });
  expect(res.status).toBe(303);
  return b;
}

const cookieOf = (b: ConsoleBrowser) => [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Uploads `csv` through the page's form, as a browser posts a file (multipart). */
async function upload(b: ConsoleBrowser, csv: string | Buffer, fields: Record<string, string> = {}) {
  const page = await b.get('/console/bulk');
  const boundary = '----invitekit-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: csrfOf(page.html), ...fields })) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  const res = await t.app.inject({
    method: 'POST',
    url: '/console/bulk',
    headers: { cookie: cookieOf(b), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
  return { status: res.statusCode, html: res.body };
}

/** Posts the hidden fields of the page's form that goes to `action`, as its button would. */
async function press(b: ConsoleBrowser, html: string, action: string) {
  const form = new RegExp(`<form method="post" action="${action}">([\\s\\S]*?)</form>`).exec(html)?.[1];
  if (!form) throw new Error(`no form for ${action}`);
  const body = new URLSearchParams();
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    body.append(
      m[1] ?? '',
      (m[2] ?? '')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&amp;/g, '&'),
    );
  }
  const res = await t.app.inject({
    method: 'POST',
    url: action,
    headers: { cookie: cookieOf(b), 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
  return { status: res.statusCode, html: res.body, headers: res.headers };
}

async function inviteCount(): Promise<number> {
  const row = await t.deps.db
    .selectFrom('invites')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The rows the page lists as refused: row number and its messages. */
function refusedRows(html: string): { row: number; text: string }[] {
  const table = /<caption>Rows with errors[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...(m[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => textOf(c[1] ?? ''));
    return { row: Number(cells[0]), text: cells.slice(1).join(' | ') };
  });
}

describe('Bulk send', () => {
  it('a 500-row file with 5 bad rows: 495 invites, the 5 shown with their reasons, results as CSV; the same file again sends nothing new', async () => {
    const bad = new Map<number, string>([
      [10, 'first_name,,b10@email.com,,'],
      [100, 'Ann,Bee,not-an-email,,'],
      [200, 'Ann,Bee,,,'],
      [300, ',,,,'.replace(/^/, 'Ann')],
      [499, `Ann,Bee,b499@email.com,,${'x'.repeat(300)}`],
    ]);
    const lines = ['first_name,last_name,email,phone_number,external_id'];
    for (let i = 0; i < 500; i++) lines.push(bad.get(i) ?? `First${i},Last${i},p${i}@email.com,,ext-${i}`);
    const csv = `${lines.join('\n')}\n`;
    const b = await signedIn('ops@acme.example');
    const before = await inviteCount();

    const checked = await upload(b, csv);
    expect(checked.status).toBe(200);
    expect(textOf(checked.html)).toContain('495 of 500 rows are ready to send; 5 have errors.');
    const refused = refusedRows(checked.html);
    // Spreadsheet rows: the header is row 1, so input line i is row i + 2.
    expect(refused.map((r) => r.row)).toEqual([12, 102, 202, 302, 501]);
    expect(refused[1]?.text).toContain('email: Enter a valid email address.');
    expect(refused[2]?.text).toContain('Either email or phone_number is required.');
    expect(refused[2]?.text).not.toContain('non_field_errors');
    expect(refused[4]?.text).toContain('external_id: Ensure this field has no more than 255 characters.');
    expect(await inviteCount()).toBe(before);
    expect(textOf(checked.html)).toContain('Send 495 invites');

    const sent = await press(b, checked.html, '/console/bulk/send');
    expect(sent.status).toBe(200);
    expect(textOf(sent.html)).toContain('495 of 500 rows sent; 5 refused.');
    expect(refusedRows(sent.html).map((r) => r.row)).toEqual([12, 102, 202, 302, 501]);
    expect(await inviteCount()).toBe(before + 495);

    const download = await press(b, sent.html, '/console/bulk/results');
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toMatch(/^text\/csv/);
    expect(download.headers['content-disposition']).toContain('attachment');
    const results: { row: string; invite_id: string; errors: string }[] = parse(download.html, {
      columns: true,
    });
    expect(results).toHaveLength(500);
    expect(results.filter((r) => r.invite_id).length).toBe(495);
    expect(results.find((r) => r.row === '102')).toMatchObject({
      invite_id: '',
      errors: 'email: Enter a valid email address.',
    });
    const first = await t.request('GET', `/v2/invites/${results[0]?.invite_id}`);
    expect(first.body).toMatchObject({ first_name: 'First0', last_name: 'Last0', email: 'p0@email.com' });

    // The same file again, uploaded afresh: nothing new goes out, and the results are the same.
    const again = await upload(b, csv);
    const resent = await press(b, again.html, '/console/bulk/send');
    expect(textOf(resent.html)).toContain(
      'This file was sent before with this template: nothing was sent again. 495 of 500 rows were sent then; 5 refused.',
    );
    expect(await inviteCount()).toBe(before + 495);
    const download2 = await press(b, resent.html, '/console/bulk/results');
    expect(download2.html).toBe(download.html);
  }, 120_000);

  it("a teammate's upload of the same file is their own send; neither reads the other's results", async () => {
    const csv = 'first_name,last_name,email\nTeam,One,team1@email.com\nTeam,Two,team2@email.com\n';
    const ops = await signedIn('ops@acme.example');
    const mate = await signedIn('mate@acme.example');
    const before = await inviteCount();
    const mine = await press(ops, (await upload(ops, csv)).html, '/console/bulk/send');
    expect(textOf(mine.html)).toContain('2 of 2 rows sent; 0 refused.');
    // The teammate has not sent it: asking for its results is refused, nothing is sent.
    const peek = await press(
      mate,
      mine.html.replaceAll(csrfOf(mine.html), csrfOf((await mate.get('/console/bulk')).html)),
      '/console/bulk/results',
    );
    expect(peek.status).toBe(400);
    expect(await inviteCount()).toBe(before + 2);
    const theirs = await press(mate, (await upload(mate, csv)).html, '/console/bulk/send');
    expect(textOf(theirs.html)).toContain('2 of 2 rows sent; 0 refused.');
    expect(await inviteCount()).toBe(before + 4);
    const senders = await t.deps.db
      .selectFrom('invites')
      .select('sent_by_member_id')
      .where('email', '=', 'team1@email.com')
      .execute();
    expect(new Set(senders.map((r) => r.sent_by_member_id)).size).toBe(2);
  });

  it('refuses a posted-back file that is not one its check accepted (400), sending nothing', async () => {
    const b = await signedIn('ops@acme.example');
    const csrf = csrfOf((await b.get('/console/bulk')).html);
    const before = await inviteCount();
    for (const file of ['email\n', 'x', 'a"b\n"']) {
      for (const action of ['/console/bulk/send', '/console/bulk/results']) {
        const res = await b.post(action, {
          _csrf: csrf,
          flow_id: '',
          file: Buffer.from(file).toString('base64'),
        });
        expect(res.status, `${action} ${JSON.stringify(file)}`).toBe(400);
        expect(textOf(res.html)).toContain('Upload the file again.');
      }
    }
    expect(await inviteCount()).toBe(before);
  });

  it('reads a BOM, CRLF, quoted commas, full_name alone and unknown columns', async () => {
    const csv = Buffer.from(
      '\uFEFFnotes,Full_Name,email,phone_number,extra\r\n' +
        '"likes, commas",Grace Brewster Hopper,grace@email.com,,x\r\n' +
        '"line\r\nbreak","Quoted, Name",quoted@email.com,,y\r\n',
    );
    const b = await signedIn('ops@acme.example');
    const checked = await upload(b, csv);
    expect(checked.status).toBe(200);
    expect(textOf(checked.html)).toContain('2 of 2 rows are ready to send; 0 have errors.');
    const sent = await press(b, checked.html, '/console/bulk/send');
    const download = await press(b, sent.html, '/console/bulk/results');
    const results: { invite_id: string }[] = parse(download.html, { columns: true });
    const [grace, quoted] = await Promise.all(
      results.map((r) => t.request('GET', `/v2/invites/${r.invite_id}`)),
    );
    expect(grace?.body).toMatchObject({
      first_name: 'Grace',
      last_name: 'Brewster Hopper',
      email: 'grace@email.com',
    });
    expect(quoted?.body).toMatchObject({ first_name: 'Quoted,', last_name: 'Name' });
  });

  it('takes a file of almost 2 MB and refuses a larger one (413), sending nothing from it', async () => {
    const b = await signedIn('ops@acme.example');
    const notes = 'n'.repeat(180_000);
    const rows = Array.from({ length: 10 }, (_, i) => `Big${i},Row,big${i}@email.com,${notes}`);
    const csv = `first_name,last_name,email,notes\n${rows.join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(1_800_000);
    const checked = await upload(b, csv);
    expect(checked.status).toBe(200);
    const before = await inviteCount();
    const sent = await press(b, checked.html, '/console/bulk/send');
    expect(sent.status).toBe(200);
    expect(textOf(sent.html)).toContain('10 of 10 rows sent; 0 refused.');
    expect(await inviteCount()).toBe(before + 10);

    const tooBig = await upload(
      b,
      `first_name,last_name,email,notes\nA,B,a@email.com,${'n'.repeat(2 * 1024 * 1024)}\n`,
    );
    expect(tooBig.status).toBe(413);
    expect(await inviteCount()).toBe(before + 10);
  }, 60_000);

  it('refuses a file of more than 5,000 rows, saying so', async () => {
    const b = await signedIn('ops@acme.example');
    const rows = Array.from({ length: 5_001 }, (_, i) => `F${i},L,r${i}@email.com`);
    const res = await upload(b, `first_name,last_name,email\n${rows.join('\n')}\n`);
    expect(res.status).toBe(400);
    expect(textOf(res.html)).toContain('This file has 5,001 rows; a file may have at most 5,000.');
  });

  it('says why a file is refused, beside the file field', async () => {
    const b = await signedIn('ops@acme.example');
    const empty = await upload(b, 'first_name,last_name,email\n');
    expect(empty.status).toBe(400);
    expect(textOf(empty.html)).toContain('This file has no rows after its header row.');
  });

  it('is not for a developer (403), and an upload without its token is refused (403)', async () => {
    const dev = await signedIn('dev@acme.example');
    expect((await dev.get('/console/bulk')).status).toBe(403);
    const ops = await signedIn('ops@acme.example');
    const before = await inviteCount();
    const res = await ops.post('/console/bulk/send', {
      file: Buffer.from('first_name,last_name,email\nA,B,a@email.com\n').toString('base64'),
    });
    expect(res.status).toBe(403);
    expect(await inviteCount()).toBe(before);
  });
});
