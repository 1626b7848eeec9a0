import type { TestApp } from './app.ts';

export interface Page {
  status: number;
  html: string;
  headers: Record<string, string | string[] | number | undefined>;
  /** Where a redirect leads, if it is one. */
  location: string | undefined;
  /** The raw Set-Cookie headers of the answer. */
  setCookies: string[];
}

/** The hidden CSRF field's value in a page's first form that has one. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]*)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF field on the page');
  return m[1];
}

/** A page's text: tags and scripts removed, entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A form's fields; a list is a field posted once for each value (checkboxes of one name). */
export type Fields = Record<string, string | readonly string[]>;

function encodeForm(fields: Fields): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of typeof value === 'string' ? [value] : value) body.append(name, v);
  }
  return body.toString();
}

/**
 * One browser on the Console over `app.inject`: it keeps cookies as a browser would (path
 * /console, deleted when they expire) and posts forms as url-encoded bodies.
 */
export function consoleBrowser(t: TestApp, opts: { ip?: string } = {}) {
  const jar = new Map<string, string>();

  function keep(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attrs] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attrs.some(
        (a) =>
          /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() <= Date.now()),
      );
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  async function send(method: 'GET' | 'POST', url: string, body?: Fields): Promise<Page> {
    const headers: Record<string, string> = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await t.app.inject({
      method,
      url,
      headers,
      remoteAddress: opts.ip,
      payload: body ? encodeForm(body) : undefined,
    });
    const raw = res.headers['set-cookie'];
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
    keep(setCookies);
    const location = res.headers.location;
    return {
      status: res.statusCode,
      html: res.body,
      headers: res.headers,
      location: typeof location === 'string' ? location : undefined,
      setCookies,
    };
  }

  return {
    jar,
    get: (url: string) => send('GET', url),
    /** Posts `fields` as they are: no CSRF token unless given. */
    post: (url: string, fields: Fields) => send('POST', url, fields),
    /** Opens `pageUrl` and posts its form to `action` with `fields` and the page's CSRF token. */
    async submit(pageUrl: string, action: string, fields: Fields): Promise<Page> {
      const page = await send('GET', pageUrl);
      return send('POST', action, { _csrf: csrfOf(page.html), ...fields });
    },
  };
}

export type ConsoleBrowser = ReturnType<typeof consoleBrowser>;
