import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { inviteBody, startTestApp, type TestApp } from './app.ts';

export interface Page {
  status: number;
  html: string;
  location: string | null;
  headers: Record<string, unknown>;
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** A form's hidden field, read back from the page as a browser would submit it. */
export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  if (!m) throw new Error(`no hidden field ${name} in page:\n${html.slice(0, 3000)}`);
  return decode(m[1]!);
}

/** The action of the page's first POST form. */
export function formAction(html: string): string {
  const m = /<form method="post" action="([^"]*)"/.exec(html);
  if (!m) throw new Error(`no POST form in page:\n${html.slice(0, 3000)}`);
  return decode(m[1]!);
}

/** Visible text, tags stripped, for assertions on what a person reads. */
export const textOf = (html: string) =>
  decode(html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

/** One browser over app.inject: keeps its cookies and submits forms with their tokens. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private keep(setCookie: unknown): void {
    for (const c of ([] as unknown[]).concat(setCookie ?? [])) {
      const [pair] = String(c).split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  }

  async request(method: string, url: string, payload?: string | Buffer, type?: string): Promise<Page> {
    const headers: Record<string, string> = { ...this.cookieHeader() };
    if (type) headers['content-type'] = type;
    const res = await this.app.inject({ method: method as 'GET', url, headers, payload });
    this.keep(res.headers['set-cookie']);
    const location = res.headers.location;
    return {
      status: res.statusCode,
      html: res.body,
      location: location ? String(location) : null,
      headers: res.headers,
    };
  }

  get(url: string): Promise<Page> {
    return this.request('GET', url);
  }

  post(url: string, form: Record<string, string>): Promise<Page> {
    return this.request(
      'POST',
      url,
      new URLSearchParams(form).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  /** Submits the page's form with its hidden fields plus `fields`, as pressing its button does. */
  submit(page: Page, fields: Record<string, string> = {}): Promise<Page> {
    const hidden: Record<string, string> = {};
    for (const m of page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      hidden[decode(m[1]!)] = decode(m[2]!);
    }
    return this.post(formAction(page.html), { ...hidden, ...fields });
  }

  /** Follows redirects from a response, as a browser would. */
  async follow(page: Page): Promise<Page> {
    let p = page;
    for (let i = 0; i < 5 && p.location; i++) p = await this.get(p.location);
    return p;
  }

  /** Posts a multipart form with one file, fields first (as the upload form orders them). */
  upload(url: string, fields: Record<string, string>, file: { name: string; type: string; content: Buffer }) {
    const boundary = '----invitekit-test-boundary';
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    return this.request('POST', url, Buffer.concat(parts), `multipart/form-data; boundary=${boundary}`);
  }
}

export const pathOf = (url: string) => new URL(url).pathname;

/** What the recipient-side tests do over and over, against one test app. */
export function recipient(t: TestApp) {
  const send = async (over: Record<string, unknown> = {}) => {
    const res = await t.request('POST', '/v2/invites', { body: inviteBody(over) });
    if (res.status !== 200) throw new Error(`send failed: ${res.status} ${res.raw}`);
    return res.body;
  };
  return {
    send,
    statusOf: async (id: string) => (await t.request('GET', `/v2/invites/${id}`)).body.status as string,
    /** Event types of the invite, oldest first. */
    eventTypes: async (id: string): Promise<string[]> => {
      const res = await t.request('GET', `/v2/invites/${id}/events?limit=200`);
      if (res.status !== 200) throw new Error(`events failed: ${res.status}`);
      return res.body.results.map((e: any) => e.type).reverse();
    },
    /** A browser that opened the invite and pressed the landing page's button. */
    async entered(invite: any) {
      const b = new Browser(t.app);
      const landing = await b.get(pathOf(invite.url));
      const items = await b.follow(await b.submit(landing));
      return { b, items };
    },
    /** Submits the Item's login form; the page that follows. */
    async login(b: Browser, base: string, item: string, username: string, password: string) {
      const page = await b.get(`${base}/items/${item}`);
      return b.follow(await b.submit(page, { username, password }));
    },
  };
}

export type Recipient = ReturnType<typeof recipient>;

/** One app per test file, with a recipient driving it; `use` receives both before the tests run. */
export function withRecipientApp(use: (t: TestApp, r: Recipient) => void): void {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp();
    use(app, recipient(app));
  });
  afterAll(() => app?.close());
}
