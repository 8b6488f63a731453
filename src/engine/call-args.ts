import { DialerError, type Issue, quote } from '../errors.js';
import { unknownKeyMessage } from '../policy/closest.js';
import { parseRetryInterval } from '../policy/fields.js';
import { isInstant, MAX_INSTANT_MS } from '../schedule/instant.js';
import { DIALING, STATE_NAMES } from './job-state.js';

/** Job ID of job number `i`: decimal digits, increasing. */
export function jobIdOf(i: number): string {
  return String(i + 1);
}

export function reportError(code: Issue['code'], message: string): DialerError {
  return new DialerError([{ path: ['jobId'], code, message }]);
}

/** An instant as ISO text for messages; beyond the range of Date, the number. */
export function isoOf(ms: number): string {
  return Math.abs(ms) <= MAX_INSTANT_MS ? new Date(ms).toISOString() : String(ms);
}

/** `fail`'s `retryIntervalInMinutes` option: undefined, or an integer 1..2880 (`invalid.retry.interval`). */
export function readRetryMinutes(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  let message = '';
  const minutes = parseRetryInterval(value, (_path, _code, text) => {
    message = text;
  });
  if (minutes === undefined) {
    throw new DialerError([{ path: ['retryIntervalInMinutes'], code: 'invalid.retry.interval', message }]);
  }
  return minutes;
}

export function optionError(name: string, value: unknown, expected: string): DialerError {
  return new DialerError([
    {
      path: [name],
      code: 'invalid.option',
      message: `${name} ${quote(value)} is not valid: expected ${expected}.`,
    },
  ]);
}

const NO_OPTIONS: Record<string, unknown> = Object.freeze({});

/** Reads the options object of a call, rejecting unknown keys. */
export function readCallOptions(options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return NO_OPTIONS;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw optionError('options', options, `an object with ${known.join(', ')}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new DialerError([
        { path: [key], code: 'invalid.option', message: unknownKeyMessage('option', key, known) },
      ]);
    }
  }
  return options as Record<string, unknown>;
}

/**
 * Checks a `cancel` selection and returns copies of its lists, each read once (a getter cannot change
 * them between the check and their use).
 */
export function checkSelection(selection: unknown): {
  jobIds: readonly string[];
  phones: readonly (string | number)[];
} {
  const bad = (message: string): never => {
    throw new DialerError([{ path: [], code: 'invalid.body', message }]);
  };
  const expected = 'expected { jobIds?: string[], phones?: (string or number)[] }';
  if (typeof selection !== 'object' || selection === null || Array.isArray(selection))
    bad(`cancel selection ${quote(selection)} is not valid: ${expected}.`);
  const s = selection as Record<string, unknown>;
  for (const key of Object.keys(s))
    if (key !== 'jobIds' && key !== 'phones')
      bad(`cancel selection has an unknown field \`${key}\`: ${expected}.`);
  const jobIdsValue = s.jobIds;
  const phonesValue = s.phones;
  const jobIds = Array.isArray(jobIdsValue) ? [...jobIdsValue] : jobIdsValue;
  const phones = Array.isArray(phonesValue) ? [...phonesValue] : phonesValue;
  if (jobIds !== undefined && !(Array.isArray(jobIds) && jobIds.every((id) => typeof id === 'string'))) {
    bad(`cancel jobIds ${quote(jobIds)} is not valid: ${expected}.`);
  }
  if (
    phones !== undefined &&
    !(Array.isArray(phones) && phones.every((p) => typeof p === 'string' || typeof p === 'number'))
  ) {
    bad(`cancel phones ${quote(phones)} is not valid: ${expected}.`);
  }
  return {
    jobIds: (jobIds ?? []) as readonly string[],
    phones: (phones ?? []) as readonly (string | number)[],
  };
}

/** The job number of a job ID (1 to 15 decimal digits, the first not 0), or -1 for any other value. */
export function jobNumberOf(jobId: unknown): number {
  if (typeof jobId !== 'string') return -1;
  const length = jobId.length;
  if (length === 0 || length > 15 || jobId.charCodeAt(0) === 48) return -1;
  for (let k = 0; k < length; k++) {
    const code = jobId.charCodeAt(k);
    if (code < 48 || code > 57) return -1;
  }
  return Number(jobId) - 1;
}

/** The job ID and attempt a report names: a job ID, or a call task's `jobId` and `attempt`. */
export function reportTarget(jobIdOrTask: unknown): { readonly id: unknown; readonly attempt: unknown } {
  if (typeof jobIdOrTask === 'object' && jobIdOrTask !== null) {
    const task = jobIdOrTask as { readonly jobId?: unknown; readonly attempt?: unknown };
    return { id: task.jobId, attempt: task.attempt };
  }
  return { id: jobIdOrTask, attempt: undefined };
}

/** The fields of a job a report is checked against. */
export interface ReportedJobFields {
  readonly state: number;
  readonly attempts: number;
  readonly leaseUntilMs: number;
  /** The latest attempt ended by its lease expiring. */
  readonly leaseExpired: boolean;
}

/**
 * Why a report (or a redial) at `t` of job `id` cannot be applied (spec section 6), or undefined when it
 * can: an unknown job (`job` undefined), a stale call task, an expired lease, a job not being dialed.
 */
export function reportProblem(
  id: unknown,
  attempt: unknown,
  job: ReportedJobFields | undefined,
  t: number,
  what: 'report' | 'redial',
): DialerError | undefined {
  if (job === undefined)
    return reportError(
      'job.not.found',
      `job ${quote(id)} is not a job of this campaign: expected a job ID or a call task.`,
    );
  if (attempt !== undefined && attempt !== job.attempts) {
    return reportError(
      'invalid.call.task.state',
      `the call task for attempt ${quote(attempt)} of job ${quote(id)} is stale: the job is on attempt ${job.attempts}.`,
    );
  }
  const leaseExpired = job.state === DIALING ? job.leaseUntilMs <= t : job.leaseExpired;
  if (leaseExpired) {
    return reportError(
      'lease.expired',
      `the lease of job ${quote(id)} attempt ${job.attempts} expired at ${isoOf(job.leaseUntilMs)}; the attempt already counted as failed.`,
    );
  }
  if (job.state !== DIALING)
    return reportError(
      'invalid.call.task.state',
      `cannot ${what} job ${quote(id)}: it is ${STATE_NAMES[job.state]}, not dialing.`,
    );
  return undefined;
}

/** The most job views one `unfinishedJobs` call returns. */
export const MAX_PAGE_JOBS = 10_000;

/**
 * `unfinishedJobs`' options: `offset` (jobs skipped, an integer >= 0, default 0) and `limit` (an
 * integer 1..MAX_PAGE_JOBS, default 100); anything else is `invalid.option`.
 */
export function readPageOptions(options: unknown): { readonly offset: number; readonly limit: number } {
  const { offset = 0, limit = 100 } = readCallOptions(options, ['offset', 'limit']);
  if (!Number.isSafeInteger(offset) || (offset as number) < 0)
    throw optionError('offset', offset, 'an integer >= 0');
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_PAGE_JOBS)
    throw optionError('limit', limit, `an integer from 1 to ${MAX_PAGE_JOBS.toLocaleString('en-US')}`);
  return { offset: offset as number, limit: limit as number };
}

/** Checks the instant a call names (`now`, else what the clock read) and returns it. */
export function checkNow(value: unknown, fromClock: boolean): number {
  if (!isInstant(value)) {
    throw optionError(
      fromClock ? 'clock()' : 'now',
      value,
      'epoch milliseconds within ±8.64e15 (the range of Date)',
    );
  }
  return value;
}
