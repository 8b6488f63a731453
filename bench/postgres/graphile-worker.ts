/**
 * Baseline for a PostgreSQL-backed campaign: how many fetch + complete cycles per second
 * graphile-worker does on this machine for N queued jobs and a no-op task, with 1, 4 and 16
 * connections and durable commits; beside it, a hand-written `FOR UPDATE SKIP LOCKED` fetch + delete
 * loop on a plain table, the floor a queue on this server can get near.
 *
 * Each measurement gets a fresh database: load N jobs, VACUUM ANALYZE, then time the workers until
 * the last job is done. The server is the one of DATABASE_URL, else an embedded one started here.
 *
 *   node --import tsx bench/postgres/graphile-worker.ts [--jobs 100000] [--concurrency 1,4,16]
 *     [--batched] [--synchronous-commit off] [--json]
 */
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import pg from 'pg';
import { withClient } from '../../test/postgres/server.js';
import {
  type BenchServerFigures,
  benchCommand,
  benchServer,
  type CpuReader,
  headline,
  onFreshDatabase,
  rateOver,
  runAsScript,
  serverFigures,
  type TimedRate,
} from './bench-db.js';

/** Options of {@link benchGraphileWorker}. */
export interface QueueBenchOptions {
  /**
   * Jobs queued before each measurement.
   * @default 100_000
   */
  jobs?: number;
  /**
   * Connections (graphile-worker's `concurrency`; the loop's clients) to measure, in order.
   * @default [1, 4, 16]
   */
  concurrencies?: readonly number[];
  /**
   * The server to use; else DATABASE_URL, else an embedded server started and closed here.
   * @default undefined
   */
  serverUrl?: string;
  /**
   * Also measure graphile-worker with the batching its performance page uses for its peak figures
   * (`localQueue: { size: 500 }`, `completeJobBatchDelay: 0`, `failJobBatchDelay: 0`).
   * @default false
   */
  batched?: boolean;
  /**
   * `synchronous_commit` of the benchmark's databases. `'off'` shows what the CPU allows once commits
   * stop waiting for the disk (not durable: a crash loses the last commits).
   * @default 'on'
   */
  synchronousCommit?: 'on' | 'off';
  /**
   * Called with a one-line message as each step ends (the CLI prints them on stderr).
   * @default () => {}
   */
  onProgress?: (message: string) => void;
}

/** One measurement: N jobs loaded, then all fetched and completed by `concurrency` connections. */
export interface QueueRun {
  concurrency: number;
  /** Time to queue the N jobs (bulk insert), excluding VACUUM ANALYZE. */
  loadMs: number;
  /** From starting the workers to the last job completed. */
  runMs: number;
  jobsPerSecond: number;
}

/** What {@link benchGraphileWorker} measured. */
export interface QueueBenchFigures extends BenchServerFigures {
  jobs: number;
  graphileWorkerVersion: string;
  /** graphile-worker defaults: one `get_job` and one `complete_job` transaction per job. */
  graphileWorker: QueueRun[];
  /** graphile-worker with batched fetch and completion (empty unless `batched`). */
  graphileWorkerBatched: QueueRun[];
  /** One statement per job: a CTE that locks the next row with SKIP LOCKED and deletes it. */
  skipLockedDelete: QueueRun[];
}

const LOAD_BATCH = 10_000;
const TASK = 'noop';
const SILENT = new Logger(() => () => {});

/**
 * Measures graphile-worker and the hand-written SKIP LOCKED loop, each on fresh databases of one
 * server, for every concurrency in turn.
 *
 * @example
 * const figures = await benchGraphileWorker({ jobs: 10_000, concurrencies: [1, 4] });
 * figures.graphileWorker[0]?.jobsPerSecond;
 */
