import { LruCache } from './lru-cache.js';
import type { TimeInterval, WeeklyRules } from './weekly-rules.js';

/** Minutes in a week; minute-of-week 0 is Monday 00:00 local time. */
export const MINUTES_PER_WEEK = 10_080;
const MINUTES_PER_DAY = 1440;

/**
 * The allowed local minutes of a week. `distance(minute)` is the number of minutes until allowed-ness
 * next flips, positive where the minute is allowed and negative where it is not. Stored per hour (an
 * hour without a flip inside needs one number) plus a block of 60 minutes for each hour with one, about
 * 1 to 3 KiB per distinct set of rules, so that thousands of them stay in the CPU caches.
 */
export class WeeklyWindows {
  /** Canonical text of the rules, equal for equal sets of allowed minutes. */
  readonly key: string;
  /** Whether every minute of the week is allowed. */
  readonly isAlways: boolean;
  /** Whether no minute of the week is allowed. */
  readonly isNever: boolean;
  /** Per hour of the week: `distance` of its first minute, or 0 when a flip falls inside the hour. */
  readonly #hourDistance: Int16Array;
  /** Per hour with a flip inside: where its 60 minutes start in `#minuteDistance`. */
  readonly #blockStart: Int16Array;
  readonly #minuteDistance: Int16Array;

  constructor(allowed: Uint8Array, key: string) {
    this.key = key;
    let flips = 0;
    for (let m = 0; m < MINUTES_PER_WEEK; m++)
      if (allowed[m] !== allowed[(m + 1) % MINUTES_PER_WEEK]) flips++;
    this.isAlways = flips === 0 && allowed[0] === 1;
    this.isNever = flips === 0 && allowed[0] === 0;
    const dense = new Int16Array(MINUTES_PER_WEEK);
    // Without flips the distance only needs its sign: a week's worth keeps it within every hour.
    if (flips === 0) dense.fill(allowed[0] === 1 ? MINUTES_PER_WEEK : -MINUTES_PER_WEEK);
    else {
      // Walk backwards twice around the week so that every minute sees the flip after it.
      let distance = 0;
      for (let k = 2 * MINUTES_PER_WEEK - 1; k >= 0; k--) {
        const m = k % MINUTES_PER_WEEK;
        distance = allowed[m] !== allowed[(m + 1) % MINUTES_PER_WEEK] ? 1 : distance + 1;
        dense[m] = allowed[m] === 1 ? distance : -distance;
      }
    }
    this.#hourDistance = new Int16Array(HOURS_PER_WEEK);
    this.#blockStart = new Int16Array(HOURS_PER_WEEK);
    const blocks: number[] = [];
    for (let h = 0; h < HOURS_PER_WEEK; h++) {
      const first = h * 60;
      let flipInside = false;
      for (let m = first + 1; m < first + 60; m++) if (allowed[m] !== allowed[m - 1]) flipInside = true;
      if (flipInside && flips > 0) {
        this.#blockStart[h] = blocks.length;
        for (let m = first; m < first + 60; m++) blocks.push(dense[m]!);
      } else this.#hourDistance[h] = dense[first]!;
    }
    this.#minuteDistance = Int16Array.from(blocks);
  }

  /** Minutes from local minute-of-week `minute` (0..10079) to the next flip; negative where not allowed. */
  distance(minute: number): number {
    const hour = (minute / 60) | 0;
    const atHourStart = this.#hourDistance[hour]!;
    const intoHour = minute - hour * 60;
    if (atHourStart > 0) return atHourStart - intoHour;
    if (atHourStart < 0) return atHourStart + intoHour;
    return this.#minuteDistance[this.#blockStart[hour]! + intoHour]!;
  }
}

const HOURS_PER_WEEK = 168;

/**
 * Weekly windows by key, least recently used evicted beyond this many (1 to 3 KiB each, so at most a
 * few MiB). An evicted one lives on in the schedules that hold it; equal rules built again give an
 * equal object (same `key`).
 */
export const WEEKLY_CACHE_CAPACITY = 2048;
const cache = new LruCache<string, WeeklyWindows>(WEEKLY_CACHE_CAPACITY);

