/**
 * The package as a user installs it: `npm pack` (whose `prepare` script runs `npm run build`, so this
 * rebuilds dist/), the tarball unpacked into a temporary project's node_modules, then used from a
 * CommonJS file (require of the ES module build, Node >= 20.19), from an ES module, and from TypeScript
 * `module: nodenext` in a CommonJS project (type check, then run the compiled output). The runtime
 * dependencies are symlinked from this repository's node_modules: no network.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
};

const work = mkdtempSync(join(tmpdir(), 'dialer-scheduler-package-'));
const project = join(work, 'project');
let packed: string[] = [];

/** Runs npm: the same npm that runs `npm test` when there is one, else the `npm` on the PATH. */
function npm(args: string[], cwd: string): string {
  const npmCli = process.env.npm_execpath;
  const [command, argv] = npmCli?.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  return execFileSync(command, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a script of the temporary project with this Node and parses the JSON line it prints. */
function runNode(file: string): unknown {
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' }));
}

// A TypeScript CommonJS consumer: under nodenext both import forms compile to require().
const CONSUMER_CTS = `import { type CallTask, Campaign, DialerError, type JobState, nextCallWindow } from 'dialer-scheduler';
import scheduler = require('dialer-scheduler');

const now = Date.parse('2024-03-11T17:50:00Z');
const campaign = new Campaign({ defaults: { gmtZone: 'America/New_York', maxAttempts: 2 } });
campaign.addPhones([{ phone: 16500000002, dialerPriority: 1 }], { now });
const task: CallTask | undefined = campaign.next(now);
if (task) campaign.fail(task, now + 45_000);
const state: JobState | undefined = task && campaign.job(task.jobId)?.state;

let code: string | undefined;
try {
  scheduler.parseGmtZone('utc');
} catch (error) {
  if (error instanceof DialerError) code = error.issues[0]?.code;
}

const window = nextCallWindow({ gmtZone: 'UTC', allowedDays: ['mon'] }, Date.parse('2024-03-10T12:00:00Z'));
console.log(JSON.stringify({ attempt: task?.attempt, state, code, windowStart: window?.start }));
`;

beforeAll(() => {
  const out = npm(['pack', '--json', '--pack-destination', work], root);
  const [result] = JSON.parse(out) as [{ filename: string; files: { path: string }[] }];
  packed = result.files.map((file) => file.path).sort();

  const installed = join(project, 'node_modules', manifest.name);
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, result.filename), '-C', installed, '--strip-components=1']);
  for (const dependency of Object.keys(manifest.dependencies)) {
    // A scoped package (@fastify/swagger) sits in its scope's folder.
    mkdirSync(join(project, 'node_modules', dependency, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', dependency), join(project, 'node_modules', dependency), 'dir');
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }),
  );
  copyFileSync(join(fixtures, 'use-cjs.cjs'), join(project, 'use-cjs.cjs'));
  copyFileSync(join(fixtures, 'use-esm.mjs'), join(project, 'use-esm.mjs'));
  writeFileSync(join(project, 'consumer.cts'), CONSUMER_CTS);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        skipLibCheck: true,
        types: [],
        outDir: 'out',
      },
      files: ['consumer.cts'],
    }),
  );
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships the build, the CLI launcher, the contract and the licence, and no sources or tests', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'bin/dialer-scheduler.js',
        'bin/dialer-sim.js',
        'dist/index.d.ts',
        'dist/index.js',
        'dist/index.js.map',
        'dist/http/dialer-scheduler.js',
        'dist/sim/dialer-sim.js',
        'docs/contract.md',
        'package.json',
      ]),
    );
    expect(packed.filter((path) => !/^(dist|bin|docs)\//.test(path))).toEqual([
      'LICENSE',
      'README.md',
      'package.json',
    ]);
  });

  it('ships source maps that carry their sources, since src/ is not shipped', () => {
    const map = JSON.parse(
      readFileSync(join(project, 'node_modules', manifest.name, 'dist/index.js.map'), 'utf8'),
    ) as { sources: string[]; sourcesContent?: string[] };
    expect(map.sources).toEqual(['../src/index.ts']);
    expect(map.sourcesContent?.[0]).toContain("export { Campaign } from './engine/campaign.js';");
  });
});

describe('the installed package', () => {
  it('loads with require from CommonJS and gives real results', () => {
    expect(runNode('use-cjs.cjs')).toEqual({
      jobIds: ['1'],
      task: { jobId: '1', phone: '16500000001', attempt: 1, windowEnd: Date.parse('2024-03-11T21:00:00Z') },
      state: 'completed',
      error: { isDialerError: true, isError: true, codes: ['phone.bad.format'] },
      window: { start: '2024-03-10T07:00:00.000Z', end: '2024-03-10T08:00:00.000Z' },
      zone: '-05:00',
    });
  });

  it('loads with import from an ES module, one module instance for import and require', () => {
    expect(runNode('use-esm.mjs')).toEqual({
      exports: expect.arrayContaining([
        'Campaign',
        'DialerError',
        'isCallAllowed',
        'nextCallWindow',
        'parseGmtZone',
      ]),
      sameExports: true,
      sameDialerError: true,
      sameCampaign: true,
      window: { start: 0, end: 'Infinity' },
    });
  });

  it('runs the dialer-scheduler program from the package, without pg in memory mode (§14)', () => {
    const bin = join(project, 'node_modules', manifest.name, 'bin', 'dialer-scheduler.js');
    const token = execFileSync(process.execPath, [bin, 'campaign', 'create', '--name', 'packaged'], {
      cwd: project,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('has the PostgreSQL backend at dialer-scheduler/postgres, which needs pg only when loaded (§13)', () => {
    const load = `import('dialer-scheduler/postgres').then(
      (m) => console.log(JSON.stringify({ ok: typeof m.PostgresCampaign.open })),
      (e) => console.log(JSON.stringify({ code: e.code, mentionsPg: /'pg'/.test(e.message) })))`;
    const run = () =>
      JSON.parse(execFileSync(process.execPath, ['-e', load], { cwd: project, encoding: 'utf8' })) as unknown;
    // pg is an optional peer dependency: not installed, the main entry works (the tests above) and the
    // subpath says what is missing.
    expect(run()).toEqual({ code: 'ERR_MODULE_NOT_FOUND', mentionsPg: true });
    symlinkSync(join(root, 'node_modules', 'pg'), join(project, 'node_modules', 'pg'), 'dir');
    expect(run()).toEqual({ ok: 'function' });
  });

  it('type-checks and runs from TypeScript module nodenext in a CommonJS project', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
    expect(runNode(join('out', 'consumer.cjs'))).toEqual({
      attempt: 1,
      state: 'waiting',
      code: 'phone.gmtZone.bad.format',
      windowStart: Date.parse('2024-03-11T00:00:00Z'),
    });
  });
});
