#!/usr/bin/env node
// Runs the build (dist/invitekit.js, made by `npm ci`, `npm install` or `npm run build`) while it
// is newer than every file under src/; otherwise the TypeScript sources directly, so a checkout
// being edited needs no build step and never runs stale code.
import { readdirSync, statSync } from 'node:fs';

const built = new URL('../dist/invitekit.js', import.meta.url);
const src = new URL('../src/', import.meta.url);

function isFresh() {
  let builtAt;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    return false;
  }
  for (const entry of readdirSync(src, { recursive: true })) {
    if (statSync(new URL(entry, src)).mtimeMs > builtAt) return false;
  }
  return true;
}

if (isFresh()) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
