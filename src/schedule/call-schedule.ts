import { type BlackoutDays, NO_BLACKOUT_DAYS } from './blackout-days.js';
import { MAX_INSTANT_MS } from './instant.js';
import type { WeeklyWindows } from './weekly-windows.js';
import { MINUTES_PER_WEEK } from './weekly-windows.js';
import type { ZoneRules } from './zone-rules.js';

/**
 * A maximal allowed interval `[start, end)` in epoch ms; `end` is `Infinity` when it never closes. The
 * timeline ends at MAX_INSTANT_MS: `start` is at most that, and a window still open at it has
 * `end = Infinity`.
 */
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
 * The compiled calling rules of one effective policy: weekly windows and blackout days read on the
 * wall clock of a zone, bounded by `[startMs, finishMs)`. Pure, immutable, shared by every job with the
 * same effective policy. An instant is allowed when it lies within the bounds, its wall-clock minute of
 * the week is allowed by `weekly`, and its wall-clock date is not a blackout day.
 *
 * The timeline ends at MAX_INSTANT_MS (the range of Date): no window starts after it, and a window
 * still open at it never closes (`end = Infinity`, as if every later instant were allowed too).
 * The loops finish: each step moves `t` strictly forward, to the end of the zone's current offset
 * period or to a local midnight that ends a run of blackout days; those are finitely many numbers up
 * to MAX_INSTANT_MS (blackout days are finitely many), then `Infinity` (the zone's last period), after
 * which a week of wall-clock time holds every flip of the weekly windows.
 */
export class CallSchedule {
  readonly zone: ZoneRules;
  readonly weekly: WeeklyWindows;
  /** First allowed instant; `-Infinity` when unbounded. */
  readonly startMs: number;
  /** First instant no longer allowed; `Infinity` when unbounded. */
  readonly finishMs: number;
  /** Local dates on which nothing is allowed. */
  readonly blackout: BlackoutDays;

  constructor(
    zone: ZoneRules,
    weekly: WeeklyWindows,
    startMs: number,
    finishMs: number,
    blackout: BlackoutDays = NO_BLACKOUT_DAYS,
  ) {
    this.zone = zone;
    this.weekly = weekly;
    this.startMs = startMs;
    this.finishMs = finishMs;
    this.blackout = blackout;
  }

  /** Whether a call is allowed at `atMs` (spec section 3, the wall-clock rule; section 12, blackout days). */
  isAllowed(atMs: number): boolean {
    if (!(atMs >= this.startMs && atMs < this.finishMs)) return false;
    const localMs = atMs + this.zone.offsetMsAt(atMs);
    if (this.weekly.distance(Math.floor(msSinceWeekStart(localMs) / MINUTE_MS)) <= 0) return false;
    return this.blackout.isEmpty || !this.blackout.isBlocked(Math.floor(localMs / DAY_MS));
  }

  /** The first allowed instant at or after `fromMs`, or `Infinity` when there is none. */
  nextStart(fromMs: number): number {
    const window = this.nextWindow(fromMs);
    return window === null ? Number.POSITIVE_INFINITY : window.start;
  }

  /**
   * The first instant after `startMs` that is not allowed, given that `startMs` is allowed; `Infinity`
   * when every instant from `startMs` on is allowed, up to the end of the timeline (MAX_INSTANT_MS
   * included). Runs on across offset changes that keep it allowed.
   */
  windowEnd(startMs: number): number {
    const { zone, weekly, finishMs, blackout } = this;
    if (weekly.isAlways && blackout.isEmpty) return endOnTimeline(finishMs);
    let t = startMs;
    for (;;) {
      const offsetMs = zone.offsetMsAt(t);
      const localMs = t + offsetMs;
      const sinceWeekMs = msSinceWeekStart(localMs);
      const minute = Math.floor(sinceWeekMs / MINUTE_MS);
      const distance = weekly.distance(minute);
      if (distance < 0) return t;
      // A table that is always on has no flip: only a blackout day or the finish ends the window.
      let candidate = weekly.isAlways
        ? Number.POSITIVE_INFINITY
        : t - sinceWeekMs + (minute + distance) * MINUTE_MS;
      if (!blackout.isEmpty) {
        const day = Math.floor(localMs / DAY_MS);
        const blocked = blackout.nextBlockedDay(day);
        if (blocked === day) return t;
        candidate = Math.min(candidate, t + (blocked * DAY_MS - localMs));
      }
      // Always on with no blackout day ahead: only the finish ends it (no walk through the offsets).
      if (candidate === Number.POSITIVE_INFINITY) return endOnTimeline(finishMs);
      if (candidate < zone.periodEndMs) return endOnTimeline(Math.min(candidate, finishMs));
      // The local run reaches an offset change: it goes on only if the new wall-clock time is allowed.
      t = zone.periodEndMs;
      // The zone's last period ends at Infinity: past the timeline the window never closes.
      if (t >= finishMs || t > MAX_INSTANT_MS) return endOnTimeline(finishMs);
    }
  }

  /**
   * The first maximal allowed interval from `fromMs` (spec section 3), or `null` when none is left on
   * the timeline (none starts after MAX_INSTANT_MS; one still open at it has `end = Infinity`). The
   * start, then `windowEnd` of it, fused so that the common case reads the zone and the table once.
   */
  nextWindow(fromMs: number): CallWindow | null {
    const { zone, weekly, finishMs, blackout } = this;
    if (weekly.isNever) return null;
    let t = Math.max(fromMs, this.startMs);
    // Beyond this `t` only moves to period ends and blackout midnights, which are at most
    // MAX_INSTANT_MS or Infinity.
    if (!(t <= MAX_INSTANT_MS)) return null;
    if (weekly.isAlways && blackout.isEmpty)
      return t < finishMs ? { start: t, end: endOnTimeline(finishMs) } : null;
    while (t < finishMs) {
      const offsetMs = zone.offsetMsAt(t);
      const periodEndMs = zone.periodEndMs;
      const localMs = t + offsetMs;
      // Where the next blackout day begins, as wall-clock ms (Infinity when none is ahead).
      let blockedLocalMs = Number.POSITIVE_INFINITY;
      if (!blackout.isEmpty) {
        const day = Math.floor(localMs / DAY_MS);
        const blocked = blackout.nextBlockedDay(day);
        if (blocked === day) {
          // On a blackout day: go to the midnight that ends its run, if the offset still holds then.
          const open = blackout.nextOpenDay(day);
          if (open === Number.POSITIVE_INFINITY) return null;
          const midnightMs = t + (open * DAY_MS - localMs);
          t = Math.min(midnightMs, periodEndMs);
          continue;
        }
        blockedLocalMs = blocked * DAY_MS;
      }
      const sinceWeekMs = msSinceWeekStart(localMs);
      const minute = Math.floor(sinceWeekMs / MINUTE_MS);
      const distance = weekly.distance(minute);
      let start: number;
      let endCandidate: number;
      if (distance > 0) {
        start = t;
        endCandidate = weekly.isAlways
          ? Number.POSITIVE_INFINITY
          : t - sinceWeekMs + (minute + distance) * MINUTE_MS;
      } else {
        // The next flip turns it on, at that wall-clock time if the offset still holds then.
        start = t - sinceWeekMs + (minute - distance) * MINUTE_MS;
        if (start >= periodEndMs) {
          t = periodEndMs;
          continue;
        }
        // The flip falls on a blackout day: look again from that day's midnight.
        if (start - t >= blockedLocalMs - localMs) {
          t += blockedLocalMs - localMs;
          continue;
        }
        // The zone's last period never ends: a start found in it may lie past the timeline.
        if (!(start < finishMs && start <= MAX_INSTANT_MS)) return null;
        endCandidate = start + weekly.distance((minute - distance) % MINUTES_PER_WEEK) * MINUTE_MS;
      }
      endCandidate = Math.min(endCandidate, t + (blockedLocalMs - localMs));
      if (endCandidate < periodEndMs) {
        const end = Math.min(endCandidate, finishMs);
        return { start, end: end > MAX_INSTANT_MS ? Number.POSITIVE_INFINITY : end };
      }
      return { start, end: periodEndMs >= finishMs ? endOnTimeline(finishMs) : this.windowEnd(periodEndMs) };
    }
    return null;
  }
}

/** The end of a window on the timeline: one still open at MAX_INSTANT_MS never closes. */
function endOnTimeline(endMs: number): number {
  return endMs > MAX_INSTANT_MS ? Number.POSITIVE_INFINITY : endMs;
}

/** Milliseconds since the Monday 00:00 at or before a wall-clock time. */
function msSinceWeekStart(localMs: number): number {
  // 1970-01-01 was a Thursday: shift so that weeks start on Monday.
  const shifted = (localMs + EPOCH_WEEKDAY * DAY_MS) % WEEK_MS;
  return shifted < 0 ? shifted + WEEK_MS : shifted;
}
