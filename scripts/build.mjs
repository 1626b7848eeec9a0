// `npm run build` (and `npm ci` / `npm install`, through `prepare`): src/ as one ES module,
// dist/invitekit.js, which bin/invitekit.js runs while it is newer than every source file.
// Dependencies stay in node_modules; the Console's assets are copied beside the bundle, where
// its code looks for them (relative to its own URL).
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
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
cpSync(`${root}src/console/assets`, `${dist}/assets`, { recursive: true });
