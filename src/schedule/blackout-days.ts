import { LruCache } from './lru-cache.js';

/**
 * Local days on which nothing is allowed: wall-clock dates, each from 00:00 to 24:00, counted as days
 * since 1970-01-01 (the local date of a wall-clock time `localMs` is `Math.floor(localMs / 86_400_000)`).
 * A day is blocked when it is listed, or when it lies outside `[openFromDay, openUntilDay)` (the span a
 * calendar of holidays covers; `-Infinity`/`Infinity` when nothing bounds it). The days never change;
 * queries are a lookup in a typed array, the last answer kept for the range of days it holds for, and
 * allocate nothing.
 */
export class BlackoutDays {
  /** Canonical text: equal for equal sets of blocked days; `''` when none is blocked. */
  readonly key: string;
  /** Whether no day is blocked. */
  readonly isEmpty: boolean;
  /** The first day of the open span: every earlier day is blocked (`-Infinity`: none is). */
  readonly openFromDay: number;
  /** The day after the open span: it and every later day are blocked (`Infinity`: none is). */
  readonly openUntilDay: number;
  /** The listed days inside the open span, ascending, without repeats. */
  readonly #days: Int32Array;
  /**
   * Per block of 32 days from the first listed day: the index of the first listed day in or after the
   * block, so that a lookup reads one entry and steps over the few days of one block. Empty when the
   * days lie too far apart for it to pay (then a binary search).
   */
  readonly #blockStart: Int32Array;
  /** The last answer of `nextBlockedDay`, and the days `[from, until)` it holds for (none at first). */
  #memoFromDay = 0;
  #memoUntilDay = 0;
  #memoBlockedDay = 0;

  constructor(days: Int32Array, openFromDay: number, openUntilDay: number, key: string) {
    this.#days = days;
    const span = days.length === 0 ? 0 : ((days[days.length - 1]! - days[0]!) >> BLOCK_SHIFT) + 1;
    const blocks = span <= MAX_BLOCKS_PER_DAY * days.length ? span : 0;
    this.#blockStart = new Int32Array(blocks);
    for (let b = 0, i = 0; b < blocks; b++) {
      const blockDay = days[0]! + (b << BLOCK_SHIFT);
      while (days[i]! < blockDay) i++;
      this.#blockStart[b] = i;
    }
    this.openFromDay = openFromDay;
    this.openUntilDay = openUntilDay;
    this.key = key;
    this.isEmpty =
      days.length === 0 &&
      openFromDay === Number.NEGATIVE_INFINITY &&
      openUntilDay === Number.POSITIVE_INFINITY;
  }

