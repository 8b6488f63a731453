/**
 * Checks of a run on PostgreSQL read back from the database's call log (`call_log`, one row per
 * attempt once it ended, spec section 13) and the attempts in progress (the dialing jobs' rows),
 * against the dials the simulation made: what must hold however many processes dialed. Every count
 * must be 0.
 */
import type pg from 'pg';
import { DIALING } from '../engine/job-state.js';
import type { DialSink } from './call-log.js';
import type { CallOutcome } from './outcome-model.js';
import { type WindowChecker, windowChecker } from './window-check.js';

/** What {@link checkCallLog} found. */
export interface DatabaseChecks {
  /** Attempts of the campaign: rows in the call log, and attempts in progress. */
  readonly rows: number;
  /** One job leased to two callers at once: attempts of a job that overlap, or one attempt dialed twice. */
  readonly doubleLeases: number;
  /** Calls to one phone that overlap (spec section 5: one line per phone), over all its jobs. */
  readonly overlappingPhoneCalls: number;
  /** Dials of the simulation that have no call-log row (or one with another phone or start). */
  readonly attemptsWithoutRow: number;
  /** Call-log rows that match no dial of the simulation. */
  readonly rowsWithoutAttempt: number;
  /** Rows whose start is outside the job's window, by the independent luxon checker. */
  readonly dialsOutsideWindow: number;
  /** The first few findings, in words. */
  readonly examples: readonly string[];
}

interface Dial {
  readonly phone: string;
  readonly atMs: number;
  readonly policyJson: string;
}

/** The dials of a run, kept for {@link checkCallLog}: a {@link DialSink} beside the call-log file. */
export class DialRecorder implements DialSink {
  readonly dials = new Map<string, Dial>();
  /** Attempts dialed more than once (a job served twice at the same attempt). */
  repeated: string[] = [];

  write(
    jobId: string,
    phone: string,
    attempt: number,
    atMs: number,
    _outcome: CallOutcome,
    policyJson: string,
  ): void {
    const key = attemptKey(jobId, attempt);
    if (this.dials.has(key)) this.repeated.push(key);
    else this.dials.set(key, { phone, atMs, policyJson });
  }
}

const EXAMPLES = 5;

/**
 * Reads the call log of campaign `name` in `schema` and checks it against `recorded`: no two attempts
 * of a job overlap, no two calls to a phone overlap (a row still open counts as lasting for ever;
 * half-open, so a call may start when another ends), each dial has its row and each row its dial,
 * and every row starts inside its job's window.
 */
export async function checkCallLog(
  client: pg.ClientBase,
  schema: string,
  name: string,
  recorded: DialRecorder,
): Promise<DatabaseChecks> {
  const s = `"${schema.replaceAll('"', '""')}"`;
  const examples: string[] = [];
  const example = (text: string) => {
    if (examples.length < EXAMPLES) examples.push(text);
  };
  const found = await client.query<{ id: string }>(`SELECT id FROM ${s}.campaigns WHERE name = $1`, [name]);
  const campaignId = found.rows[0]?.id;
  if (campaignId === undefined) throw new Error(`the database has no campaign named ${JSON.stringify(name)}`);
  // The attempts: ended ones in the call log, those in progress in their job's row (not ended).
  const attempts = `(SELECT job_id, attempt, phone, started_at_ms, ended_at_ms FROM ${s}.call_log WHERE campaign_id = $1
    UNION ALL
    SELECT j.id, j.attempts, p.digits, j.attempt_started_at, NULL FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
    WHERE j.campaign_id = $1 AND j.state = ${DIALING})`;

  // Each row against the latest end of the earlier rows of its job (or phone): a start before it overlaps.
  // Rows that start at one instant are taken shortest first: a call that ends as it starts came first.
  const overlaps = async (partition: 'job_id' | 'phone', what: string): Promise<number> => {
    const result = await client.query<{ total: number; job_id: string; attempt: number; phone: string }>(
      `SELECT count(*) OVER ()::float8 AS total, job_id::text, attempt, phone FROM (
        SELECT job_id, attempt, phone, started_at_ms, max(coalesce(ended_at_ms, 'Infinity')) OVER (
          PARTITION BY ${partition} ORDER BY started_at_ms, coalesce(ended_at_ms, 'Infinity'), job_id, attempt
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end
        FROM ${attempts} a) x
      WHERE started_at_ms < earlier_end ORDER BY started_at_ms LIMIT ${EXAMPLES}`,
      [campaignId],
    );
    for (const row of result.rows)
      example(`${what}: job ${row.job_id} attempt ${row.attempt}, phone ${row.phone}`);
    return result.rows[0]?.total ?? 0;
  };
  let doubleLeases = await overlaps('job_id', 'an attempt while the job was leased');
  const overlappingPhoneCalls = await overlaps('phone', 'a call while the phone was dialed');
  for (const key of recorded.repeated) example(`dialed twice: job ${key.replace('/', ' attempt ')}`);
  doubleLeases += recorded.repeated.length;

  const rows = await client.query<{ job_id: string; attempt: number; phone: string; started_at_ms: number }>(
    `SELECT job_id::text, attempt, phone, started_at_ms FROM ${attempts} a`,
    [campaignId],
  );
  const checkers = new Map<string, WindowChecker>();
  const matched = new Set<string>();
  let rowsWithoutAttempt = 0;
  let dialsOutsideWindow = 0;
  for (const row of rows.rows) {
    const key = attemptKey(row.job_id, row.attempt);
    const dial = recorded.dials.get(key);
    if (dial === undefined || dial.phone !== row.phone || dial.atMs !== row.started_at_ms) {
      rowsWithoutAttempt++;
      example(
        `a call-log row without its dial: job ${row.job_id} attempt ${row.attempt}, phone ${row.phone}, at ${new Date(row.started_at_ms).toISOString()}`,
      );
      continue;
    }
    matched.add(key);
    let checker = checkers.get(dial.policyJson);
    if (checker === undefined) {
      checker = windowChecker(JSON.parse(dial.policyJson));
      checkers.set(dial.policyJson, checker);
    }
    const why = checker.violation(row.started_at_ms);
    if (why !== undefined) {
      dialsOutsideWindow++;
      example(`outside its window: job ${row.job_id} attempt ${row.attempt}: ${why}`);
    }
  }
  let attemptsWithoutRow = 0;
  for (const [key, dial] of recorded.dials) {
    if (matched.has(key)) continue;
    attemptsWithoutRow++;
    example(
      `a dial without its call-log row: job ${key.replace('/', ' attempt ')}, at ${new Date(dial.atMs).toISOString()}`,
    );
  }
  return {
    rows: rows.rows.length,
    doubleLeases,
    overlappingPhoneCalls,
    attemptsWithoutRow,
    rowsWithoutAttempt,
    dialsOutsideWindow,
    examples,
  };
}

function attemptKey(jobId: string, attempt: number): string {
  return `${jobId}/${attempt}`;
}
