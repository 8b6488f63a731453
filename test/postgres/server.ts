/**
 * A real PostgreSQL server for tests and benchmarks: the embedded server of `src/sim/embedded-postgres.ts`
 * (the one `dialer-sim run --backend postgres` starts), or with `DATABASE_URL` set, that server instead,
 * and nothing is started.
 *
 * No vitest in here: benchmarks use this file too. The vitest side is `global-setup.ts` (one
 * server per test run) and `database.ts` (one database per test file).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  type PostgresServer,
  type StartPostgresOptions,
  startPostgres,
} from '../../src/sim/embedded-postgres.js';

export { type PostgresServer, type StartPostgresOptions, startPostgres };

const DEFAULT_START_TIMEOUT_MS = 60_000;

/** The connection string of `DATABASE_URL` when set and not blank, else `undefined`. */
export function externalDatabaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL?.trim();
  return url === undefined || url === '' ? undefined : url;
}

/**
 * The server of `DATABASE_URL` when set (nothing is started and `close()` leaves it alone), else a
 * new embedded server from {@link startPostgres}.
 */
export async function acquirePostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const url = externalDatabaseUrl();
  if (url === undefined) return startPostgres(options);
  await waitForPostgres(url, { timeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS });
  return externalServer(url);
}

/**
 * The server at `url` (DATABASE_URL's, or one given to a benchmark), which this harness does not
 * control: `stop`, `start` and `restart` refuse, `close()` leaves it alone.
 */
export function externalServer(url: string): PostgresServer {
  const refuse = async (): Promise<never> => {
    throw new Error(`The server at ${redact(url)} is not controlled by this harness: it cannot be stopped.`);
  };
  return {
    url,
    isEmbedded: false,
    isRunning: true,
    stop: refuse,
    start: refuse,
    restart: refuse,
    close: async () => {},
  };
}

/**
 * Polls `SELECT 1` on `url` until it answers, at most `timeoutMs`; then rejects with the last
 * connection error. For a server that is starting up (such as the one of `DATABASE_URL` in CI).
 */
export async function waitForPostgres(url: string, { timeoutMs }: { timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new Error(`PostgreSQL at ${redact(url)} did not answer within ${timeoutMs} ms`, {
          cause: error,
        });
      }
      await delay(Math.min(50 * 2 ** attempt, 1_000));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** `url` with its database replaced by `database`. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** A database made by {@link createDatabase}. */
export interface TestDatabase {
  readonly name: string;
  /** Connection string of this database. */
  readonly url: string;
  /** Drops the database, closing any session still in it. Idempotent. */
  drop(): Promise<void>;
}

let databaseCount = 0;

/**
 * Creates an empty database with a unique name (`t_<label>_<pid>_<n>_<random>`, at most 63
 * characters) on the server of `serverUrl`.
 */
export async function createDatabase(serverUrl: string, label = 'test'): Promise<TestDatabase> {
  databaseCount += 1;
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const name = `t_${safeLabel}_${process.pid}_${databaseCount}_${randomBytes(3).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  let dropped = false;
  return {
    name,
    url: databaseUrl(serverUrl, name),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
}

/** Runs `use` with a client connected to `url`, closed afterwards (errors of a dying connection ignored). */
export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable connection string)';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
