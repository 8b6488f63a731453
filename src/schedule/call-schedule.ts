import type { WeeklyWindows } from './weekly-windows.js';
import type { ZoneRules } from './zone-rules.js';

/** A maximal allowed interval `[start, end)` in epoch ms; `end` is `Infinity` when it never closes. */
export interface CallWindow {
  readonly start: number;
  readonly end: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: Monday-based weekday 3. */
const EPOCH_WEEKDAY = 3;

/**
 * The compiled calling rules of one effective policy: weekly windows read on the wall clock of a zone,
 * bounded by `[startMs, finishMs)`. Pure, immutable, shared by every job with the same effective policy.
 */
export class CallSchedule {
  readonly zone: ZoneRules;
  readonly weekly: WeeklyWindows;
  /** First allowed instant; `-Infinity` when unbounded. */
  readonly startMs: number;
  /** First instant no longer allowed; `Infinity` when unbounded. */
  readonly finishMs: number;

  constructor(zone: ZoneRules, weekly: WeeklyWindows, startMs: number, finishMs: number) {
    this.zone = zone;
    this.weekly = weekly;
    this.startMs = startMs;
    this.finishMs = finishMs;
  }

  /** Whether a call is allowed at `atMs` (spec section 3, the wall-clock rule). */
  isAllowed(atMs: number): boolean {
    if (!(atMs >= this.startMs && atMs < this.finishMs)) return false;
    return this.weekly.isAllowedMinute(minuteOfWeek(atMs + this.zone.offsetMsAt(atMs)));
  }

  /** The first allowed instant at or after `fromMs`, or `Infinity` when there is none. */
  nextStart(fromMs: number): number {
    const { zone, weekly, finishMs } = this;
    if (weekly.isNever) return Number.POSITIVE_INFINITY;
    let t = Math.max(fromMs, this.startMs);
    while (t < finishMs) {
      const offsetMs = zone.offsetMsAt(t);
      const localMs = t + offsetMs;
      const minute = minuteOfWeek(localMs);
      if (weekly.isAllowedMinute(minute)) return t;
      // Not allowed: the next flip turns it on; valid while the offset holds.
      const candidate = weekStartMs(localMs) + weekly.nextFlipAfter(minute) * MINUTE_MS - offsetMs;
      const periodEnd = zone.periodEndAfter(t);
      if (candidate < periodEnd) return candidate < finishMs ? candidate : Number.POSITIVE_INFINITY;
      t = periodEnd;
    }
    return Number.POSITIVE_INFINITY;
  }

  /**
   * The first instant after `startMs` that is not allowed, given that `startMs` is allowed; `Infinity`
   * when every instant from `startMs` on is allowed. Runs on across offset changes that keep it allowed.
   */
  windowEnd(startMs: number): number {
    const { zone, weekly, finishMs } = this;
    if (weekly.isAlways) return finishMs;
    let t = startMs;
    for (;;) {
      const offsetMs = zone.offsetMsAt(t);
      const localMs = t + offsetMs;
      const minute = minuteOfWeek(localMs);
      const candidate = weekStartMs(localMs) + weekly.nextFlipAfter(minute) * MINUTE_MS - offsetMs;
      const periodEnd = zone.periodEndAfter(t);
      if (candidate < periodEnd) return Math.min(candidate, finishMs);
      // The local run reaches an offset change: it goes on only if the new wall-clock time is allowed.
      t = periodEnd;
      if (t >= finishMs) return finishMs;
      if (!weekly.isAllowedMinute(minuteOfWeek(t + zone.offsetMsAt(t)))) return t;
    }
  }

  /** The first maximal allowed interval from `fromMs` (spec section 3), or `null` when none is left. */
  nextWindow(fromMs: number): CallWindow | null {
    const start = this.nextStart(fromMs);
    return start === Number.POSITIVE_INFINITY ? null : { start, end: this.windowEnd(start) };
  }
}

/** Minute-of-week (Monday 00:00 is 0) of a wall-clock time given as epoch-style local ms. */
export function minuteOfWeek(localMs: number): number {
  const sinceWeekStart = localMs - weekStartMs(localMs);
  return Math.floor(sinceWeekStart / MINUTE_MS);
}

/** Local ms of the Monday 00:00 at or before a wall-clock time. */
function weekStartMs(localMs: number): number {
  // Shift so that weeks start on Monday, then floor to whole weeks.
  const shifted = localMs + EPOCH_WEEKDAY * DAY_MS;
  return Math.floor(shifted / WEEK_MS) * WEEK_MS - EPOCH_WEEKDAY * DAY_MS;
}