export async function benchGraphileWorker(options: QueueBenchOptions = {}): Promise<QueueBenchFigures> {
  const jobs = options.jobs ?? 100_000;
  const concurrencies = options.concurrencies ?? [1, 4, 16];
  const progress = options.onProgress ?? (() => {});
  const synchronousCommit = options.synchronousCommit ?? 'on';
  const batched = options.batched ?? false;
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new Error(`Expected \`jobs\` to be an integer >= 1, got ${jobs}`);
  for (const concurrency of concurrencies) {
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new Error(`Expected each concurrency to be an integer from 1 to 64, got ${concurrency}`);
    }
  }

  const server = await benchServer(options.serverUrl);
  try {
    const figures: QueueBenchFigures = {
      jobs,
      ...(await serverFigures(server, synchronousCommit)),
      graphileWorkerVersion: await graphileWorkerVersion(),
      graphileWorker: [],
      graphileWorkerBatched: [],
      skipLockedDelete: [],
    };
    const fresh = <T>(label: string, use: (url: string) => Promise<T>) =>
      onFreshDatabase(server.url, label, synchronousCommit, use);
    for (const concurrency of concurrencies) {
      const result = await fresh('bench_gw', (url) => measureGraphileWorker(url, jobs, concurrency, false));
      figures.graphileWorker.push(result);
      progress(`graphile-worker, ${concurrency} connection(s): ${describeRun(result, jobs)}`);
    }
    for (const concurrency of batched ? concurrencies : []) {
      const result = await fresh('bench_gwb', (url) => measureGraphileWorker(url, jobs, concurrency, true));
      figures.graphileWorkerBatched.push(result);
      progress(`graphile-worker batched, ${concurrency} connection(s): ${describeRun(result, jobs)}`);
    }
    for (const concurrency of concurrencies) {
      const result = await fresh('bench_sl', (url) => measureSkipLockedDelete(url, jobs, concurrency));
      figures.skipLockedDelete.push(result);
      progress(`SKIP LOCKED fetch + delete, ${concurrency} connection(s): ${describeRun(result, jobs)}`);
    }
    return figures;
  } finally {
    await server.close();
  }
}

async function measureGraphileWorker(
  url: string,
  jobs: number,
  concurrency: number,
  batched: boolean,
): Promise<QueueRun> {
  const loadMs = await queueGraphileWorkerJobs(url, jobs);
  const runStart = performance.now();
  await withGraphileWorker(url, concurrency, batched, (progress) => progress.reached(jobs));
  const runMs = performance.now() - runStart;
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM graphile_worker._private_jobs',
    );
    if (rows[0]?.n !== 0) throw new Error(`graphile-worker left ${rows[0]?.n} jobs in the table`);
  });
  return { concurrency, loadMs, runMs, jobsPerSecond: (jobs * 1000) / runMs };
}

/**
 * Installs graphile-worker's schema in the database of `url` and queues `jobs` no-op jobs with its
 * `addJobs` (its `add_jobs` SQL function, one round trip per batch), then VACUUM ANALYZE; returns the
 * milliseconds of the queueing alone.
 */
export async function queueGraphileWorkerJobs(url: string, jobs: number): Promise<number> {
  const utils = await makeWorkerUtils({ connectionString: url, logger: SILENT });
  try {
    await utils.migrate();
    const loadStart = performance.now();
    for (let first = 0; first < jobs; first += LOAD_BATCH) {
      const count = Math.min(LOAD_BATCH, jobs - first);
      await utils.addJobs(
        Array.from({ length: count }, (_, i) => ({ identifier: TASK, payload: { n: first + i } })),
      );
    }
    const loadMs = performance.now() - loadStart;
    await utils.withPgClient((client) => client.query('VACUUM ANALYZE graphile_worker._private_jobs'));
    return loadMs;
  } finally {
    await utils.release();
  }
}

/**
 * graphile-worker's fetch + complete cycles per second on the queued jobs of `url` with `concurrency`
 * connections (defaults: one `get_job` and one `complete_job` transaction per job), counted over
 * `measureMs` after `warmupMs`; then the workers stop, leaving the jobs not reached queued.
 */
export function graphileWorkerRate(
  url: string,
  concurrency: number,
  warmupMs: number,
  measureMs: number,
  serverCpu: CpuReader | undefined,
): Promise<TimedRate> {
  return withGraphileWorker(url, concurrency, false, (progress) =>
    rateOver(progress.completed, warmupMs, measureMs, serverCpu),
  );
}

/** Jobs completed by a running graphile-worker. */
interface WorkerProgress {
  /** Jobs completed since the workers started. */
  readonly completed: () => number;
  /** Resolves once `count` jobs are completed. */
  readonly reached: (count: number) => Promise<void>;
}

/**
 * Runs graphile-worker on `url` with `concurrency` workers and a no-op task while `during` runs, then
 * stops it. A failed job, or the runner stopping by itself, rejects.
 */