/** Entries in the weekly windows cache now (for tests of its bound). */
export function weeklyCacheSize(): number {
  return cache.size;
}

/** The weekly windows of per-weekday interval lists (Monday first); shared per distinct rules (bounded cache). */
export function weeklyWindowsOfRules(rules: WeeklyRules): WeeklyWindows {
  const key = keyOfRules(rules);
  let weekly = cache.get(key);
  if (weekly === undefined) {
    weekly = new WeeklyWindows(allowedMinutesOf(rules), key);
    cache.set(key, weekly);
  }
  return weekly;
}

function keyOfRules(rules: WeeklyRules): string {
  return rules
    .map((list) =>
      list
        .map((i) => `${i.fromMinute}-${i.toMinute}`)
        .sort()
        .join(','),
    )
    .join('|');
}

/** The allowed minutes of the week (1 allowed, 0 not), minute-of-week 0 being Monday 00:00 local time. */
export function allowedMinutesOf(rules: WeeklyRules): Uint8Array {
  const allowed = new Uint8Array(MINUTES_PER_WEEK);
  rules.forEach((list, day) => {
    const dayStart = day * MINUTES_PER_DAY;
    for (const { fromMinute, toMinute } of list) {
      if (fromMinute < toMinute) allowed.fill(1, dayStart + fromMinute, dayStart + toMinute);
      else {
        // Overnight: to the end of its own day, then the next day (Sunday's wraps to Monday) until `to`.
        allowed.fill(1, dayStart + fromMinute, dayStart + MINUTES_PER_DAY);
        const nextDayStart = ((day + 1) % 7) * MINUTES_PER_DAY;
        allowed.fill(1, nextDayStart, nextDayStart + toMinute);
      }
    }
  });
  return allowed;
}

/**
 * The rules allowing exactly the minutes allowed both by `rules` and by `others` (a table of
 * `allowedMinutesOf`), on the same wall clock. When `others` narrows nothing, `rules` itself, so that
 * its key stays the key it has alone; otherwise each day's maximal runs of allowed minutes, cut at
 * midnight (`20:00-24:00` and `00:00-03:00`, never `20:00-03:00`), so that equal sets of minutes give
 * equal rules and keys.
 */
export function intersectWeeklyRules(rules: WeeklyRules, others: Uint8Array): WeeklyRules {
  const allowed = allowedMinutesOf(rules);
  let narrowed = false;
  for (let m = 0; m < MINUTES_PER_WEEK; m++) {
    if (allowed[m] === 1 && others[m] === 0) {
      allowed[m] = 0;
      narrowed = true;
    }
  }
  if (!narrowed) return rules;
  return weeklyRulesOfMinutes(allowed);
}

/**
 * The rules allowing exactly the minutes of a table of {@link allowedMinutesOf}: each day's maximal runs
 * of allowed minutes, cut at midnight, so that equal tables give equal rules and keys.
 */
export function weeklyRulesOfMinutes(allowed: Uint8Array): WeeklyRules {
  const days: TimeInterval[][] = [];
  for (let day = 0; day < 7; day++) {
    const dayStart = day * MINUTES_PER_DAY;
    const list: TimeInterval[] = [];
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      if (allowed[dayStart + m] === 0) continue;
      const fromMinute = m;
      while (m < MINUTES_PER_DAY && allowed[dayStart + m] === 1) m++;
      list.push({ fromMinute, toMinute: m });
    }
    days.push(list);
  }
  return days;
}

/** The rules of a `WeeklyWindows.key`, or undefined when the text is not one. */
export function rulesOfKey(key: string): TimeInterval[][] | undefined {
  const days = key.split('|');
  if (days.length !== 7) return undefined;
  const rules: TimeInterval[][] = [];
  for (const day of days) {
    const list: TimeInterval[] = [];
    for (const part of day === '' ? [] : day.split(',')) {
      const match = /^(\d{1,4})-(\d{1,4})$/.exec(part);
      const fromMinute = Number(match?.[1]);
      const toMinute = Number(match?.[2]);
      if (!match || fromMinute > 1439 || toMinute > 1440 || fromMinute === toMinute) return undefined;
      list.push({ fromMinute, toMinute });
    }
    rules.push(list);
  }
  return rules;
}
