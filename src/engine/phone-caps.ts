import type { CampaignRules, PhoneRuleSet } from '../policy/phone-rules.js';
import { KeyHeap } from '../queue/key-heap.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { WAITING } from './job-state.js';
import { type JobStore, PARKED } from './job-store.js';
import type { PhoneTable } from './phone-table.js';
import { windowAt } from './window-at.js';

/** The rolling period of `maxAttemptsPer24h`. */
export const CAP_PERIOD_MS = 86_400_000;
/** `PhoneTable.dialing` of a phone that is not being dialed but is held by its 24-hour cap. */
export const CAP_HELD = -2;

/**
 * When a phone with these attempt starts (oldest first) may start one again under a cap of `cap`: 24 h
 * after the oldest of its latest `cap`, or `-Infinity` with fewer (both backends use this rule).
 */
export function capFreeAtMs(startsMs: readonly number[], cap: number): number {
  if (startsMs.length < cap) return Number.NEGATIVE_INFINITY;
  return startsMs[startsMs.length - cap]! + CAP_PERIOD_MS;
}

/** What a `#due` entry stands for (its second key, so ties go in this order). */
export const CAP_FREES = 0;
export const PARKED_READY = 1;
export const STARTS_LAPSE = 2;
export type CapDueKind = typeof CAP_FREES | typeof PARKED_READY | typeof STARTS_LAPSE;

interface CappedPhone {
  readonly cap: number;
  /** The latest attempt starts, oldest first, at most `cap` of them. */
  readonly startsMs: number[];
}

/**
 * The 24-hour attempt cap of spec section 12 (`maxAttemptsPer24h`): for each phone a rule caps, its
 * latest attempt starts (at most the cap, so memory is bounded and only capped phones have any). A phone
 * with `cap` starts in the 24 hours before an instant is held until its oldest counted start + 24 h
 * (`freeAtMs`): exactly 24 hours after a start, that start no longer counts.
 *
 * A held phone's jobs are parked as a busy line's are (`PhoneLines`), in `PhoneTable.dialing` as
 * `CAP_HELD`; this class keeps the time-driven side: when each held phone is free again, when a parked
 * waiting job's window starts (so that it becomes ready, and its window closes, on time), when a phone
 * whose jobs are all forgotten may drop its starts (a short retention must not reset the cap), and the
 * first instant a parked job could be served (for `nextReadyAt`).
 */
export class PhoneCaps {
  /** Whether any rule sets `maxAttemptsPer24h` (else nothing here is ever used). */
  readonly enabled: boolean;
  readonly #rules: CampaignRules;
  readonly #jobs: JobStore;
  readonly #phones: PhoneTable;
  readonly #scheduleOf: (slot: number) => CallSchedule;
  readonly #byPhone = new Map<number, CappedPhone>();
  /** Phone rows or job numbers (by kind, the second key) by the instant to look at them again. */
  readonly #due = new KeyHeap(2);
  /** Job numbers parked under the cap, by the first instant each could be served (lazily checked). */
  readonly #free = new KeyHeap(1);
  /** The ID of the entry `popDue` took. */
  dueId = -1;

  constructor(
    rules: CampaignRules,
    jobs: JobStore,
    phones: PhoneTable,
    scheduleOf: (slot: number) => CallSchedule,
  ) {
    this.enabled = rules.all.maxAttemptsPer24h !== undefined;
    this.#rules = rules;
    this.#jobs = jobs;
    this.#phones = phones;
    if (this.enabled) phones.trackCaps();
    this.#scheduleOf = scheduleOf;
  }

  /** Records an attempt start on phone `row` at `atMs` (nothing for a phone no rule caps). */
  record(row: number, atMs: number): void {
    let capped = this.#byPhone.get(row);
    if (capped === undefined) {
      const cap = this.#capOf(row);
      if (cap === undefined) return;
      capped = { cap, startsMs: [] };
      this.#byPhone.set(row, capped);
    }
    const starts = capped.startsMs;
    starts.push(atMs);
    if (starts.length > capped.cap) starts.shift();
    const freeAt = this.freeAtMs(row);
    if (freeAt > atMs) this.#due.push(row, freeAt, CAP_FREES);
  }

  /** When phone `row`'s cap lets an attempt start again, as of its starts so far (`-Infinity`: it does now). */
  freeAtMs(row: number): number {
    const capped = this.#byPhone.get(row);
    return capped === undefined ? Number.NEGATIVE_INFINITY : capFreeAtMs(capped.startsMs, capped.cap);
  }

  /** The starts kept for phone `row`, oldest first (empty for a phone no rule caps). */
  startsOf(row: number): readonly number[] {
    return this.#byPhone.get(row)?.startsMs ?? [];
  }

  /** Rows of the phones with starts kept. */
  cappedRows(): IterableIterator<number> {
    return this.#byPhone.keys();
  }

  /**
   * Restores phone `row`'s starts (oldest first, none after `latestMs`): those of the 24 hours before
   * `latestMs`, the latest `cap` of them under the campaign's rules (none for a phone they do not cap).
   */
  restore(row: number, startsMs: readonly number[], latestMs: number): void {
    const cap = this.#capOf(row);
    const recent = startsMs.filter((at) => at > latestMs - CAP_PERIOD_MS);
    if (cap === undefined || recent.length === 0) return;
    this.#byPhone.set(row, { cap, startsMs: recent.slice(-cap) });
  }

