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
 * One job's lifecycle fields, as plain values: what the transitions below read and update. The
 * in-memory campaign keeps them in typed arrays and copies a job's into a record to run a transition;
 * a database backend keeps them in a row. Instants are epoch ms, `Infinity` where unbounded.
 */
export interface JobRecord {
  /** Internal state code (job-state.ts), `PENDING` for a redial held until its parent's attempt ends. */
  state: number;
  /** Attempts started so far. */
  attempts: number;
  maxAttempts: number;
  /** The job's pause between the end of an attempt and the next, in minutes. */
  retryMinutes: number;
  /** Start of the current or next window (spec section 5, key 3). */
  readyAtMs: number;
  /** End of that window. */
  windowEndMs: number;
  /** When the current attempt's lease expires (while dialing). */
  leaseUntilMs: number;
  /** When the job reached its final state. */
  endedAtMs: number;
  /** A cancel arrived while dialing: the attempt's report ends the job `cancelled`. */
  cancelRequested: boolean;
  /** The latest attempt ended by its lease expiring. */
  leaseExpired: boolean;
  /** Whether a redial was asked for in the current attempt. */
  hasRedial: boolean;
}

/**
 * Receives the lifecycle changes (spec section 9) of the job a transition runs on, in order.
 *
 * The transitions are functions of their arguments only: each computes the job's new fields into the
 * record it is given (the caller's copy, so nothing is allocated on the serving path) and reports its
 * events to `emit`. The caller then stores the record and delivers the events.
 */
export type EmitEvent = (type: CampaignEventType, atMs: number, attempt: number) => void;

/**
 * A job just added at `t` (spec sections 6 and 8): `exhausted` at once when its phone has reached
 * `maxTotalAttempts`, else in line for its first window.
 */
export function admit(
  job: JobRecord,
  schedule: CallSchedule,
  phoneAtCap: boolean,
  t: number,
  latestMs: number,
  emit: EmitEvent,
): void {
  if (phoneAtCap) finish(job, EXHAUSTED, t, emit);
  else enqueue(job, schedule, t, latestMs, emit);
}

/** A record with the fields of a job just created: waiting, no attempt yet (`PENDING` for a held redial). */
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

/** Ends a job in final state `code` at `atMs`. */
export function finish(job: JobRecord, code: number, atMs: number, emit: EmitEvent): void {
  job.state = code;
  job.endedAtMs = atMs;
  emit(STATE_NAMES[code] as CampaignEventType, atMs, job.attempts);
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
  emit: EmitEvent,
): void {
  if (window === null) {
    finish(job, EXPIRED, atMs, emit);
    return;
  }
  job.state = window.start <= latestMs ? READY : WAITING;
  job.readyAtMs = window.start;
  job.windowEndMs = window.end;
}

/** A new job (entry or released redial): in line for its first window from `fromMs`. */
export function enqueue(
  job: JobRecord,
  schedule: CallSchedule,
  fromMs: number,
  latestMs: number,
  emit: EmitEvent,
): void {
  place(job, schedule.nextWindow(fromMs), fromMs, latestMs, emit);
}

/** A waiting job whose window has started: ready. */
export function becomeReady(job: JobRecord): void {
  job.state = READY;
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
  emit: EmitEvent,
): void {
  job.state = WAITING;
  place(
    job,
    windowAt(schedule, closedAtMs, t) ?? lastWindow(schedule, closedAtMs),
    closedAtMs,
    latestMs,
    emit,
  );
}

/** Serves a ready job at `t`: an attempt starts, leased until `t + leaseTimeoutMs`. */
export function serve(job: JobRecord, t: number, leaseTimeoutMs: number, emit: EmitEvent): void {
  job.state = DIALING;
  job.attempts++;
  job.leaseUntilMs = t + leaseTimeoutMs;
  job.leaseExpired = false;
  emit('dialing', t, job.attempts);
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
export function endAttempt(job: JobRecord, end: AttemptEnd, emit: EmitEvent): void {
  const { atMs } = end;
  if (end.byLeaseExpiry) {
    job.leaseExpired = true;
    emit('leaseExpired', atMs, job.attempts);
  }
  const code = finalStateOf(job, end);
  const window = code === undefined ? end.schedule.nextWindow(atMs + end.retryMinutes * MINUTE_MS) : null;
  if (window === null) {
    finish(job, code ?? EXPIRED, atMs, emit);
    return;
  }
  emit('retry', atMs, job.attempts);
  place(job, window, atMs, end.latestMs, emit);
}

/** The final state an attempt's end leads to, or `undefined` when the job may retry. */
function finalStateOf(job: JobRecord, end: AttemptEnd): number | undefined {
  if (job.cancelRequested) return CANCELLED;
  if (job.hasRedial) return REDIALED;
  if (!end.failed) return COMPLETED;
  if (job.attempts >= job.maxAttempts || end.phoneAtCap) return EXHAUSTED;
  return undefined;
}

/**
 * A cancel (spec section 6): a job being dialed gets a cancel pending; any other unfinished job ends
 * `cancelled`. Returns false, changing nothing, for a final job or one with a cancel pending already.
 */
export function cancel(job: JobRecord, t: number, emit: EmitEvent): boolean {
  if (isFinalCode(job.state)) return false;
  if (job.state === DIALING) {
    if (job.cancelRequested) return false;
    job.cancelRequested = true;
    return true;
  }
  finish(job, CANCELLED, t, emit);
  return true;
}

/**
 * When a dialing job would lead to a ready job of its own if its lease expired (for `nextReadyAt`):
 * its held redial's first allowed instant, else its retry's, else `Infinity`; not before
 * `phoneFreeAtMs`, when the phone's 24-hour cap lets an attempt start again (`-Infinity`: no cap holds it).
 */
export function readyAfterLease(
  job: JobRecord,
  schedule: CallSchedule,
  heldRedial: { readonly schedule: CallSchedule } | undefined,
  phoneAtCap: boolean,
  phoneFreeAtMs = Number.NEGATIVE_INFINITY,
): number {
  if (job.cancelRequested) return Number.POSITIVE_INFINITY;
  if (job.hasRedial) {
    return heldRedial === undefined
      ? Number.POSITIVE_INFINITY
      : heldRedial.schedule.nextStart(Math.max(job.leaseUntilMs, phoneFreeAtMs));
  }
  if (job.attempts >= job.maxAttempts || phoneAtCap) return Number.POSITIVE_INFINITY;
  return schedule.nextStart(Math.max(job.leaseUntilMs + job.retryMinutes * MINUTE_MS, phoneFreeAtMs));
}

/**
 * When a job that ended at `endedAtMs` is forgotten (spec section 10): `retentionMs` after it ended, and
 * not before the duplicate check is done with it when it was `remembered` for one.
 */
export function forgetAtMs(
  endedAtMs: number,
  addedAtMs: number,
  remembered: boolean,
  options: { readonly retentionMs: number; readonly dedupWindowMs: number },
): number {
  const retainedMs = endedAtMs + options.retentionMs;
  return remembered ? Math.max(retainedMs, addedAtMs + options.dedupWindowMs) : retainedMs;
}
