#!/usr/bin/env node
// Launches dialer-sim: the compiled CLI in dist/ (after `npm run build`, and in the published package),
// or, in a clone without a build, the TypeScript sources through tsx (a devDependency).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/sim/dialer-sim.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/sim/dialer-sim.ts', import.meta.url).href);
}
