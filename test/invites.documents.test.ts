import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { Browser, hiddenField, pathOf } from './helpers/link.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

async function send() {
  const res = await t.request('POST', '/v2/invites', { body: inviteBody() });
  expect(res.status).toBe(200);
  return res.body;
}

/**
 * Uploads one file through the recipient's upload page, as a browser would: the invite URL
 * for the first; the embedded flow (a user token) for more, since an invite URL takes no
 * upload once its invite is completed.
 */
async function upload(invite: any, file: { name: string; type: string; content: Buffer }) {
  const b = new Browser(t.app);
  const completed = (await t.request('GET', `/v2/invites/${invite.id}`)).body.status === 'completed';
  const query = completed ? `?user_token=${encodeURIComponent(invite.user_token)}` : '';
  const base = completed ? '/link' : pathOf(invite.url);
  const form = await b.get(`${base}/upload${query}`);
  const fields = {
    _csrf: hiddenField(form.html, '_csrf'),
    _submission: hiddenField(form.html, '_submission'),
  };
  const done = await b.upload(`${base}/upload${query}`, fields, file);
  expect(done.location).toMatch(new RegExp(`^${base}/success`));
}

describe('what the recipient gave, through the API', () => {
  it('lists an invite’s documents and downloads each as an attachment, bytes unchanged', async () => {
    const invite = await send();
    const pdf = Buffer.from('%PDF-1.4 pay stub \u0000\u00ff binary');
    await upload(invite, { name: 'Nómina de marzo.pdf', type: 'application/pdf', content: pdf });
    // Hostile: HTML that would run if shown inline from this origin.
    const html = Buffer.from('<script>alert(1)</script>');
    await upload(invite, { name: '<img src=x>.html; filename=evil.html', type: 'text/html', content: html });

    const list = await t.request('GET', `/v2/invites/${invite.id}/documents`);
    expect(list.status).toBe(200);
    expect(list.body.results.map((d: any) => d.file_name)).toEqual([
      '<img src=x>.html; filename=evil.html',
      'Nómina de marzo.pdf',
    ]);
    const [evil, stub] = list.body.results;
    expect(stub).toMatchObject({
      invite: invite.id,
      user: invite.user,
      content_type: 'application/pdf',
      size: pdf.length,
    });
    expect(stub.download_url).toBe(`${pathBase()}/v2/invites/${invite.id}/documents/${stub.id}/content`);

    const got = await t.app.inject({
      method: 'GET',
      url: new URL(stub.download_url).pathname,
      headers: { authorization: authHeader() },
    });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(pdf)).toBe(true);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="N_mina de marzo.pdf"; filename*=UTF-8''N%C3%B3mina%20de%20marzo.pdf`,
    );

    const hostile = await t.app.inject({
      method: 'GET',
      url: new URL(evil.download_url).pathname,
      headers: { authorization: authHeader() },
    });
    expect(hostile.headers['content-type']).toBe('application/octet-stream');
    expect(hostile.headers['x-content-type-options']).toBe('nosniff');
    // The whole name stays inside the quoted value: no second filename parameter.
    expect(hostile.headers['content-disposition']).toBe(
      `attachment; filename="<img src=x>.html; filename=evil.html"; filename*=UTF-8''%3Cimg%20src%3Dx%3E.html%3B%20filename%3Devil.html`,
    );
    expect(hostile.rawPayload.equals(html)).toBe(true);
  });

  it('lists the response form’s answers', async () => {
    const invite = await send();
    const b = new Browser(t.app);
    await b.follow(await b.submit(await b.get(pathOf(invite.url))));
    const form = await b.get(`/connect/${invite.id}/form`);
    await b.follow(await b.submit(form, { employer: 'Bluebird Grocers', job_title: 'Cashier' }));
    const res = await t.request('GET', `/v2/invites/${invite.id}/responses`);
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0].answers).toMatchObject({ employer: 'Bluebird Grocers', job_title: 'Cashier' });
    expect(res.body.results[0].user).toBe(invite.user);
  });

  it('keeps every client to its own invites, and pages like every list', async () => {
    const invite = await send();
    await upload(invite, { name: 'a.pdf', type: 'application/pdf', content: Buffer.from('a') });
    await upload(invite, { name: 'b.pdf', type: 'application/pdf', content: Buffer.from('b') });
    const other = await t.newKey();
    for (const url of [`/v2/invites/${invite.id}/documents`, `/v2/invites/${invite.id}/responses`]) {
      expect((await t.request('GET', url, { auth: other })).status).toBe(404);
    }
    const docs = (await t.request('GET', `/v2/invites/${invite.id}/documents`)).body.results;
    const theirs = await t.app.inject({
      method: 'GET',
      url: new URL(docs[0].download_url).pathname,
      headers: {
        authorization: `Basic ${Buffer.from(`${other.api_key_id}:${other.api_key_secret}`).toString('base64')}`,
      },
    });
    expect(theirs.statusCode).toBe(404);

    const first = await t.request('GET', `/v2/invites/${invite.id}/documents?limit=1`);
    expect(first.body.results.map((d: any) => d.file_name)).toEqual(['b.pdf']);
    const next = await t.request(
      'GET',
      `/v2/invites/${invite.id}/documents?cursor=${encodeURIComponent(first.body.next)}`,
    );
    expect(next.body.results.map((d: any) => d.file_name)).toEqual(['a.pdf']);
  });
});

function pathBase() {
  return 'http://invitekit.test';
}

function authHeader() {
  return `Basic ${Buffer.from(`${t.key.api_key_id}:${t.key.api_key_secret}`).toString('base64')}`;
}
