import type { JsonValue } from '../policy/types.js';

/** Per-job flags. */
export const CANCEL_REQUESTED = 1;
/** The job's latest attempt ended by its lease expiring. */
export const LEASE_EXPIRED = 2;
/** A ready job taken out of the ready queue while its phone is being dialed (spec section 5). */
export const PARKED = 4;

/** Job numbers per chunk of the number-to-slot map. */
const CHUNK_BITS = 12;
const CHUNK_SIZE = 1 << CHUNK_BITS;

/**
 * The jobs of a campaign as parallel typed arrays indexed by slot: plain numbers, no object per job.
 * A job is named by its job number (job ID minus one), handed out in increasing order; its slot is
 * where its fields live, and slots of forgotten jobs are reused, so memory follows the jobs retained,
 * not the jobs ever created. Instants are epoch ms; `Infinity` where unbounded.
 */
export class JobStore {
  /** Jobs created so far: the next job number. */
  created = 0;
  /** Jobs retained (created and not yet forgotten). */
  size = 0;
  /** Slots ever used: the high-water mark. */
  #slotCount = 0;
  #freeSlots = new Int32Array(0);
  #freeCount = 0;
  /** Slot of each job number, by chunks of 4096 numbers; a chunk is dropped when all its jobs are. */
  readonly #slotChunks: (Int32Array | undefined)[] = [];
  readonly #chunkLive: number[] = [];

  /** Job number of the job in each slot. */
  number = new Int32Array(0);
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
  /** The next and previous slots of the same phone (a doubly linked list per phone), or -1. */
  nextOfPhone = new Int32Array(0);
  prevOfPhone = new Int32Array(0);
  /** Job number of the job this one redials, or -1. */
  redialOf = new Int32Array(0);
  /** Job number of the redial asked for in the current attempt, or -1. */
  redialChild = new Int32Array(0);
  /** Interned policy key of the entry that created the job, for the duplicate check; -1 when not remembered. */
  policyKey = new Int32Array(0);
  /** `ownFieldsCode` of that entry. */
  ownFields = new Int32Array(0);
  /** A hash of the entry's payload, key order aside (0 without one). */
  payloadHash = new Int32Array(0);
  /** When the job was created. */
  addedAtMs = new Float64Array(0);
  /** Start of the job's current or next window: the instant it becomes ready (spec section 5, key 3). */
  readyAtMs = new Float64Array(0);
  /** End of that window. */
  windowEndMs = new Float64Array(0);
  /** When the current attempt's lease expires (while dialing). */
  leaseUntilMs = new Float64Array(0);
  /** When the job reached its final state. */
  endedAtMs = new Float64Array(0);
  /** Payloads by slot; holes where a job has none. */
  readonly payloads: (JsonValue | undefined)[] = [];

  /** The slot of job number `n`, or -1 when there is no such job (never created, or forgotten). */
  slotOf(n: number): number {
    if (!(n >= 0 && n < this.created)) return -1;
    const chunk = this.#slotChunks[n >>> CHUNK_BITS];
    return chunk === undefined ? -1 : chunk[n & (CHUNK_SIZE - 1)]!;
  }

  /** Creates a job with the next job number and zeroed fields; returns its slot. */
  add(): number {
    return this.addNumbered(this.created);
  }

