import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { PUBLIC_URL, type TestApp } from './helpers/app.ts';
import {
  Browser,
  formAction,
  hiddenField,
  type Page,
  pathOf as path,
  type Recipient,
  textOf,
  withRecipientApp,
} from './helpers/link.ts';

let t: TestApp;
let r: Recipient;
withRecipientApp((app, rec) => {
  t = app;
  r = rec;
});

const MB = 1024 * 1024;
const MINUTE = 60_000;
const pdf = (content: Buffer, name = 'stub.pdf') => ({ name, type: 'application/pdf', content });
const small = (n: number) => pdf(Buffer.from(`%PDF-1.4 pay stub ${n}`), `stub-${n}.pdf`);

/** Where a door's pages are: the invite URL, or embedded Link with the invite's user token. */
const byUrl = (invite: any) => ({ base: path(invite.url), qs: '' });
const byToken = (invite: any) => ({
  base: '/link',
  qs: `?user_token=${encodeURIComponent(invite.user_token)}`,
});
type Door = ReturnType<typeof byUrl>;

/** The upload form, as a person opens it; its tokens, to post with. */
async function openForm(b: Browser, door: Door) {
  const form = await b.get(`${door.base}/upload${door.qs}`);
  expect(form.status, textOf(form.html)).toBe(200);
  return {
    form,
    action: formAction(form.html),
    fields: { _csrf: hiddenField(form.html, '_csrf'), _submission: hiddenField(form.html, '_submission') },
  };
}

/** Opens the form and sends one file, as a person does. */
async function uploadOne(b: Browser, door: Door, file: ReturnType<typeof pdf>): Promise<Page> {
  const { action, fields } = await openForm(b, door);
  return b.upload(action, fields, file);
}

async function documentsOf(invite: any): Promise<{ files: number; bytes: number }> {
  const row = await t.deps.db
    .selectFrom('documents')
    .select((eb) => [eb.fn.countAll<number>().as('files'), eb.fn.sum<number>('size').as('bytes')])
    .where('user_id', '=', invite.user)
    .executeTakeFirstOrThrow();
  return { files: Number(row.files), bytes: Number(row.bytes ?? 0) };
}

/** Moves past the per-minute upload limit's windows. */
const nextMinutes = () => t.clock.advance(2 * MINUTE);

describe('what the upload page tells a person', () => {
  it('names the limits in words, and what is left once something was uploaded', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const { form } = await openForm(b, byUrl(invite));
    expect(textOf(form.html)).toContain(
      'PDF or image, up to 10 MB each. You can upload up to 10 documents, 50 MB in all.',
    );
    expect((await uploadOne(b, byToken(invite), pdf(Buffer.alloc(MB / 2, 1)))).status).toBe(303);
    const after = await openForm(b, byToken(invite));
    expect(textOf(after.form.html)).toContain('You can upload 9 more documents, 49.5 MB in all.');
  });
});

describe('after the invite is completed or revoked', () => {
  it('the invite URL takes one document: then the form is gone and a post stores nothing', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const { action, fields } = await openForm(b, byUrl(invite));
    expect((await b.upload(action, fields, small(1))).location).toBe(`${path(invite.url)}/success`);
    expect(await r.statusOf(invite.id)).toBe('completed');

    const again = await b.get(`${path(invite.url)}/upload`);
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('This invite is already complete');
    expect(again.html).not.toContain('<form');
    const late = await b.upload(action, { ...fields, _submission: randomUUID() }, small(2));
    expect(late.status).toBe(409);
    expect(textOf(late.html)).toContain('This invite is already complete');
    expect(await documentsOf(invite)).toMatchObject({ files: 1 });
    expect(await r.eventTypes(invite.id)).toEqual(['invite.sent', 'document.uploaded', 'invite.completed']);
  });

  it('a revoked invite stores nothing through its URL or its user token, and says it has expired', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    const viaUrl = await openForm(b, byUrl(invite));
    const viaToken = await openForm(b, byToken(invite));
    expect((await t.request('POST', `/v2/invites/${invite.id}/revoke`)).status).toBe(200);

    for (const { action, fields } of [viaUrl, viaToken]) {
      const page = await b.upload(action, fields, small(1));
      expect(page.status).toBe(410);
      expect(textOf(page.html)).toContain('This invite has expired');
    }
    const form = await b.get(`/link/upload${byToken(invite).qs}`);
    expect(form.status).toBe(410);
    expect(form.html).not.toContain('<form');
    expect(await documentsOf(invite)).toEqual({ files: 0, bytes: 0 });
    expect(await r.statusOf(invite.id)).toBe('revoked');
  });
});

