/**
 * The HTTP service under load (spec section 14): `dialer-scheduler serve` in a process of its own,
 * driven by autocannon from this one over loopback, in memory and on PostgreSQL; each figure beside the
 * direct library call measured in the same run (the in-memory `Campaign`, or `PostgresCampaign` with as
 * many callers at once as autocannon has connections).
 *
 * - addPhones: requests per second with 100-entry bodies of new phones.
 * - lease + report: cycles per second, a cycle being `POST …/lease` then `POST …/jobs/{id}/complete`.
 *
 *   node --import tsx bench/http.ts [--quick] [--memory-only] [--json]
 *
 * The server logs at `warn` (no line per request). PostgreSQL is the server of `DATABASE_URL` when set,
 * else an embedded one (test/postgres/server.ts), durable commits. A full run (neither `--quick` nor
 * `--memory-only`) writes its figures as the `http` section of bench/results.json, the others kept.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { newToken, tokenSha256 } from '../src/http/token.js';
import { type AsyncCampaign, asyncCampaign, Campaign } from '../src/index.js';
import {
  acquirePostgres,
  createDatabase,
  externalServer,
  type PostgresServer,
  withClient,
} from '../test/postgres/server.js';

/** One measured operation: per second, and latency percentiles in milliseconds. */
export interface Rate {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** One scenario over HTTP and its direct baseline. */
export interface HttpScenario {
  readonly http: Rate;
  readonly direct: Rate;
  /** Answers that were not 2xx (must be 0), and leases that found no call (must be 0). */
  readonly errors: number;
}

export interface HttpBenchFigures {
  /** When the run ended (ISO), the Node version and the processor, as the run may be merged into older results. */
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly durationSeconds: number;
  readonly connections: number;
  readonly entriesPerBody: number;
  /** The 1, 5 and 15 minute load averages before the run and after it. */
  readonly loadAverageBefore: readonly number[];
  readonly loadAverage: readonly number[];
  /**
   * Services that had not exited 10 s after SIGTERM and were ended with SIGKILL (must be 0: the service
   * stops gracefully once its requests in flight are answered, whatever connections clients keep open).
   */
  readonly killedServices: number;
  readonly memory: { readonly addPhones: HttpScenario; readonly cycles: HttpScenario };
  readonly postgres?: { readonly addPhones: HttpScenario; readonly cycles: HttpScenario };
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = 100;
const CONNECTIONS = 10;

/** A free loopback port (the server is told to listen on it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** How a service ended: on SIGTERM, or with SIGKILL when SIGTERM had not ended it 10 s later. */
type Stop = 'exited' | 'killed';

/** `dialer-scheduler serve` with `args` on a free port; resolves once it answers. */
async function startService(args: string[]): Promise<{ url: string; stop(): Promise<Stop> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/http/dialer-scheduler.ts',
      'serve',
      '--port',
      String(port),
      '--log-level',
      'warn',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dialer-scheduler serve exited with ${child.exitCode}`);
    try {
      await fetch(`${url}/openapi.json`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('dialer-scheduler serve did not answer within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    // SIGTERM: the service exits once its requests in flight are answered. SIGKILL 10 s later is a safety
    // net so that a benchmark never waits for ever; it is reported (killedServices), as it is a bug.
    stop: () =>
      new Promise<Stop>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve('exited');
        let killed = false;
        const timer = setTimeout(() => {
          killed = true;
          process.stderr.write('bench/http: the service had not exited 10 s after SIGTERM: SIGKILL\n');
          child.kill('SIGKILL');
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(killed ? 'killed' : 'exited');
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A body of `ENTRIES` new phones, the `n`-th of the run (phones never repeat within a run). */
let bodyCount = 0;
function nextEntries(): { phone: string }[] {
  const base = 10_000_000_000 + (bodyCount++ % 80_000_000) * ENTRIES;
  return Array.from({ length: ENTRIES }, (_, i) => ({ phone: String(base + i) }));
}

/** Percentile `p` (0..100) of sorted durations. */
const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Runs `op` for `seconds` from `callers` loops at once (a loop stops early when `op` answers false:
 * nothing left to do); per second and latency percentiles of one `op`.
 */
async function measureDirect(
  seconds: number,
  callers: number,
  op: () => Promise<unknown> | unknown,
): Promise<Rate> {
  const durations: number[] = [];
  const end = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      if ((await op()) === false) return;
      durations.push(performance.now() - start);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, loop));
  const elapsed = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  return {
    perSecond: durations.length / elapsed,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
  };
}

/**
 * Runs autocannon with `options`; requests per second over the run (`divideBy` requests make one
 * operation) and the percentiles of each request's time, to the microsecond (autocannon's own
 * histogram keeps whole milliseconds).
 */
async function load(
  options: autocannon.Options,
  divideBy = 1,
): Promise<{ rate: Rate; result: autocannon.Result }> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      if (status >= 200 && status < 300) times.push(responseTime);
    });
  });
  times.sort((a, b) => a - b);
  const rate = {
    perSecond: result.requests.total / divideBy / (result.duration || 1),
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
  };
  return { rate, result };
}

async function httpAddPhones(
  url: string,
  token: string,
  seconds: number,
): Promise<{ rate: Rate; errors: number }> {
  const { rate, result } = await load({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: `/api/calls/campaign/${token}/addPhones`,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify(nextEntries()) }),
      },
    ],
  });
  return { rate, errors: result.non2xx + result.errors };
}

async function httpCycles(
  url: string,
  token: string,
  seconds: number,
): Promise<{ rate: Rate; errors: number }> {
  let empty = 0;
  const base = `/api/dialer/campaign/${token}`;
  type Context = { task?: { jobId: string; attempt: number } | null | undefined };
  const { rate, result } = await load(
    {
      url,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: `${base}/lease`,
          onResponse: (_status, body, context: Context) => {
            context.task = (JSON.parse(body) as { task: Context['task'] }).task;
            if (context.task === null) empty++;
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context: Context) => {
            const task = context.task;
            // No call was ready (the campaign ran dry): ask nextReadyAt instead, counted as an error.
            if (task === undefined || task === null)
              return { ...request, method: 'GET', path: `${base}/nextReadyAt` };
            return {
              ...request,
              path: `${base}/jobs/${task.jobId}/complete`,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ attempt: task.attempt }),
            };
          },
        },
      ],
    },
    2,
  );
  return { rate, errors: result.non2xx + result.errors + empty };
}

/** The direct baseline of a lease + report cycle: `next` then `complete` on `campaign`; false once it ran dry. */
const directCycle = (campaign: AsyncCampaign) => async () => {
  const task = await campaign.next();
  if (task === undefined) return false;
  await campaign.complete(task);
  return true;
};

/** Adds `count` jobs through the service, 1,000 a request. */
async function fill(url: string, token: string, count: number): Promise<void> {
  for (let added = 0; added < count; added += 1000) {
    const body = Array.from({ length: 1000 }, (_, i) => ({ phone: String(20_000_000_000 + added + i) }));
    const answer = await fetch(`${url}/api/calls/campaign/${token}/addPhones`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status !== 200) throw new Error(`fill: ${answer.status} ${await answer.text()}`);
  }
}

async function benchMemory(
  seconds: number,
  work: string,
  stops: Stop[],
): Promise<{ addPhones: HttpScenario; cycles: HttpScenario }> {
  const token = newToken();
  const config = join(work, 'memory.json');
  writeFileSync(
    config,
    JSON.stringify({ campaigns: [{ name: 'bench', tokenSha256: tokenSha256(token).toString('hex') }] }),
  );
  const service = await startService(['--config', config]);
  try {
    const add = await httpAddPhones(service.url, token, seconds);
    const direct = asyncCampaign(new Campaign());
    const directAdd = await measureDirect(seconds, 1, () => direct.addPhones(nextEntries()));
    // The cycles lease the jobs the addPhones run added; a short run tops them up first.
    await fill(service.url, token, Math.max(0, 20_000 - add.rate.perSecond * seconds * ENTRIES));
    const cycles = await httpCycles(service.url, token, seconds);
    const directCycles = await measureDirect(seconds, 1, directCycle(direct));
    return {
      addPhones: { http: add.rate, direct: directAdd, errors: add.errors },
      cycles: { http: cycles.rate, direct: directCycles, errors: cycles.errors },
    };
  } finally {
    stops.push(await service.stop());
  }
}

async function benchPostgres(
  seconds: number,
  serverUrl: string | undefined,
  stops: Stop[],
): Promise<{ addPhones: HttpScenario; cycles: HttpScenario }> {
  const server: PostgresServer =
    serverUrl === undefined ? await acquirePostgres() : externalServer(serverUrl);
  const database = await createDatabase(server.url, 'bench_http');
  const { ServiceTables } = await import('../src/postgres/service-tables.js');
  const tables = await ServiceTables.open({ connectionString: database.url, poolSize: CONNECTIONS });
  try {
    // A fresh database is slow until its tables have statistics: whichever run came first was several
    // times slower. Warm it on a campaign of its own, then ANALYZE, before anything is measured.
    const warm = await tables.openCampaign('warm-up');
    await measureDirect(Math.min(3, seconds), CONNECTIONS, () => warm.addPhones(nextEntries()));
    await measureDirect(Math.min(3, seconds), CONNECTIONS, directCycle(warm));
    await warm.close();
    await withClient(database.url, (client) => client.query('ANALYZE'));
    const token = newToken();
    await (await tables.openCampaign('bench')).close();
    await tables.setToken('bench', tokenSha256(token));
    const service = await startService(['--database-url', database.url, '--pool-size', String(CONNECTIONS)]);
    let add: { rate: Rate; errors: number };
    let cycles: { rate: Rate; errors: number };
    try {
      add = await httpAddPhones(service.url, token, seconds);
      await fill(service.url, token, Math.max(0, 10_000 - add.rate.perSecond * seconds * ENTRIES));
      cycles = await httpCycles(service.url, token, seconds);
    } finally {
      stops.push(await service.stop());
    }
    const direct = await tables.openCampaign('direct');
    const directAdd = await measureDirect(seconds, CONNECTIONS, () => direct.addPhones(nextEntries()));
    const directCycles = await measureDirect(seconds, CONNECTIONS, directCycle(direct));
    await direct.close();
    return {
      addPhones: { http: add.rate, direct: directAdd, errors: add.errors },
      cycles: { http: cycles.rate, direct: directCycles, errors: cycles.errors },
    };
  } finally {
    await tables.close();
    await database.drop();
    await server.close();
  }
}

/**
 * Runs the scenarios for `seconds` each (default 10), on PostgreSQL too unless `postgres` is false (on
 * the server of `serverUrl`, else of `DATABASE_URL`, else an embedded one), and returns the figures. The
 * baselines run in this process, with as many callers at once as the load they are compared with.
 */
export async function benchHttp(
  options: { readonly seconds?: number; readonly postgres?: boolean; readonly serverUrl?: string } = {},
): Promise<HttpBenchFigures> {
  const seconds = options.seconds ?? 10;
  const work = mkdtempSync(join(tmpdir(), 'dialer-bench-http-'));
  const loadAverage = () => loadavg().map((load) => Math.round(load * 100) / 100);
  const loadAverageBefore = loadAverage();
  const stops: Stop[] = [];
  try {
    const memory = await benchMemory(seconds, work, stops);
    const postgres =
      options.postgres === false ? undefined : await benchPostgres(seconds, options.serverUrl, stops);
    return {
      date: new Date().toISOString(),
      node: process.version,
      cpu: `${cpus()[0]?.model.trim() ?? 'unknown'} x${cpus().length}`,
      durationSeconds: seconds,
      connections: CONNECTIONS,
      entriesPerBody: ENTRIES,
      loadAverageBefore,
      loadAverage: loadAverage(),
      killedServices: stops.filter((stop) => stop === 'killed').length,
      memory,
      ...(postgres === undefined ? {} : { postgres }),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Table rows of the figures, for `bench/run.ts` and this file's own run. */
export function httpRows(figures: HttpBenchFigures): Record<string, string>[] {
  const time = (ms: number) => (ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
  const rate = (r: Rate, unit: string) =>
    `${Math.round(r.perSecond).toLocaleString('en-US')} ${unit}/s, p50 ${time(r.p50Ms)}, p99 ${time(r.p99Ms)}`;
  const rows: Record<string, string>[] = [];
  for (const backend of ['memory', 'postgres'] as const) {
    const f = figures[backend];
    if (f === undefined) continue;
    const direct = backend === 'memory' ? 'Campaign' : `PostgresCampaign, ${figures.connections} callers`;
    rows.push(
      {
        scenario: `HTTP addPhones, ${figures.entriesPerBody} entries, ${backend} (${figures.connections} connections)`,
        ours: rate(f.addPhones.http, 'req'),
        baseline: `direct ${direct}: ${rate(f.addPhones.direct, 'calls')}`,
        'ours vs baseline': `${(f.addPhones.http.perSecond / f.addPhones.direct.perSecond).toFixed(2)}x, ${f.addPhones.errors} errors`,
      },
      {
        scenario: `HTTP lease + complete, ${backend}`,
        ours: rate(f.cycles.http, 'cycles'),
        baseline: `direct next + complete: ${rate(f.cycles.direct, 'cycles')}`,
        'ours vs baseline': `${(f.cycles.http.perSecond / f.cycles.direct.perSecond).toFixed(2)}x, ${f.cycles.errors} errors`,
      },
    );
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const memoryOnly = process.argv.includes('--memory-only');
  const figures = await benchHttp({ seconds: quick ? 1 : 10, postgres: !memoryOnly });
  if (process.argv.includes('--json')) console.log(JSON.stringify(figures, null, 2));
  else {
    console.table(httpRows(figures));
    console.log(
      `${figures.cpu}, Node ${figures.node}, load average ${figures.loadAverageBefore.join(' ')} before, ${figures.loadAverage.join(' ')} after; services ended with SIGKILL: ${figures.killedServices}`,
    );
  }
  if (!quick && !memoryOnly) {
    // The http section of bench/results.json (bench/run.ts writes the whole file); the others are kept.
    const file = new URL('./results.json', import.meta.url);
    const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify({ ...results, http: figures }, null, 2)}\n`);
    console.error('wrote the http section of bench/results.json');
  }
}