  /** Creates job number `n` (>= every number created so far); returns its slot. */
  addNumbered(n: number): number {
    let slot: number;
    if (this.#freeCount > 0) slot = this.#freeSlots[--this.#freeCount]!;
    else {
      if (this.#slotCount === this.state.length) this.#grow(Math.max(1024, this.#slotCount * 2));
      slot = this.#slotCount++;
    }
    const c = n >>> CHUNK_BITS;
    let chunk = this.#slotChunks[c];
    if (chunk === undefined) {
      chunk = new Int32Array(CHUNK_SIZE).fill(-1);
      this.#slotChunks[c] = chunk;
      this.#chunkLive[c] = 0;
    }
    chunk[n & (CHUNK_SIZE - 1)] = slot;
    this.#chunkLive[c]!++;
    this.created = n + 1;
    this.size++;
    this.number[slot] = n;
    this.state[slot] = 0;
    this.flags[slot] = 0;
    this.attempts[slot] = 0;
    this.nextOfPhone[slot] = -1;
    this.prevOfPhone[slot] = -1;
    this.redialOf[slot] = -1;
    this.redialChild[slot] = -1;
    this.policyKey[slot] = -1;
    this.ownFields[slot] = 0;
    this.payloadHash[slot] = 0;
    this.readyAtMs[slot] = Number.POSITIVE_INFINITY;
    this.windowEndMs[slot] = Number.POSITIVE_INFINITY;
    this.leaseUntilMs[slot] = Number.POSITIVE_INFINITY;
    this.endedAtMs[slot] = Number.POSITIVE_INFINITY;
    return slot;
  }

  /** Forgets the job in `slot`: its number no longer resolves and the slot is reused. */
  remove(slot: number): void {
    const n = this.number[slot]!;
    const c = n >>> CHUNK_BITS;
    this.#slotChunks[c]![n & (CHUNK_SIZE - 1)] = -1;
    if (--this.#chunkLive[c]! === 0 && c < (this.created - 1) >>> CHUNK_BITS) {
      // Every job of a chunk that is full was forgotten: drop it.
      this.#slotChunks[c] = undefined;
    }
    this.payloads[slot] = undefined;
    this.number[slot] = -1;
    if (this.#freeCount === this.#freeSlots.length) {
      const next = new Int32Array(Math.max(1024, this.#freeCount * 2));
      next.set(this.#freeSlots);
      this.#freeSlots = next;
    }
    this.#freeSlots[this.#freeCount++] = slot;
    this.size--;
  }

  /** Calls `visit(slot)` for every retained job, in job-number order. */
  forEachInOrder(visit: (slot: number) => void): void {
    for (let c = 0; c < this.#slotChunks.length; c++) {
      const chunk = this.#slotChunks[c];
      if (chunk === undefined) continue;
      for (let k = 0; k < CHUNK_SIZE; k++) {
        const slot = chunk[k]!;
        if (slot >= 0) visit(slot);
      }
    }
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
    this.number = grow(this.number, (n) => new Int32Array(n));
    this.state = grow(this.state, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.attempts = grow(this.attempts, (n) => new Uint8Array(n));
    this.maxAttempts = grow(this.maxAttempts, (n) => new Uint8Array(n));
    this.priority = grow(this.priority, (n) => new Uint8Array(n));
    this.retryMinutes = grow(this.retryMinutes, (n) => new Uint16Array(n));
    this.schedule = grow(this.schedule, (n) => new Int32Array(n));
    this.phone = grow(this.phone, (n) => new Int32Array(n));
    this.nextOfPhone = grow(this.nextOfPhone, (n) => new Int32Array(n));
    this.prevOfPhone = grow(this.prevOfPhone, (n) => new Int32Array(n));
    this.redialOf = grow(this.redialOf, (n) => new Int32Array(n));
    this.redialChild = grow(this.redialChild, (n) => new Int32Array(n));
    this.policyKey = grow(this.policyKey, (n) => new Int32Array(n));
    this.ownFields = grow(this.ownFields, (n) => new Int32Array(n));
    this.payloadHash = grow(this.payloadHash, (n) => new Int32Array(n));
    this.addedAtMs = grow(this.addedAtMs, (n) => new Float64Array(n));
    this.readyAtMs = grow(this.readyAtMs, (n) => new Float64Array(n));
    this.windowEndMs = grow(this.windowEndMs, (n) => new Float64Array(n));
    this.leaseUntilMs = grow(this.leaseUntilMs, (n) => new Float64Array(n));
    this.endedAtMs = grow(this.endedAtMs, (n) => new Float64Array(n));
  }
}
