import type { CallSchedule, CallWindow } from '../schedule/call-schedule.js';
import type { CampaignEventType } from './events.js';
import {
  CANCELLED,
  COMPLETED,
  DIALING,
  EXHAUSTED,
  EXPIRED,
  isFinalCode,
  PENDING,
  READY,
  REDIALED,
  STATE_NAMES,
  WAITING,
} from './job-state.js';
import { lastWindow, windowAt } from './window-at.js';

const MINUTE_MS = 60_000;

/**
 * One job's lifecycle fields, as plain values: what the transitions below read and return. The
 * in-memory campaign keeps them in typed arrays; a database backend keeps them in a row. Instants are
 * epoch ms, `Infinity` where unbounded.
 */
export interface JobRecord {
  /** Internal state code (job-state.ts), `PENDING` for a redial held until its parent's attempt ends. */
  readonly state: number;
  /** Attempts started so far. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** The job's pause between the end of an attempt and the next, in minutes. */
  readonly retryMinutes: number;
  /** Start of the current or next window (spec section 5, key 3). */
  readonly readyAtMs: number;
  /** End of that window. */
  readonly windowEndMs: number;
  /** When the current attempt's lease expires (while dialing). */
  readonly leaseUntilMs: number;
  /** When the job reached its final state. */
  readonly endedAtMs: number;
  /** A cancel arrived while dialing: the attempt's report ends the job `cancelled`. */
  readonly cancelRequested: boolean;
  /** The latest attempt ended by its lease expiring. */
  readonly leaseExpired: boolean;
  /** Whether a redial was asked for in the current attempt. */
  readonly hasRedial: boolean;
}

/** A lifecycle change of one job (spec section 9), without the job's ID. */
export interface LifecycleEvent {
  readonly type: CampaignEventType;
  readonly atMs: number;
  readonly attempt: number;
}

/** A job's new fields and the events of the change, in order. */
export interface Transition {
  readonly job: JobRecord;
  readonly events: readonly LifecycleEvent[];
}

const NO_EVENTS: readonly LifecycleEvent[] = [];

/** Ends a job in final state `code` at `atMs`. */
export function finish(
  job: JobRecord,
  code: number,
  atMs: number,
  events: LifecycleEvent[] = [],
): Transition {
  events.push({ type: STATE_NAMES[code] as CampaignEventType, atMs, attempt: job.attempts });
  return { job: { ...job, state: code, endedAtMs: atMs }, events };
}

/**
 * Puts a job in line for `window` (ready if it has started by `latestMs`, else waiting), or ends it
 * `expired` at `atMs` when there is none.
 */
export function place(
  job: JobRecord,
  window: CallWindow | null,
  atMs: number,
  latestMs: number,
  events: LifecycleEvent[] = [],
): Transition {
  if (window === null) return finish(job, EXPIRED, atMs, events);
  const state = window.start <= latestMs ? READY : WAITING;
  return { job: { ...job, state, readyAtMs: window.start, windowEndMs: window.end }, events };
}

/** A new job (entry or released redial): in line for its first window from `fromMs`. */
export function enqueue(
  job: JobRecord,
  schedule: CallSchedule,
  fromMs: number,
  latestMs: number,
): Transition {
  return place(job, schedule.nextWindow(fromMs), fromMs, latestMs);
}

/** A waiting job whose window has started: ready. */
export function becomeReady(job: JobRecord): Transition {
  return { job: { ...job, state: READY }, events: NO_EVENTS };
}

/**
 * The window a ready job waited in closed at `closedAtMs`; it goes on to its window current at `t`
 * (however many it missed). When none is left it takes its last window (which closes by `t`, so it ends
 * `expired` then, in time order with the other changes), or ends `expired` now if the closed one was
 * its last.
 */
export function windowClosed(
  job: JobRecord,
  schedule: CallSchedule,
  closedAtMs: number,
  t: number,
  latestMs: number,
): Transition {
  const window = windowAt(schedule, closedAtMs, t) ?? lastWindow(schedule, closedAtMs);
  return place({ ...job, state: WAITING }, window, closedAtMs, latestMs);
}

