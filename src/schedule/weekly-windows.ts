import { type AllowedTime, type PolicyFields, type TimeInterval, WEEKDAYS } from '../policy/types.js';

/** Minutes in a week; minute-of-week 0 is Monday 00:00 local time. */
export const MINUTES_PER_WEEK = 10_080;
const MINUTES_PER_DAY = 1440;
const WHOLE_DAY: readonly TimeInterval[] = [{ fromMinute: 0, toMinute: MINUTES_PER_DAY }];

/**
 * The allowed local minutes of a week, as the sorted minutes-of-week at which allowed-ness flips.
 * Built once per distinct set of rules and shared.
 */
export class WeeklyWindows {
  /** Canonical text of the rules, equal for equal sets of allowed minutes. */
  readonly key: string;
  /** Whether every minute of the week is allowed. */
  readonly isAlways: boolean;
  /** Whether no minute of the week is allowed. */
  readonly isNever: boolean;
  readonly #flips: Int32Array;
  /** Allowed-ness of the week's last minute, which holds until the first flip. */
  readonly #allowedBeforeFirstFlip: number;

  constructor(allowed: Uint8Array, key: string) {
    const flips: number[] = [];
    for (let m = 0; m < MINUTES_PER_WEEK; m++) {
      if (allowed[m] !== allowed[(m + MINUTES_PER_WEEK - 1) % MINUTES_PER_WEEK]) flips.push(m);
    }
    this.key = key;
    this.#flips = Int32Array.from(flips);
    this.#allowedBeforeFirstFlip = allowed[MINUTES_PER_WEEK - 1]!;
    this.isAlways = flips.length === 0 && allowed[0] === 1;
    this.isNever = flips.length === 0 && allowed[0] === 0;
  }

  /** Whether local minute-of-week `minute` (0..10079) is allowed. */
  isAllowedMinute(minute: number): boolean {
    return ((this.#allowedBeforeFirstFlip ^ this.#flipsUpTo(minute)) & 1) === 1;
  }

  /**
   * The first minute-of-week after `minute` at which allowed-ness flips, counted from the same week's
   * Monday 00:00 (so it can be up to `minute + 10080`); `Infinity` when it never flips.
   */
  nextFlipAfter(minute: number): number {
    const flips = this.#flips;
    if (flips.length === 0) return Number.POSITIVE_INFINITY;
    const i = this.#flipsUpTo(minute);
    return i < flips.length ? flips[i]! : flips[0]! + MINUTES_PER_WEEK;
  }

  /** How many flips are at or before `minute` (binary search). */
  #flipsUpTo(minute: number): number {
    const flips = this.#flips;
    let lo = 0;
    let hi = flips.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (flips[mid]! <= minute) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const cache = new Map<string, WeeklyWindows>();

/**
 * The weekly windows of a policy over campaign defaults (spec section 3): the rules of weekday `d` are
 * none if `allowedDays` leaves `d` out, else the first of `allowedTime[d]`, `allowedTime.default`,
 * the defaults' `allowedTime[d]`, the defaults' `allowedTime.default`, else the whole day. An overnight
 * interval's after-midnight part belongs to the next day's minutes, whatever that day's rules.
 */
export function weeklyWindowsOf(policy: PolicyFields, defaults: PolicyFields = {}): WeeklyWindows {
  const days = policy.allowedDays ?? defaults.allowedDays;
  const rules = WEEKDAYS.map((day) =>
    days !== undefined && !days.includes(day)
      ? []
      : rulesOfDay(day, policy.allowedTime, defaults.allowedTime),
  );
  const key = rules
    .map((list) =>
      list
        .map((i) => `${i.fromMinute}-${i.toMinute}`)
        .sort()
        .join(','),
    )
    .join('|');
  let weekly = cache.get(key);
  if (weekly === undefined) {
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
    weekly = new WeeklyWindows(allowed, key);
    cache.set(key, weekly);
  }
  return weekly;
}

function rulesOfDay(
  day: (typeof WEEKDAYS)[number],
  own: AllowedTime | undefined,
  inherited: AllowedTime | undefined,
): readonly TimeInterval[] {
  return own?.[day] ?? own?.default ?? inherited?.[day] ?? inherited?.default ?? WHOLE_DAY;
}
