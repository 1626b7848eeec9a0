// `npm run build` (and `npm ci` / `npm install`, through `prepare`): src/ as one ES module,
// dist/invitekit.js, which bin/invitekit.js runs while it is newer than every source file.
// Dependencies are bundled in (see the externals below); the Console's assets are copied beside
// the bundle, where its code looks for them (relative to its own URL).
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: [`${root}src/main.ts`],
  outfile: `${dist}/invitekit.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies are bundled too: one module instead of thousands of small ones loads faster and
  // keeps ~20 MB less resident (measured by `BENCH_ONLY=startup npm run bench`). Left out: the
  // native SQLite binding, pg's optional native driver, and the API reference page, which loads
  // its own files from its package folder on first visit.
  external: ['better-sqlite3', 'pg-native', '@scalar/fastify-api-reference'],
  // Bundled CommonJS packages call require() for Node's built-in modules.
  banner: {
    js: "import { createRequire as __invitekitRequire } from 'node:module'; const require = __invitekitRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
});
cpSync(`${root}src/console/assets`, `${dist}/assets`, { recursive: true });