/** Serves a ready job at `t`: an attempt starts, leased until `t + leaseTimeoutMs`. */
export function serve(job: JobRecord, t: number, leaseTimeoutMs: number): Transition {
  const attempts = job.attempts + 1;
  return {
    job: { ...job, state: DIALING, attempts, leaseUntilMs: t + leaseTimeoutMs, leaseExpired: false },
    events: [{ type: 'dialing', atMs: t, attempt: attempts }],
  };
}

/** How an attempt ended: by a report (`failed` or not, with the pause for a retry) or its lease expiring. */
export interface AttemptEnd {
  readonly atMs: number;
  readonly failed: boolean;
  readonly retryMinutes: number;
  readonly byLeaseExpiry: boolean;
  /** Whether the phone has reached `maxTotalAttempts`. */
  readonly phoneAtCap: boolean;
  readonly schedule: CallSchedule;
  /** The campaign's latest instant (a retry whose window has started by then is ready). */
  readonly latestMs: number;
}

/**
 * Ends the current attempt of a dialing job (spec sections 6 and 7): `cancelled` if a cancel is
 * pending, `redialed` if a redial was asked for, `completed`, or after a failure `exhausted` (no attempts
 * left, or the phone at its cap), `expired` (no window left after the pause), or a retry placed in
 * the first window at or after `atMs + retryMinutes`.
 */
export function endAttempt(job: JobRecord, end: AttemptEnd): Transition {
  const { atMs } = end;
  const events: LifecycleEvent[] = [];
  let ended: JobRecord = job;
  if (end.byLeaseExpiry) {
    events.push({ type: 'leaseExpired', atMs, attempt: job.attempts });
    ended = { ...job, leaseExpired: true };
  }
  if (job.cancelRequested) return finish(ended, CANCELLED, atMs, events);
  if (job.hasRedial) return finish(ended, REDIALED, atMs, events);
  if (!end.failed) return finish(ended, COMPLETED, atMs, events);
  if (job.attempts >= job.maxAttempts || end.phoneAtCap) return finish(ended, EXHAUSTED, atMs, events);
  const window = end.schedule.nextWindow(atMs + end.retryMinutes * MINUTE_MS);
  if (window === null) return finish(ended, EXPIRED, atMs, events);
  events.push({ type: 'retry', atMs, attempt: job.attempts });
  return place(ended, window, atMs, end.latestMs, events);
}

/**
 * A cancel (spec section 6): a job being dialed gets a cancel pending (`null`: nothing to do when one
 * is pending already); any other unfinished job ends `cancelled`; a final job is left alone (`null`).
 */
export function cancel(job: JobRecord, t: number): Transition | null {
  if (isFinalCode(job.state)) return null;
  if (job.state === DIALING) {
    return job.cancelRequested ? null : { job: { ...job, cancelRequested: true }, events: NO_EVENTS };
  }
  return finish(job, CANCELLED, t);
}

/** The fields of a job just created: waiting, no attempt yet (`PENDING` for a held redial). */
export function newJob(maxAttempts: number, retryMinutes: number, isHeldRedial: boolean): JobRecord {
  return {
    state: isHeldRedial ? PENDING : WAITING,
    attempts: 0,
    maxAttempts,
    retryMinutes,
    readyAtMs: Number.POSITIVE_INFINITY,
    windowEndMs: Number.POSITIVE_INFINITY,
    leaseUntilMs: Number.POSITIVE_INFINITY,
    endedAtMs: Number.POSITIVE_INFINITY,
    cancelRequested: false,
    leaseExpired: false,
    hasRedial: false,
  };
}

/**
 * When a dialing job would lead to a ready job of its own if its lease expired (for `nextReadyAt`):
 * its held redial's first allowed instant, else its retry's, else `Infinity`.
 */
export function readyAfterLease(
  job: JobRecord,
  schedule: CallSchedule,
  heldRedial: { readonly schedule: CallSchedule } | undefined,
  phoneAtCap: boolean,
): number {
  if (job.cancelRequested) return Number.POSITIVE_INFINITY;
  if (job.hasRedial) {
    return heldRedial === undefined
      ? Number.POSITIVE_INFINITY
      : heldRedial.schedule.nextStart(job.leaseUntilMs);
  }
  if (job.attempts >= job.maxAttempts || phoneAtCap) return Number.POSITIVE_INFINITY;
  return schedule.nextStart(job.leaseUntilMs + job.retryMinutes * MINUTE_MS);
}