describe('limits per invite', () => {
  it('refuses the 11th file with a page that says why, and stores nothing more', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    for (let i = 1; i <= 9; i++) {
      if (i === 6) nextMinutes();
      const page = await uploadOne(b, byToken(invite), small(i));
      expect(page.status, textOf(page.html)).toBe(303);
    }
    const tenth = await openForm(b, byToken(invite));
    const eleventh = await openForm(b, byToken(invite));
    expect((await b.upload(tenth.action, tenth.fields, small(10))).status).toBe(303);
    expect(await documentsOf(invite)).toMatchObject({ files: 10 });
    nextMinutes();

    const form = await b.get(`/link/upload${byToken(invite).qs}`);
    expect(form.status).toBe(409);
    expect(form.html).not.toContain('<form');
    const refused = await b.upload(eleventh.action, eleventh.fields, small(11));
    expect(refused.status).toBe(409);
    expect(textOf(refused.html)).toContain('You’ve uploaded as many documents as we can take');
    expect(textOf(refused.html)).toContain('One invite takes up to 10 documents');
    expect(await documentsOf(invite)).toMatchObject({ files: 10 });
    expect(await r.statusOf(invite.id)).toBe('completed');
  });

  it('of uploads sent at once that together pass the file limit, stores only what fits', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    for (let i = 1; i <= 7; i++) {
      if (i === 6) nextMinutes();
      expect((await uploadOne(b, byToken(invite), small(i))).status).toBe(303);
    }
    nextMinutes();
    const forms = [];
    for (let i = 0; i < 5; i++) forms.push(await openForm(b, byToken(invite)));
    const pages = await Promise.all(forms.map((f, i) => b.upload(f.action, f.fields, small(8 + i))));
    expect(pages.map((p) => p.status).sort()).toEqual([303, 303, 303, 409, 409]);
    expect(await documentsOf(invite)).toMatchObject({ files: 10 });
  });

  it('counts the bytes of each file before storing it: 50 MB in all, to the byte', async () => {
    const invite = await r.send();
    const b = new Browser(t.app);
    for (let i = 1; i <= 4; i++) {
      expect((await uploadOne(b, byToken(invite), pdf(Buffer.alloc(10 * MB, i)))).status).toBe(303);
    }
    nextMinutes();
    // 10 MB are left; two files of 6 MB sent at once do not both fit.
    const forms = [await openForm(b, byToken(invite)), await openForm(b, byToken(invite))];
    const pages = await Promise.all(
      forms.map((f) => b.upload(f.action, f.fields, pdf(Buffer.alloc(6 * MB, 7)))),
    );
    expect(pages.map((p) => p.status).sort()).toEqual([303, 413]);
    const refused = pages.find((p) => p.status === 413);
    expect(textOf(refused?.html ?? '')).toContain('One invite takes up to 50 MB of documents in all');
    expect(await documentsOf(invite)).toEqual({ files: 5, bytes: 46 * MB });

    const over = await uploadOne(b, byToken(invite), pdf(Buffer.alloc(4 * MB + 1, 8)));
    expect(over.status).toBe(413);
    expect(await documentsOf(invite)).toEqual({ files: 5, bytes: 46 * MB });
    expect((await uploadOne(b, byToken(invite), pdf(Buffer.alloc(4 * MB, 9)))).status).toBe(303);
    expect(await documentsOf(invite)).toEqual({ files: 6, bytes: 50 * MB });
    expect((await b.get(`/link/upload${byToken(invite).qs}`)).status).toBe(413);
  });
});

describe('uploads a minute per invite', () => {
  it('answers the 6th in a minute with a 429 page and Retry-After; another invite is unaffected', async () => {
    const invite = await r.send();
    const other = await r.send();
    const b = new Browser(t.app);
    for (let i = 1; i <= 5; i++) expect((await uploadOne(b, byToken(invite), small(i))).status).toBe(303);
    const throttled = await uploadOne(b, byToken(invite), small(6));
    expect(throttled.status).toBe(429);
    const wait = Number(throttled.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(120);
    expect(textOf(throttled.html)).toContain('Too many uploads in a short time');
    expect(await documentsOf(invite)).toMatchObject({ files: 5 });

    expect((await uploadOne(b, byUrl(other), small(1))).status).toBe(303);
    expect(await documentsOf(other)).toMatchObject({ files: 1 });

    // As long as it says, and no longer.
    t.clock.advance(wait * 1000);
    expect((await uploadOne(b, byToken(invite), small(7))).status).toBe(303);
    expect(await documentsOf(invite)).toMatchObject({ files: 6 });
  });

  it('is one count for every process on the database', async () => {
    const second = await startSecondApp();
    try {
      const invite = await r.send();
      const one = new Browser(t.app);
      const two = new Browser(second.app);
      for (let i = 1; i <= 5; i++) {
        const b = i % 2 ? one : two;
        expect((await uploadOne(b, byToken(invite), small(i))).status).toBe(303);
      }
      for (const b of [one, two]) expect((await uploadOne(b, byToken(invite), small(6))).status).toBe(429);
      expect(await documentsOf(invite)).toMatchObject({ files: 5 });
    } finally {
      await second.close();
    }
  });
});

/** Another app process's view: its own connections to the same database, on the same clock. */
async function startSecondApp(): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const config = loadConfig({
    DATABASE_URL: t.deps.config.DATABASE_URL,
    PUBLIC_URL,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const deps = await createDeps(config, { clock: t.clock });
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await closeDeps(deps);
    },
  };
}
