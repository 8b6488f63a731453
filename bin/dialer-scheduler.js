#!/usr/bin/env node
// Launches dialer-scheduler (the HTTP service): the compiled program in dist/ (after `npm run build`, and
// in the published package), or, in a clone without a build, the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/http/dialer-scheduler.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/http/dialer-scheduler.ts', import.meta.url).href);
}
