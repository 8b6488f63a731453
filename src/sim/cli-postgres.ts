import { DialerError } from '../index.js';
import type { DialSink } from './call-log.js';
import { InputError } from './cli-errors.js';
import { countText } from './count-text.js';
import { type DatabaseChecks, DialRecorder } from './database-checks.js';
import {
  BackendError,
  checkDatabase,
  openPostgresCampaign,
  type PostgresBackend,
  postgresBackend,
  runCampaignName,
} from './postgres-backend.js';
import type { SimulationOptions, SimulationResult } from './simulation.js';
import { simulate } from './simulation.js';
import { DialerWorkerPool } from './worker-pool.js';

/** `dialer-sim run --backend postgres`: the run on a campaign of its own in PostgreSQL, and its checks. */

/** The server (`--database-url`, else an embedded one) and the worker processes of a run. */
export interface PostgresChoice {
  readonly databaseUrl: string | undefined;
  readonly workers: number;
}

/** What a run on PostgreSQL adds to the summary. */
export interface DatabaseRun {
  readonly backend: {
    /** Whether the server was started for the run (and removed after it). */
    readonly embedded: boolean;
    readonly workers: number;
    readonly campaign: string;
  };
  readonly checks: DatabaseChecks;
}

/**
 * Runs the simulation on a campaign of its own in PostgreSQL, with its lines in this process
 * (`--workers 1`) or split among worker processes, then checks the database's call log. An embedded
 * server is stopped and removed whatever happens.
 */
export async function simulateOnPostgres(
  options: SimulationOptions,
  choice: PostgresChoice,
): Promise<{ result: SimulationResult; database: DatabaseRun }> {
  let backend: PostgresBackend;
  try {
    backend = await postgresBackend(choice.databaseUrl);
  } catch (error) {
    if (error instanceof BackendError) throw new InputError(error.message);
    throw error;
  }
  try {
    const { connectionString } = backend;
    const name = runCampaignName(options.seed);
    const recorder = new DialRecorder();
    const log = options.log;
    const sink: DialSink =
      log === undefined
        ? recorder
        : {
            write(...line) {
              log.write(...line);
              recorder.write(...line);
            },
          };
    let pool: DialerWorkerPool | undefined;
    let result: SimulationResult;
    try {
      result = await simulate({
        ...options,
        log: sink,
        openCampaign: (campaignOptions) => openPostgresCampaign(connectionString, name, campaignOptions),
        ...(choice.workers > 1 && {
          lineGroups: async (plan) => {
            pool = await DialerWorkerPool.start({ connectionString, name, workers: choice.workers }, plan);
            return pool.groups;
          },
        }),
      });
    } catch (error) {
      if (error instanceof BackendError) throw new InputError(error.message);
      if (error instanceof DialerError) throw error;
      // The server went away, a worker died: one clear line, as for any input the run cannot use.
      throw new InputError(`the run on PostgreSQL failed: ${(error as Error).message}`);
    } finally {
      pool?.kill();
    }
    const checks = await checkDatabase(connectionString, name, recorder);
    return {
      result,
      database: {
        backend: { embedded: backend.isEmbedded, workers: choice.workers, campaign: name },
        checks,
      },
    };
  } finally {
    await backend.close();
  }
}

/** The database checks that failed (each count must be 0). */
export function failedChecks(checks: DatabaseChecks): number {
  return (
    checks.doubleLeases +
    checks.overlappingPhoneCalls +
    checks.attemptsWithoutRow +
    checks.rowsWithoutAttempt +
    checks.dialsOutsideWindow
  );
}

/** The lines a run on PostgreSQL prints after the summary, aligned with it. */
export function formatDatabaseRun({ backend, checks }: DatabaseRun): string {
  const server = backend.embedded
    ? 'an embedded server (removed after the run)'
    : 'the --database-url server';
  const workers =
    backend.workers === 1
      ? 'all lines in this process'
      : `lines split among ${backend.workers} worker processes`;
  const counts: [string, number][] = [
    ['double leases', checks.doubleLeases],
    ['overlapping calls to one phone', checks.overlappingPhoneCalls],
    ['attempts without a call-log row', checks.attemptsWithoutRow],
    ['call-log rows without an attempt', checks.rowsWithoutAttempt],
    ['dials outside a window', checks.dialsOutsideWindow],
  ];
  const width = Math.max(...counts.map(([label]) => label.length));
  return [
    `backend           postgres on ${server}, ${workers}`,
    `campaign          ${backend.campaign}`,
    `database checks   ${countText(checks.rows, 'call-log row')}, each count must be 0:`,
    ...counts.map(
      ([label, n]) =>
        `  ${label.padEnd(width)}  ${n.toLocaleString('en-US')}${n === 0 ? '' : '  <-- MUST BE 0'}`,
    ),
    ...checks.examples.map((text) => `  e.g. ${text}`),
  ].join('\n');
}