  /**
   * After a restore filled the phones and their dialing jobs: holds the phones at their cap that are not
   * being dialed, queues when each is free, and when the starts of those without jobs lapse.
   */
  rebuild(latestMs: number): void {
    const phones = this.#phones;
    for (const row of this.#byPhone.keys()) {
      const freeAt = this.freeAtMs(row);
      if (freeAt > latestMs) {
        this.#due.push(row, freeAt, CAP_FREES);
        if (phones.dialing[row] === -1) phones.dialing[row] = CAP_HELD;
      }
      if (phones.firstJob[row]! < 0) this.keepsRow(row, latestMs);
    }
  }

  /**
   * Phone `row` has no job left at `atMs`: whether it must stay (its starts still count), in which case
   * it is looked at again when they lapse; else its starts are dropped.
   */
  keepsRow(row: number, atMs: number): boolean {
    const capped = this.#byPhone.get(row);
    if (capped === undefined) return false;
    const lapseAt = capped.startsMs[capped.startsMs.length - 1]! + CAP_PERIOD_MS;
    if (lapseAt > atMs) {
      this.#due.push(row, lapseAt, STARTS_LAPSE);
      return true;
    }
    this.#byPhone.delete(row);
    return false;
  }

  /**
   * Whether phone `row`, kept for its starts, has them all lapse at `atMs` (dropping them then); false
   * for a row no longer kept (an earlier entry removed it).
   */
  lapsed(row: number, atMs: number): boolean {
    const capped = this.#byPhone.get(row);
    if (capped === undefined || capped.startsMs[capped.startsMs.length - 1]! + CAP_PERIOD_MS > atMs)
      return false;
    this.#byPhone.delete(row);
    return true;
  }

  /** The instant of the first time-driven entry (`Infinity` when none). */
  peekDueAt(): number {
    return this.#due.length === 0 ? Number.POSITIVE_INFINITY : this.#due.peekPrimary();
  }

  /** Takes the first time-driven entry: returns its kind, its ID in `dueId`. */
  popDue(): CapDueKind {
    const kind = this.#due.peekSecondary() as CapDueKind;
    this.dueId = this.#due.pop();
    return kind;
  }

  /** Job `slot` was parked because its phone is held: queue when it could be served, and its window start. */
  noteParked(slot: number): void {
    const jobs = this.#jobs;
    const at = this.earliestOf(slot, this.freeAtMs(jobs.phone[slot]!));
    if (at !== Number.POSITIVE_INFINITY) this.#free.push(jobs.number[slot]!, at);
    if (this.#free.length > 2 * jobs.size + 1024) this.#compactFree();
    // A parked waiting job is in no queue: it must still become ready when its window starts.
    if (jobs.state[slot] === WAITING) this.#due.push(jobs.number[slot]!, jobs.readyAtMs[slot]!, PARKED_READY);
  }

  /**
   * The first instant at or after `freeAtMs` at which job `slot` (waiting or ready) is allowed: in its
   * window current then, or its next one (`Infinity` when its windows end before).
   */
  earliestOf(slot: number, freeAtMs: number): number {
    const window = windowAt(this.#scheduleOf(slot), this.#jobs.readyAtMs[slot]!, freeAtMs);
    return window === null ? Number.POSITIVE_INFINITY : Math.max(window.start, freeAtMs);
  }

  /** The first instant a job parked under the cap could be served, if nothing else happened (`Infinity` when none). */
  peekFreeAt(): number {
    const jobs = this.#jobs;
    const heap = this.#free;
    while (heap.length > 0) {
      const n = heap.peekId();
      const at = heap.peekPrimary();
      const slot = jobs.slotOf(n);
      heap.pop();
      if (slot < 0 || (jobs.flags[slot]! & PARKED) === 0) continue;
      const row = jobs.phone[slot]!;
      if (this.#phones.dialing[row] !== CAP_HELD) continue;
      const exact = this.earliestOf(slot, this.freeAtMs(row));
      if (exact === Number.POSITIVE_INFINITY) continue;
      heap.push(n, exact);
      // An entry found stale was pushed again with its exact instant: look at the top again.
      if (exact === at) return at;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Drops the entries of jobs no longer parked (stale ones are otherwise dropped only by `peekFreeAt`). */
  #compactFree(): void {
    const jobs = this.#jobs;
    const kept: [number, number][] = [];
    const heap = this.#free;
    while (heap.length > 0) {
      const at = heap.peekPrimary();
      const n = heap.pop();
      const slot = jobs.slotOf(n);
      if (slot >= 0 && (jobs.flags[slot]! & PARKED) !== 0) kept.push([n, at]);
    }
    for (const [n, at] of kept) heap.push(n, at);
  }

  /** Phone `row`'s cap as the rule set its entry was parsed with gives it (saves `#capOf` the lookup). */
  noteRuleSet(row: number, ruleSet: PhoneRuleSet): void {
    const cap = ruleSet.maxAttemptsPer24h;
    this.#phones.capCode[row] = cap === undefined ? -1 : cap + 1;
  }

  /** Phone `row`'s cap, looked up once per row (a number outside NANP takes microseconds to place). */
  #capOf(row: number): number | undefined {
    const phones = this.#phones;
    const code = phones.capCode[row]!;
    if (code !== 0) return code < 0 ? undefined : code - 1;
    const cap = this.#rules.forPhone(phones.digitsOf(row)).maxAttemptsPer24h;
    phones.capCode[row] = cap === undefined ? -1 : cap + 1;
    return cap;
  }
}
