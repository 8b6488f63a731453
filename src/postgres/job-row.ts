import { isFinalCode } from '../engine/job-state.js';
import { forgetAtMs, type JobRecord } from '../engine/lifecycle.js';
import type { JsonValue } from '../policy/types.js';

/** A job row as selected by {@link JOB_SELECT}: ids as numbers (`float8`), instants as epoch ms. */
export interface JobRow {
  readonly id: number;
  readonly phone_id: number;
  readonly schedule_id: number;
  readonly state: number;
  readonly priority: number;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly retry_minutes: number;
  readonly ready_at: number;
  readonly window_end: number;
  readonly lease_until: number;
  readonly ended_at: number;
  readonly added_at: number;
  readonly cancel_requested: boolean;
  readonly lease_expired: boolean;
  readonly redial_of: number | null;
  readonly redial_child: number | null;
  readonly policy_key_id: number | null;
  readonly own_fields: number;
  readonly payload: string | null;
  /** The start of the attempt in progress (dialing), else of the last one; null before the first. */
  readonly attempt_started_at: number | null;
  /** The lease token of the attempt in progress (dialing), else of the last one. */
  readonly lease_token: string | null;
}

/** The columns of a {@link JobRow} with their SQL types as read (IDs as `float8`, so that they parse as numbers). */
export const JOB_COLUMN_TYPES: readonly (readonly [name: keyof JobRow, type: string])[] = [
  ['id', 'float8'],
  ['phone_id', 'float8'],
  ['schedule_id', 'float8'],
  ['redial_of', 'float8'],
  ['redial_child', 'float8'],
  ['policy_key_id', 'float8'],
  ['state', 'smallint'],
  ['priority', 'smallint'],
  ['attempts', 'int'],
  ['max_attempts', 'int'],
  ['retry_minutes', 'int'],
  ['ready_at', 'float8'],
  ['window_end', 'float8'],
  ['lease_until', 'float8'],
  ['ended_at', 'float8'],
  ['added_at', 'float8'],
  ['cancel_requested', 'boolean'],
  ['lease_expired', 'boolean'],
  ['own_fields', 'int'],
  ['payload', 'text'],
  ['attempt_started_at', 'float8'],
  ['lease_token', 'uuid'],
];

/** The `bigint` columns, read as `float8`. */
const ID_COLUMNS: ReadonlySet<string> = new Set([
  'id',
  'phone_id',
  'schedule_id',
  'redial_of',
  'redial_child',
  'policy_key_id',
]);

/** The columns of a {@link JobRow} read from table alias `j`, each named `prefix` + its name. */
export function jobColumns(prefix: string): string {
  return JOB_COLUMN_TYPES.map(([name]) =>
    ID_COLUMNS.has(name) ? `j.${name}::float8 AS ${prefix}${name}` : `j.${name} AS ${prefix}${name}`,
  ).join(', ');
}

/** The columns of a {@link JobRow}, of table alias `j`. */
export const JOB_SELECT = jobColumns('');

/** The job row in the columns of `row` named `prefix` + name, or undefined when they are null (no row). */
export function prefixedRow(row: Record<string, unknown>, prefix: string): JobRow | undefined {
  if (row[`${prefix}id`] === null || row[`${prefix}id`] === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = row[key];
  return out as unknown as JobRow;
}

/**
 * A job loaded in a transaction: its row, the lifecycle record the transitions run on, and its payload
 * parsed once. `record` is written back when `dirty`.
 */
export interface LoadedJob {
  readonly row: JobRow;
  readonly record: JobRecord;
  readonly payload: JsonValue | undefined;
  /** The child a redial of this job created, once known in this transaction (the row's until then). */
  redialChild: number | null;
  dirty: boolean;
}

/** A job row as a lifecycle record. */
export function loadJob(row: JobRow): LoadedJob {
  return {
    row,
    record: {
      state: row.state,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      retryMinutes: row.retry_minutes,
      readyAtMs: row.ready_at,
      windowEndMs: row.window_end,
      leaseUntilMs: row.lease_until,
      endedAtMs: row.ended_at,
      cancelRequested: row.cancel_requested,
      leaseExpired: row.lease_expired,
      hasRedial: row.redial_child !== null,
    },
    payload: row.payload === null ? undefined : (JSON.parse(row.payload) as JsonValue),
    redialChild: row.redial_child,
    dirty: false,
  };
}

/** The row's `forget_at`: the engine's `forgetAtMs` for a final job, `Infinity` for a live one. */
export function forgetAtOf(
  record: JobRecord,
  addedAtMs: number,
  remembered: boolean,
  options: { readonly retentionMs: number; readonly dedupWindowMs: number },
): number {
  if (!isFinalCode(record.state)) return Number.POSITIVE_INFINITY;
  return forgetAtMs(record.endedAtMs, addedAtMs, remembered, options);
}
