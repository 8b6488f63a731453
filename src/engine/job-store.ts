import type { JsonValue } from '../policy/types.js';

/** Per-job flags. */
export const CANCEL_REQUESTED = 1;
/** The job's latest attempt ended by its lease expiring. */
export const LEASE_EXPIRED = 2;
/** A ready job taken out of the ready queue while its phone is being dialed (spec section 5). */
export const PARKED = 4;

type Column = Uint8Array | Uint16Array | Int32Array | Float64Array;
type ColumnType = { new (length: number): Column };

/**
 * Every job column with its element type and the value a new job starts with: the one list that
 * grows, resets and (with its checks) snapshots the columns.
 */
export const JOB_COLUMNS = [
  ['number', Int32Array, -1],
  ['state', Uint8Array, 0],
  ['flags', Uint8Array, 0],
  ['attempts', Uint8Array, 0],
  ['maxAttempts', Uint8Array, 0],
  ['priority', Uint8Array, 0],
  ['retryMinutes', Uint16Array, 0],
  ['schedule', Int32Array, 0],
  ['phone', Int32Array, 0],
  ['nextOfPhone', Int32Array, -1],
  ['prevOfPhone', Int32Array, -1],
  ['redialOf', Int32Array, -1],
  ['redialChild', Int32Array, -1],
  ['policyKey', Int32Array, -1],
  ['ownFields', Int32Array, 0],
  ['payloadHash', Int32Array, 0],
  ['origin', Int32Array, -1],
  ['addedAtMs', Float64Array, 0],
  ['readyAtMs', Float64Array, Number.POSITIVE_INFINITY],
  ['windowEndMs', Float64Array, Number.POSITIVE_INFINITY],
  ['leaseUntilMs', Float64Array, Number.POSITIVE_INFINITY],
  ['endedAtMs', Float64Array, Number.POSITIVE_INFINITY],
] as const satisfies readonly (readonly [string, ColumnType, number])[];

const INITIAL_VALUES: readonly number[] = JOB_COLUMNS.map(([, , initial]) => initial);

/** The name of a job column. */
export type JobColumn = (typeof JOB_COLUMNS)[number][0];

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
  /**
   * Interned origin key (`originKey`) of the own fields a test phone or redial was resolved from, for
   * `explain` (a job remembered for the duplicate check has its `policyKey`); -1 otherwise.
   */
  origin = new Int32Array(0);
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
  /** The columns in `JOB_COLUMNS` order (refreshed as they grow), to reset a slot without lookups by name. */
  #columns: Column[] = [];
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
    const columns = this.#columns;
    for (let k = 0; k < columns.length; k++) columns[k]![slot] = INITIAL_VALUES[k]!;
    this.number[slot] = n;
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

  /** Column `name`, by name (for code that walks every column: growth, snapshots). */
  column(name: JobColumn): Column {
    return (this as unknown as Record<JobColumn, Column>)[name];
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
    const columns = this as unknown as Record<JobColumn, Column>;
    for (const [name, Type] of JOB_COLUMNS) {
      const grown = new Type(capacity);
      grown.set(columns[name]);
      columns[name] = grown;
    }
    this.#columns = JOB_COLUMNS.map(([name]) => columns[name]);
  }
}
