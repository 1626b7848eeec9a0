import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationsOf } from './helpers/fuzz-api.ts';
import { apiRequest, BUDGET_MS, runFor, startFuzzTarget } from './helpers/fuzz-target.ts';

// Half of the fuzzing budget (FUZZ_SECONDS); fuzz.pages.test.ts has the other half.
let target: Awaited<ReturnType<typeof startFuzzTarget>>;
beforeAll(async () => {
  target = await startFuzzTarget();
});
afterAll(() => target?.t.close());

describe('the API under random requests', () => {
  it(
    'never answers 5xx, and answers every error in the wire format its OpenAPI document gives',
    async () => {
      const ops = operationsOf(target.doc).filter((o) => /^\/(v2|outbox)\//.test(o.path));
      // Every operation, webhooks, accounts and invite events included, is in the draw.
      expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(
        expect.arrayContaining([
          'POST /v2/invites',
          'GET /v2/invites/{id}/events',
          'GET /v2/accounts',
          'GET /outbox/messages',
          'POST /v2/user-tokens',
        ]),
      );
      await runFor(
        0.5,
        fc.asyncProperty(apiRequest(target, ops), async (r) => {
          await target.hit(r.method, r.url, r.headers, r.body);
        }),
      );
      // Junk alone proves little: a fair share must have gone through to the handlers.
      expect(target.seen.apiOk / target.seen.api).toBeGreaterThan(0.1);
    },
    BUDGET_MS + 60_000,
  );
});
