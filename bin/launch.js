// Runs a program of the package: its compiled form in dist/ (after `npm run build`, and in the published
// package), or, in a clone without a build, its TypeScript source through tsx (a devDependency).
import { existsSync } from 'node:fs';

/** Runs `dist/<name>.js`, else `src/<name>.ts` through tsx. */
export async function launch(name) {
  const compiled = new URL(`../dist/${name}.js`, import.meta.url);
  if (existsSync(compiled)) {
    await import(compiled.href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(new URL(`../src/${name}.ts`, import.meta.url).href);
  }
}
