import type { JsonValue } from '../policy/types.js';

/** Per-job flags. */
export const CANCEL_REQUESTED = 1;
/** The job's latest attempt ended by its lease expiring. */
export const LEASE_EXPIRED = 2;
/** The job has a payload (stored in `payloads`). */
export const HAS_PAYLOAD = 4;

/**
 * The jobs of a campaign as parallel typed arrays indexed by job number (job ID minus one): plain
 * numbers, no object per job. Instants are epoch ms; `Infinity` where unbounded.
 */
export class JobStore {
  /** Number of jobs (the next job number). */
  length = 0;
  /** Internal state code (job-state.ts). */
  state = new Uint8Array(0);
  flags = new Uint8Array(0);
  /** Attempts started so far. */
  attempts = new Uint8Array(0);
  maxAttempts = new Uint8Array(0);
  /** 1..5. */
  priority = new Uint8Array(0);
  /** Pause between the end of an attempt and the next one, in minutes. */
  retryMinutes = new Uint16Array(0);
  /** Index into the campaign's schedule table. */
  schedule = new Int32Array(0);
  /** Index into the campaign's phone table. */
  phone = new Int32Array(0);
  /** The next job of the same phone (a linked list per phone), or -1. */
  nextOfPhone = new Int32Array(0);
  /** Job number of the job this one redials, or -1. */
  redialOf = new Int32Array(0);
  /** Job number of the redial asked for in the current attempt, or -1. */
  redialChild = new Int32Array(0);
  /** Interned `scheduleKey` of the entry that created the job, for the duplicate check; -1 when not remembered. */
  policyKey = new Int32Array(0);
  /** `ownFieldsCode` of that entry. */
  ownFields = new Int32Array(0);
  /** When the entry that created the job was added. */
  addedAtMs = new Float64Array(0);
  /** Start of the job's current or next window: the instant it becomes ready (spec section 5, key 3). */
  readyAtMs = new Float64Array(0);
  /** End of that window. */
  windowEndMs = new Float64Array(0);
  /** When the current attempt's lease expires (while dialing). */
  leaseUntilMs = new Float64Array(0);
  /** Payloads by job number; holes where a job has none. */
  readonly payloads: (JsonValue | undefined)[] = [];

  /** Appends a job with zeroed fields and returns its number. */
  add(): number {
    if (this.length === this.state.length) this.#grow(Math.max(1024, this.length * 2));
    const i = this.length++;
    this.nextOfPhone[i] = -1;
    this.redialOf[i] = -1;
    this.redialChild[i] = -1;
    this.policyKey[i] = -1;
    return i;
  }

  #grow(capacity: number): void {
    const grow = <T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.state = grow(this.state, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.attempts = grow(this.attempts, (n) => new Uint8Array(n));
    this.maxAttempts = grow(this.maxAttempts, (n) => new Uint8Array(n));
    this.priority = grow(this.priority, (n) => new Uint8Array(n));
    this.retryMinutes = grow(this.retryMinutes, (n) => new Uint16Array(n));
    this.schedule = grow(this.schedule, (n) => new Int32Array(n));
    this.phone = grow(this.phone, (n) => new Int32Array(n));
    this.nextOfPhone = grow(this.nextOfPhone, (n) => new Int32Array(n));
    this.redialOf = grow(this.redialOf, (n) => new Int32Array(n));
    this.redialChild = grow(this.redialChild, (n) => new Int32Array(n));
    this.policyKey = grow(this.policyKey, (n) => new Int32Array(n));
    this.ownFields = grow(this.ownFields, (n) => new Int32Array(n));
    this.addedAtMs = grow(this.addedAtMs, (n) => new Float64Array(n));
    this.readyAtMs = grow(this.readyAtMs, (n) => new Float64Array(n));
    this.windowEndMs = grow(this.windowEndMs, (n) => new Float64Array(n));
    this.leaseUntilMs = grow(this.leaseUntilMs, (n) => new Float64Array(n));
  }
}
