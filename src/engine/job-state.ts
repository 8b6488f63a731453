/** The states of a job (spec section 6), as a run-time list and its union. The last five are final. */
export const JOB_STATES = [
  'waiting',
  'ready',
  'dialing',
  'completed',
  'exhausted',
  'expired',
  'cancelled',
  'redialed',
] as const;

export type JobState = (typeof JOB_STATES)[number];

/** Internal state codes, stored one byte per job. `PENDING` is a redial waiting for its parent's attempt to end. */
export const WAITING = 0;
export const READY = 1;
export const DIALING = 2;
export const COMPLETED = 3;
export const EXHAUSTED = 4;
export const EXPIRED = 5;
export const CANCELLED = 6;
export const REDIALED = 7;
export const PENDING = 8;

/** Name of each internal code, as snapshots write it: the public states, and `pending`. */
export const CODE_NAMES: readonly (JobState | 'pending')[] = [...JOB_STATES, 'pending'];

/** Public state of each internal code: a pending redial reads as `waiting`. */
export const STATE_NAMES: readonly JobState[] = [...JOB_STATES, 'waiting'];

/** Whether an internal state code is final. */
export function isFinalCode(code: number): boolean {
  return code >= COMPLETED && code <= REDIALED;
}
