import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, startTestApp, type TestApp } from './helpers/app.ts';
import { minimalTemplate as minimal, REQUIRED_FIELDS as REQUIRED, SEED_BODY } from './helpers/templates.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const create = (body: unknown) => t.request('POST', '/v2/invite-templates', { body });

/** A 400 that changed nothing, with exactly the errors expected. */
async function rejects(body: unknown, errors: Record<string, unknown>) {
  const before = await countRows(t.deps);
  const res = await create(body);
  expect(res.status).toBe(400);
  expect(res.body).toEqual(errors);
  expect(await countRows(t.deps)).toEqual(before);
}

describe('create a template', () => {
  it('accepts the documented example and echoes every field', async () => {
    const res = await create(SEED_BODY);
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(UUID);
    expect(res.body).toEqual({ id: res.body.id, ...SEED_BODY });
  });

  it('answers null for optional fields left out', async () => {
    const res = await create(minimal());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: res.body.id,
      ...minimal(),
      page_config: null,
      reply_to: null,
      flow_id: null,
    });
    const noButton = { ...SEED_BODY.page_config, page_success_show_button: false };
    delete (noButton as Partial<typeof noButton>).page_success_button;
    const res2 = await create({ ...minimal(), page_config: noButton });
    expect(res2.status).toBe(200);
    expect(res2.body.page_config).toEqual({ ...noButton, page_success_button: null });
  });

  it('reports every missing required field at once', async () => {
    await rejects({}, Object.fromEntries(REQUIRED.map((f) => [f, ['This field is required.']])));
    await rejects(
      { ...minimal(), page_config: {} },
      {
        page_config: {
          page_success_heading: ['This field is required.'],
          page_success_description: ['This field is required.'],
          page_success_show_button: ['This field is required.'],
        },
      },
    );
  });

  it('rejects blank text fields', async () => {
    const texts = REQUIRED.filter((f) => f !== 'logo_url');
    const blanks = Object.fromEntries(texts.map((f) => [f, '']));
    await rejects(
      { ...minimal(), ...blanks },
      Object.fromEntries(texts.map((f) => [f, ['This field may not be blank.']])),
    );
  });

  it('treats whitespace-only text as blank, as a DRF CharField does', async () => {
    await rejects(
      {
        ...SEED_BODY,
        name: '   ',
        email_body: '\n\t ',
        page_config: { ...SEED_BODY.page_config, page_success_heading: ' ' },
      },
      {
        name: ['This field may not be blank.'],
        email_body: ['This field may not be blank.'],
        page_config: { page_success_heading: ['This field may not be blank.'] },
      },
    );
  });

  it('requires page_success_button when the success page shows a button', async () => {
    const { page_success_button: _b, ...config } = SEED_BODY.page_config;
    for (const page_config of [config, { ...config, page_success_button: '' }]) {
      const before = await countRows(t.deps);
      const res = await create({ ...minimal(), page_config });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body)).toEqual(['page_config']);
      expect(res.body.page_config.page_success_button).toEqual([expect.any(String)]);
      expect(await countRows(t.deps)).toEqual(before);
    }
  });

  it('rejects a logo_url that is not an http(s) URL', async () => {
    for (const logo_url of [
      'ftp://company.com/logo.jpg',
      'javascript:alert(1)',
      'company.com/logo.jpg',
      '',
    ]) {
      const before = await countRows(t.deps);
      const res = await create({ ...SEED_BODY, logo_url });
      expect(res.status, logo_url).toBe(400);
      expect(res.body).toEqual({ logo_url: [expect.any(String)] });
      expect(await countRows(t.deps)).toEqual(before);
    }
  });

  it('rejects a reply_to that is not an email', async () => {
    await rejects({ ...SEED_BODY, reply_to: 'not-an-email' }, { reply_to: ['Enter a valid email address.'] });
  });
});

describe('list, retrieve and delete templates', () => {
  let other: TestApp['key'];
  let ids: string[];
  beforeAll(async () => {
    other = await t.newKey();
    ids = [];
    for (let i = 0; i < 12; i++) {
      t.clock.advance(1000);
      const res = await t.request('POST', '/v2/invite-templates', {
        body: { ...SEED_BODY, name: `T${i}` },
        auth: other,
      });
      ids.push(res.body.id);
    }
  });
  const list = (query = '') => t.request('GET', `/v2/invite-templates${query}`, { auth: other });

  it('lists a bare array, newest first, 10 by default', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body.map((x: { id: string }) => x.id)).toEqual(ids.slice(-10).reverse());
    expect((await list('?limit=3')).body.map((x: { name: string }) => x.name)).toEqual(['T11', 'T10', 'T9']);
    expect((await list('?limit=200')).body).toHaveLength(12);
  });

  it('rejects a limit out of 1..200', async () => {
    for (const limit of ['0', '201', 'abc', '-1', '1.5']) {
      const res = await list(`?limit=${limit}`);
      expect(res.status, limit).toBe(400);
      expect(res.body).toEqual({ limit: [expect.any(String)] });
    }
  });

  it('retrieves a template, and only for its own client', async () => {
    const res = await t.request('GET', `/v2/invite-templates/${ids[0]}`, { auth: other });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ids[0], ...SEED_BODY, name: 'T0' });
    expect((await t.request('GET', `/v2/invite-templates/${ids[0]}`)).status).toBe(404);
    expect((await t.request('DELETE', `/v2/invite-templates/${ids[0]}`)).status).toBe(404);
    expect((await t.request('GET', '/v2/invite-templates/0e41254b-bed6-12cd-959d-63470f57c7f5')).status).toBe(
      404,
    );
    expect((await t.request('GET', '/v2/invite-templates/not-a-uuid')).body).toEqual({
      detail: 'Not found.',
    });
  });

  it('deletes: 200 as seed 004 shows, then 404, gone from the list, and 404 when deleted again', async () => {
    const id = ids[11]!;
    const del = await t.request('DELETE', `/v2/invite-templates/${id}`, { auth: other });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({});
    expect((await t.request('GET', `/v2/invite-templates/${id}`, { auth: other })).status).toBe(404);
    expect((await list('?limit=200')).body.map((x: { id: string }) => x.id)).not.toContain(id);
    const again = await t.request('DELETE', `/v2/invite-templates/${id}`, { auth: other });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: 'Not found.' });
  });
});
