import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

interface Asset {
  url: string;
  type: string;
  body: Buffer;
}

export const ASSETS_PATH = '/console/assets/';

/** An asset under a URL named by its content's hash, so it may be cached for good. */
function asset(name: string, extension: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { url: `${ASSETS_PATH}${name}.${hash}.${extension}`, type, body };
}

const require = createRequire(import.meta.url);

/**
 * Every stylesheet of the folder as one: `console.css` (the shell) first, then each page
 * family's own file in name order, so pages built side by side never edit one file.
 */
function stylesheet(): Buffer {
  const dir = new URL('./assets/', import.meta.url);
  const others = readdirSync(dir)
    .filter((f) => f.endsWith('.css') && f !== 'console.css')
    .sort();
  return Buffer.concat(['console.css', ...others].map((f) => readFileSync(new URL(f, dir))));
}

export const ASSETS = {
  stylesheet: asset('console', 'css', 'text/css; charset=utf-8', stylesheet()),
  htmx: asset(
    'htmx',
    'js',
    'text/javascript; charset=utf-8',
    readFileSync(require.resolve('htmx.org/dist/htmx.min.js')),
  ),
  copy: asset(
    'copy',
    'js',
    'text/javascript; charset=utf-8',
    readFileSync(new URL('./assets/copy.js', import.meta.url)),
  ),
};

const CACHE_FOREVER = 'public, max-age=31536000, immutable';

/** Serves the assets; any other name under /console/assets is a 404 like any unknown path. */
export function assetRoutes(app: FastifyInstance): void {
  for (const { url, type, body } of Object.values(ASSETS)) {
    app.get(url.slice('/console'.length), async (_req, reply) =>
      reply.header('cache-control', CACHE_FOREVER).type(type).send(body),
    );
  }
}