async function withGraphileWorker<T>(
  url: string,
  concurrency: number,
  batched: boolean,
  during: (progress: WorkerProgress) => Promise<T>,
): Promise<T> {
  let done = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const runner = await run({
    connectionString: url,
    concurrency,
    // One more than the workers: the pool also holds the LISTEN connection for new-job notifications.
    maxPoolSize: concurrency + 1,
    noHandleSignals: true,
    pollInterval: 1_000,
    logger: SILENT,
    taskList: { [TASK]: async () => {} },
    ...(batched && {
      preset: { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    }),
  });
  const failed = new Promise<never>((_, reject) => {
    runner.events.on('job:error', ({ error }) => reject(new Error('a no-op job failed', { cause: error })));
  });
  runner.events.on('job:complete', () => {
    done += 1;
    for (const waiter of waiters) if (done >= waiter.count) waiter.resolve();
  });
  const progress: WorkerProgress = {
    completed: () => done,
    reached: (count) =>
      done >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
  };
  try {
    return await Promise.race([
      during(progress),
      failed,
      runner.promise.then(() => Promise.reject(new Error('runner stopped'))),
    ]);
  } finally {
    await runner.stop();
  }
}

async function measureSkipLockedDelete(url: string, jobs: number, concurrency: number): Promise<QueueRun> {
  const loadMs = await withClient(url, async (client) => {
    await client.query(`CREATE TABLE simple_jobs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      run_at timestamptz NOT NULL DEFAULT now(),
      payload jsonb NOT NULL
    )`);
    await client.query('CREATE INDEX simple_jobs_run_at ON simple_jobs (run_at, id)');
    const start = performance.now();
    for (let first = 0; first < jobs; first += LOAD_BATCH) {
      const count = Math.min(LOAD_BATCH, jobs - first);
      await client.query(
        "INSERT INTO simple_jobs (payload) SELECT jsonb_build_object('n', n) FROM generate_series($1::int, $2::int) AS n",
        [first, first + count - 1],
      );
    }
    const loaded = performance.now() - start;
    await client.query('VACUUM ANALYZE simple_jobs');
    return loaded;
  });

  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      return client;
    }),
  );
  const fetchAndDelete = {
    name: 'simple_jobs_take',
    text: `WITH next AS (
      SELECT id FROM simple_jobs WHERE run_at <= now() ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    DELETE FROM simple_jobs USING next WHERE simple_jobs.id = next.id RETURNING simple_jobs.id, simple_jobs.payload`,
  };
  try {
    const start = performance.now();
    // Every job is ready from the start and none is added: an empty answer means the queue is done
    // for this connection (rows still locked by others are theirs to finish).
    const counts = await Promise.all(
      clients.map(async (client) => {
        let taken = 0;
        while ((await client.query(fetchAndDelete)).rowCount === 1) taken += 1;
        return taken;
      }),
    );
    const runMs = performance.now() - start;
    const taken = counts.reduce((sum, n) => sum + n, 0);
    if (taken !== jobs) throw new Error(`the SKIP LOCKED loop took ${taken} jobs of ${jobs}`);
    return { concurrency, loadMs, runMs, jobsPerSecond: (jobs * 1000) / runMs };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** The version of the graphile-worker package installed. */
export async function graphileWorkerVersion(): Promise<string> {
  const { createRequire } = await import('node:module');
  const manifest = createRequire(import.meta.url)('graphile-worker/package.json') as { version: string };
  return manifest.version;
}

function describeRun(result: QueueRun, jobs: number): string {
  return `${Math.round(result.jobsPerSecond).toLocaleString('en-US')} jobs/s (${jobs.toLocaleString('en-US')} jobs: load ${seconds(result.loadMs)}, run ${seconds(result.runMs)})`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function printFigures(figures: QueueBenchFigures): void {
  const rows = figures.graphileWorker.map((gw, i) => {
    const gwb = figures.graphileWorkerBatched[i];
    const sl = figures.skipLockedDelete[i];
    return {
      connections: gw.concurrency,
      'graphile-worker jobs/s': Math.round(gw.jobsPerSecond),
      ...(gwb !== undefined && { 'graphile-worker batched jobs/s': Math.round(gwb.jobsPerSecond) }),
      'SKIP LOCKED delete jobs/s': sl === undefined ? '' : Math.round(sl.jobsPerSecond),
      'load (gw / SKIP LOCKED)': `${seconds(gw.loadMs)} / ${sl === undefined ? '-' : seconds(sl.loadMs)}`,
    };
  });
  console.log(headline(figures));
  console.table(rows);
}

runAsScript(import.meta.url, () =>
  benchCommand<QueueBenchOptions, QueueBenchFigures>(
    process.argv.slice(2),
    benchGraphileWorker,
    {
      withValue: {
        '--synchronous-commit': (options, value) => {
          if (value !== 'on' && value !== 'off')
            throw new Error(`--synchronous-commit is on or off, got ${value}`);
          options.synchronousCommit = value;
        },
      },
      flags: {
        '--batched': (options) => {
          options.batched = true;
        },
      },
    },
    printFigures,
  ),
);
