import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Credentials, inviteBody, startTestApp, type TestApp } from './app.ts';

/** One request the receiver got. */
export interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  raw: string;
  body: any;
}

/** An answer: a status code, or `hang` to never answer. */
export type Answer = number | 'hang';

/**
 * A real HTTP server standing in for a customer's webhook endpoint. Each path answers from
 * its script, then with its fallback (200 unless told otherwise).
 */
export async function webhookReceiver() {
  const hits: Hit[] = [];
  const scripts = new Map<string, Answer[]>();
  const fallbacks = new Map<string, Answer>();
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      hits.push({ path, headers: req.headers, raw, body: raw ? JSON.parse(raw) : null });
      const answer = scripts.get(path)?.shift() ?? fallbacks.get(path) ?? 200;
      if (answer === 'hang') return;
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end(`answered ${answer}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    hits: (path: string) => hits.filter((h) => h.path === path),
    /** The next answers of `path`, in order. */
    script: (path: string, ...answers: Answer[]) => scripts.set(path, answers),
    /** What `path` answers once its script has run out. */
    otherwise: (path: string, answer: Answer) => fallbacks.set(path, answer),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof webhookReceiver>>;

/** What the delivery tests do over and over, against one test app and receiver. */
export function webhookTools(t: TestApp, receiver: Receiver, secret: string) {
  const tools = {
    hmac: (raw: string) => createHmac('sha512', secret).update(raw, 'utf8').digest('hex'),

    /** A new client (so other tests' subscriptions stay out of the way) subscribed at `path`. */
    async subscribe(path: string, events: string[]) {
      const key = await t.newKey();
      const res = await t.request('POST', '/v2/webhooks', {
        auth: key,
        body: { events, name: `hook ${path}`, url: receiver.url(path), secret },
      });
      expect(res.status).toBe(200);
      return { key, hook: res.body };
    },

    async deliveries(key: Credentials, hookId: string): Promise<any[]> {
      const res = await t.request('GET', `/v2/webhooks/${hookId}/deliveries?limit=200`, { auth: key });
      expect(res.status).toBe(200);
      return res.body.results;
    },

    async webhook(key: Credentials, hookId: string): Promise<any> {
      return (await t.request('GET', `/v2/webhooks/${hookId}`, { auth: key })).body;
    },

    sendInvite: async (key: Credentials) =>
      (await t.request('POST', '/v2/invites', { auth: key, body: inviteBody() })).body,

    /** Sends an invite and revokes it: one `invites.revoked` event. */
    async revokedInvite(key: Credentials) {
      const invite = await tools.sendInvite(key);
      await t.request('POST', `/v2/invites/${invite.id}/revoke`, { auth: key });
      return invite;
    },
  };
  return tools;
}

/**
 * One app per test file that may call the local receiver (127.0.0.1, which only
 * WEBHOOKS_ALLOW_PRIVATE lets through), with the receiver and the tools.
 */
export function withWebhookApp(
  use: (t: TestApp, receiver: Receiver, w: ReturnType<typeof webhookTools>) => void,
): void {
  let app: TestApp | undefined;
  let rcv: Receiver | undefined;
  beforeAll(async () => {
    app = await startTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_SECONDS: '1' });
    rcv = await webhookReceiver();
    use(app, rcv, webhookTools(app, rcv, 'whsec-test-0123456789abcdef'));
  });
  afterAll(async () => {
    await app?.close();
    await rcv?.close();
  });
}