  /** The listed days inside the open span, ascending (a copy). */
  get days(): number[] {
    return Array.from(this.#days);
  }

  /** Whether nothing is allowed on local day `day`. */
  isBlocked(day: number): boolean {
    return this.nextBlockedDay(day) === day;
  }

  /** The first blocked day at or after `day`, or `Infinity` when none is. */
  nextBlockedDay(day: number): number {
    // Queries come in runs near one another: the answer of the last one holds for a range of days.
    if (day >= this.#memoFromDay && day < this.#memoUntilDay) return this.#memoBlockedDay;
    if (day < this.openFromDay || day >= this.openUntilDay) return day;
    const days = this.#days;
    const i = this.#indexAtOrAfter(day);
    const blocked = i < days.length ? days[i]! : this.openUntilDay;
    // Every day after the listed day before (or from the open span's start) up to `blocked` has this answer.
    this.#memoFromDay = i > 0 ? days[i - 1]! + 1 : this.openFromDay;
    this.#memoUntilDay = blocked + 1;
    this.#memoBlockedDay = blocked;
    return blocked;
  }

  /** The first day at or after `day` that is not blocked, or `Infinity` when none is. */
  nextOpenDay(day: number): number {
    let d = Math.max(day, this.openFromDay);
    const days = this.#days;
    // A run of consecutive listed days is walked one by one: holidays come one or a few at a time.
    for (let i = this.#indexAtOrAfter(d); i < days.length && days[i] === d; i++) d++;
    return d < this.openUntilDay ? d : Number.POSITIVE_INFINITY;
  }

  /** The index of the first listed day at or after `day` (`days.length` when none is). */
  #indexAtOrAfter(day: number): number {
    const days = this.#days;
    if (days.length === 0 || day <= days[0]!) return 0;
    if (day > days[days.length - 1]!) return days.length;
    const blockStart = this.#blockStart;
    if (blockStart.length === 0) return lowerBound(days, day);
    let i = blockStart[(day - days[0]!) >> BLOCK_SHIFT]!;
    while (days[i]! < day) i++;
    return i;
  }
}

/** Blocks of 32 days: a century of holidays has a few in each, and its index is a few KiB. */
const BLOCK_SHIFT = 5;
/** The most blocks per listed day worth an index: dates years apart get a binary search instead. */
const MAX_BLOCKS_PER_DAY = 16;

/** The first index whose day is at or after `day` (`days.length` when none is). */
function lowerBound(days: Int32Array, day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** No day blocked. */
export const NO_BLACKOUT_DAYS = new BlackoutDays(
  new Int32Array(0),
  Number.NEGATIVE_INFINITY,
  Number.POSITIVE_INFINITY,
  '',
);

/**
 * Blackout day sets by key, least recently used evicted beyond this many. A set spanning a century of
 * holidays is a few KiB; equal sets built again give an equal object (same `key`).
 */
export const BLACKOUT_CACHE_CAPACITY = 256;
const cache = new LruCache<string, BlackoutDays>(BLACKOUT_CACHE_CAPACITY);

/**
 * The blackout days of listed local days (any order, repeats fine) and an open span
 * `[openFromDay, openUntilDay)` (integers, or `-Infinity`/`Infinity`); listed days outside the span are
 * dropped, as the span blocks them already. Shared per distinct set (bounded cache).
 *
 * @throws RangeError when a listed day is not a 32-bit integer, or the span is not integers with
 *   `openFromDay <= openUntilDay`.
 */
export function blackoutDaysOf(
  listed: readonly number[],
  openFromDay: number = Number.NEGATIVE_INFINITY,
  openUntilDay: number = Number.POSITIVE_INFINITY,
): BlackoutDays {
  if (!(isSpanEnd(openFromDay) && isSpanEnd(openUntilDay) && openFromDay <= openUntilDay)) {
    throw new RangeError(`Expected an open span of whole days, got ${openFromDay}..${openUntilDay}`);
  }
  for (const day of listed) {
    if (!((day | 0) === day)) throw new RangeError(`Expected days as 32-bit integers, got ${day}`);
  }
  const days = Int32Array.from(new Set(listed))
    .filter((day) => day >= openFromDay && day < openUntilDay)
    .sort();
  const key = keyOf(days, openFromDay, openUntilDay);
  if (key === '') return NO_BLACKOUT_DAYS;
  let blackout = cache.get(key);
  if (blackout === undefined) {
    blackout = new BlackoutDays(days, openFromDay, openUntilDay, key);
    cache.set(key, blackout);
  }
  return blackout;
}

/** Entries in the blackout days cache now (for tests of its bound). */
export function blackoutCacheSize(): number {
  return cache.size;
}

function isSpanEnd(day: number): boolean {
  return (day | 0) === day || day === Number.NEGATIVE_INFINITY || day === Number.POSITIVE_INFINITY;
}

/**
 * One character per gap between listed days where it is under 62 (`0-9A-Za-z`), else `~`, the gap in
 * base 36 and `.`: holidays a few weeks apart take about a character each, so a century of them stays
 * a few KiB in every schedule key that holds it.
 */
const GAP_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `<openFromDay>..<openUntilDay>:<first day>:<gaps>` (span ends blank when unbounded), or `''` when nothing is blocked. */
function keyOf(days: Int32Array, openFromDay: number, openUntilDay: number): string {
  const from = openFromDay === Number.NEGATIVE_INFINITY ? '' : String(openFromDay);
  const until = openUntilDay === Number.POSITIVE_INFINITY ? '' : String(openUntilDay);
  if (days.length === 0 && from === '' && until === '') return '';
  let gaps = '';
  for (let i = 1; i < days.length; i++) {
    const gap = days[i]! - days[i - 1]!;
    gaps += gap < GAP_DIGITS.length ? GAP_DIGITS[gap] : `~${gap.toString(36)}.`;
  }
  return `${from}..${until}:${days.length === 0 ? '' : days[0]}:${gaps}`;
}

/** The blackout days of a {@link BlackoutDays.key}, or `undefined` when the text is not one. */
export function blackoutDaysOfKey(key: string): BlackoutDays | undefined {
  if (key === '') return NO_BLACKOUT_DAYS;
  const match = /^(-?\d+)?\.\.(-?\d+)?:(-?\d+)?:((?:[0-9A-Za-z]|~[0-9a-z]+\.)*)$/.exec(key);
  if (match === null) return undefined;
  const [, from, until, first, gaps] = match;
  const days: number[] = [];
  if (first !== undefined) {
    let day = Number(first);
    days.push(day);
    for (const [, digit, wide] of gaps!.matchAll(/([0-9A-Za-z])|~([0-9a-z]+)\./g)) {
      day += digit === undefined ? Number.parseInt(wide!, 36) : GAP_DIGITS.indexOf(digit);
      days.push(day);
    }
  } else if (gaps !== '') return undefined;
  const openFromDay = from === undefined ? Number.NEGATIVE_INFINITY : Number(from);
  const openUntilDay = until === undefined ? Number.POSITIVE_INFINITY : Number(until);
  try {
    const blackout = blackoutDaysOf(days, openFromDay, openUntilDay);
    // Only the canonical text of a set is its key (no zero gaps, no days outside the span).
    return blackout.key === key ? blackout : undefined;
  } catch {
    return undefined;
  }
}
