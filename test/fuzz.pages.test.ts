import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../src/channels/twilio.ts';
import { basic, PUBLIC_URL } from './helpers/app.ts';
import { junk } from './helpers/fuzz.ts';
import { badSegment } from './helpers/fuzz-api.ts';
import { BUDGET_MS, METHODS, runFor, startFuzzTarget, TWILIO_TOKEN } from './helpers/fuzz-target.ts';
import { Browser, hiddenField } from './helpers/link.ts';

// Half of the fuzzing budget (FUZZ_SECONDS); fuzz.api.test.ts has the other half.
let target: Awaited<ReturnType<typeof startFuzzTarget>>;
beforeAll(async () => {
  target = await startFuzzTarget();
});
afterAll(() => target?.t.close());

const FORMS = [
  '/enter',
  '/items/item_000000001/login',
  '/items/x/login',
  '/form',
  '/upload',
  '/accounts/{a}/verify',
];
// A form field is text. String() throws on generated objects whose `toString` key is not a
// function, so anything that is not a string is sent as its JSON.
const field = fc.oneof(
  junk.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
  fc.constantFrom('test_1', 'passgood', '8081', 'Acme', ''),
);

describe('the pages and public endpoints under random requests', () => {
  it(
    'serve the recipient’s pages and take their forms without a 5xx',
    async () => {
      const { pools, t } = target;
      let posted = 0;
      const door = fc.oneof(
        fc.constantFrom(...pools.invites).map((id) => ({ base: `/connect/${id}`, qs: '' })),
        fc
          .constantFrom(...pools.tokens, 'junk')
          .map((tok) => ({ base: '/link', qs: `?user_token=${encodeURIComponent(tok)}` })),
      );
      const post = fc.record({
        door,
        form: fc.constantFrom(...FORMS),
        account: fc.oneof(fc.constantFrom(...pools.accounts), badSegment),
        fields: fc.dictionary(
          fc.constantFrom('username', 'password', 'code', 'employer', 'pay_frequency', 'q', 'x'),
          field,
        ),
        csrf: fc.constantFrom('real', 'junk', 'none'),
        type: fc.constantFrom(
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=b',
          'application/json',
        ),
      });
      await runFor(
        0.3,
        fc.asyncProperty(post, async (p) => {
          const b = new Browser(t.app);
          const landing = await b.get(`${p.door.base}${p.door.qs}`);
          expect(landing.status).toBeLessThan(500);
          const real = p.csrf === 'real' && landing.html.includes('name="_csrf"');
          const csrf = real ? hiddenField(landing.html, '_csrf') : 'x';
          const form = new URLSearchParams({ ...p.fields, ...(p.csrf === 'none' ? {} : { _csrf: csrf }) });
          const url = `${p.door.base}${p.form.replace('{a}', p.account)}${p.door.qs}`;
          t.clock.advance(20);
          const page = await b.request('POST', url, form.toString(), p.type);
          posted++;
          expect(page.status, `POST ${url} ${form}`).toBeLessThan(500);
          // An error is a page, except where the router could not read the URL at all (a JSON 404).
          if (page.status >= 400 && !String(page.headers['content-type']).startsWith('text/html')) {
            expect(JSON.parse(page.html), `POST ${url}`).toEqual({ detail: 'Not found.' });
          }
        }),
      );
      expect(posted).toBeGreaterThan(0);
    },
    BUDGET_MS + 60_000,
  );

  it(
    'answer the tracking pixel, provider callbacks and odd paths without a 5xx',
    async () => {
      const delivery = fc.oneof(fc.uuid(), badSegment);
      const callback = fc
        .tuple(
          delivery,
          fc.dictionary(fc.constantFrom('MessageStatus', 'ErrorCode', 'To', 'x'), fc.string()),
          fc.boolean(),
        )
        .map(([id, params, signed]) => ({
          method: 'POST',
          url: `/callbacks/twilio/status/${id}`,
          params,
          signed,
        }));
      const segment = fc.oneof(
        badSegment,
        fc.webSegment(),
        fc.constantFrom('v2', 'invites', 'outbox', 'docs', 'connect', 'link'),
      );
      const anyPath = fc
        .tuple(fc.constantFrom(...METHODS), fc.array(segment, { maxLength: 5 }))
        .map(([method, segments]) => ({ method, url: `/${segments.join('/')}` }));
      const known = fc
        .constantFrom('/healthz', '/openapi.json', '/docs/', '/outbox', '//v2/invites', '/v2/invites/')
        .map((url) => ({ method: 'GET', url }));
      const pixel = delivery.map((id) => ({ method: 'GET', url: `/t/${id}/open.gif` }));
      await runFor(
        0.2,
        fc.asyncProperty(
          fc.oneof(pixel, callback, anyPath, known),
          async (r: { method: string; url: string; params?: Record<string, string>; signed?: boolean }) => {
            const headers: Record<string, string> = {
              authorization: basic(target.t.key),
              'x-from': '192.0.2.4',
            };
            let payload: string | undefined;
            if (r.params) {
              payload = new URLSearchParams(r.params).toString();
              headers['content-type'] = 'application/x-www-form-urlencoded';
              const url = `${PUBLIC_URL}${r.url}`;
              if (r.signed) headers['x-twilio-signature'] = twilioSignature(TWILIO_TOKEN, url, r.params);
            }
            await target.hit(r.method, r.url, headers, payload);
          },
        ),
      );
    },
    BUDGET_MS + 60_000,
  );
});
