import { type BlackoutDays, NO_BLACKOUT_DAYS } from './blackout-days.js';
import { MAX_INSTANT_MS } from './instant.js';
import { LruCache } from './lru-cache.js';
import type { WeeklyWindows } from './weekly-windows.js';
import { MINUTES_PER_WEEK } from './weekly-windows.js';
import { YEARLY_RULES_FROM_MS, ZONES_REPEAT_MS, type ZoneRules } from './zone-rules.js';

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
/**
 * The end of the years 2101..2130 in every zone: a search from before YEARLY_RULES_FROM_MS that reaches
 * it has seen every kind of year (see nextWindow).
 */
const REFERENCE_YEARS_END_MS = Date.UTC(2131, 0, 2);
/** 1970-01-01 was a Thursday: Monday-based weekday 3. */
const EPOCH_WEEKDAY = 3;

/**
 * The compiled calling rules of one effective policy: weekly windows and blackout days read on the
 * wall clock of a zone, bounded by `[startMs, finishMs)`. Pure, immutable, shared by every job with the
 * same effective policy. An instant is allowed when it lies within the bounds, its wall-clock minute of
 * the week is allowed by `weekly`, and its wall-clock date is not a blackout day.
 *
 * A schedule can read the policy in several zones at once (spec section 12, a number whose area spans
 * several zones): then an instant is allowed only when it is allowed on the wall clock of **each** zone,
 * and every method answers for that exact intersection, DST changes included. The weekly windows,
 * blackout days and bounds are shared by the zones (the same policy and rules); `startMs` and `finishMs`
 * are then the latest start and the earliest finish of the policy read in each zone.
 *
 * The timeline ends at MAX_INSTANT_MS (the range of Date): no window starts after it, and a window
 * still open at it never closes (`end = Infinity`, as if every later instant were allowed too).
 * The loops finish: each step moves `t` strictly forward, to the end of the zone's current offset
 * period or to a local midnight that ends a run of blackout days; those are finitely many numbers up
 * to MAX_INSTANT_MS (blackout days are finitely many), then `Infinity` (the zone's last period), after
 * which a week of wall-clock time holds every flip of the weekly windows. With several zones, see
 * {@link CallSchedule.nextWindow} for why the search for a common window ends.
 *
 * @example
 * // 09:00-17:00 read in Chicago and in Denver: 10:00-17:00 Chicago time (09:00-16:00 Denver time).
 * new CallSchedule([zoneRulesOf('America/Chicago'), zoneRulesOf('America/Denver')], nineToFive, -Infinity, Infinity)
 */
export class CallSchedule {
  /** The zone; with several zones, the first of {@link zones}. */
  readonly zone: ZoneRules;
  /** Every zone the policy is read in, distinct by ID and sorted by it; `zones[0]` is `zone`. */
  readonly zones: readonly ZoneRules[];
  /** The IDs of {@link zones}, in the same order (frozen). */
  readonly zoneIds: readonly string[];
  /** The IDs of {@link zones} joined by `&` (`America/Chicago&America/Denver`): `zone.id` for one zone. */
  readonly zoneKey: string;
  readonly weekly: WeeklyWindows;
  /** First allowed instant; `-Infinity` when unbounded. */
  readonly startMs: number;
  /** First instant no longer allowed; `Infinity` when unbounded. */
  readonly finishMs: number;
  /** Local dates on which nothing is allowed. */
  readonly blackout: BlackoutDays;
  /** With several zones: the same schedule in each zone alone; `undefined` with one zone. */
  readonly #parts: readonly CallSchedule[] | undefined;
  /** With several zones: from here on no blackout day is listed (see nextWindow). */
  readonly #daysSettledMs: number;
  /** With several zones: whether every zone is a fixed offset. */
  readonly #isFixed: boolean;
  /** With several zones: the key of the unbounded pattern (zones, weekly, blackout), for the memo of empty ones. */
  readonly #patternKey: string;

  /**
   * @param zone The zone, or the zones (at least one; repeats by ID are dropped) the policy is read in.
   * @throws RangeError when `zone` is an empty list.
   */
  constructor(
    zone: ZoneRules | readonly ZoneRules[],
    weekly: WeeklyWindows,
    startMs: number,
    finishMs: number,
    blackout: BlackoutDays = NO_BLACKOUT_DAYS,
  ) {
    const { zones, zoneIds } = zoneListOf(zone);
    this.zone = zones[0]!;
    this.zones = zones;
    this.zoneIds = zoneIds;
    this.zoneKey = zones.length === 1 ? this.zone.id : zoneIds.join('&');
    this.weekly = weekly;
    this.startMs = startMs;
    this.finishMs = finishMs;
    this.blackout = blackout;
    if (zones.length === 1) {
      this.#parts = undefined;
      this.#daysSettledMs = Number.NaN;
      this.#isFixed = zones[0]!.isFixed;
      this.#patternKey = '';
      return;
    }
    this.#parts = zones.map((z) => new CallSchedule(z, weekly, startMs, finishMs, blackout));
    // Past the last listed blackout day (and the open span's first day) only the zones and the week
    // shape the pattern. A local day ends at most a day and 18 hours after its UTC midnight.
    const days = blackout.days;
    const lastDay = days.length === 0 ? Number.NEGATIVE_INFINITY : days[days.length - 1]!;
    this.#daysSettledMs = Math.max((lastDay + 2) * DAY_MS, (blackout.openFromDay + 2) * DAY_MS);
    this.#isFixed = zones.every((z) => z.isFixed);
    this.#patternKey = `${this.zoneKey}|${weekly.key}|${blackout.key}`;
  }

  /** Whether a call is allowed at `atMs` (spec section 3, the wall-clock rule; section 12, blackout days). */
  isAllowed(atMs: number): boolean {
    const parts = this.#parts;
    if (parts !== undefined) {
      for (const part of parts) if (!part.isAllowed(atMs)) return false;
      return true;
    }
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
   * included). Runs on across offset changes that keep it allowed. With several zones, the first
   * instant that some zone does not allow: the earliest of the zones' own window ends.
   */
  windowEnd(startMs: number): number {
    const parts = this.#parts;
    if (parts !== undefined) {
      let end = Number.POSITIVE_INFINITY;
      for (const part of parts) end = Math.min(end, part.windowEnd(startMs));
      return end;
    }
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
   *
   * With several zones, the first window common to all: each zone's window at or after `t`; the
   * latest start `s` is common when it is before the earliest end, and then the window is `s` to that
   * end (each zone's window is maximal, so no zone allows the instant at the earliest end); otherwise
   * `t = s` and the zones whose window ended by `s` look again. Each step moves `t` forward to some
   * zone's window start. When the zones never agree (09:00-10:00 in Chicago and in Denver), the search
   * ends by periodicity, once past the last listed blackout day: fixed offsets repeat the allowed
   * instants every week; region zones follow yearly rules from YEARLY_RULES_FROM_MS on, so that each
   * later instant has a copy, a whole number of weeks earlier, in a year of the same kind with
   * neighbours of the same kinds, and the years 2102..2129 hold every kind of such year (28 years of
   * leap years every 4; a century year that is not a leap year only makes a run of plain years, which
   * such a run of 28 also holds). So a search from before 2101 that finds nothing up to 2131 finds
   * nothing ever; one from later scans 400 years (the whole cycle). A found emptiness is remembered
   * per pattern (zones, weekly windows, blackout days).
   */
  nextWindow(fromMs: number): CallWindow | null {
    if (this.#parts !== undefined) return this.#nextCommonWindow(fromMs);
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

  /**
   * An instant such that a search for a common window from `scanFromMs` that finds none before it
   * proves there is none at all (see nextWindow); `firstStartMs` (at least `scanFromMs`) is the first
   * instant some zone allows.
   */
  #stopMs(scanFromMs: number, firstStartMs: number): number {
    const settledMs = this.#daysSettledMs;
    if (this.#isFixed) return Math.max(settledMs, firstStartMs) + WEEK_MS;
    if (Math.max(settledMs, scanFromMs) <= YEARLY_RULES_FROM_MS) return REFERENCE_YEARS_END_MS;
    return Math.max(settledMs, firstStartMs, YEARLY_RULES_FROM_MS) + ZONES_REPEAT_MS;
  }

  /** {@link nextWindow} with several zones. */
  #nextCommonWindow(fromMs: number): CallWindow | null {
    const { weekly, blackout, finishMs } = this;
    const parts = this.#parts!;
    if (weekly.isNever) return null;
    const scanFromMs = Math.max(fromMs, this.startMs);
    if (!(scanFromMs <= MAX_INSTANT_MS && scanFromMs < finishMs)) return null;
    // Every minute of every zone's week is allowed: only the bounds matter, as with one zone.
    if (weekly.isAlways && blackout.isEmpty) return { start: scanFromMs, end: endOnTimeline(finishMs) };
    const emptyFromMs = emptyPatterns.get(this.#patternKey) ?? Number.POSITIVE_INFINITY;
    if (scanFromMs >= emptyFromMs) return null;
    const windows: CallWindow[] = [];
    for (const part of parts) {
      const window = part.nextWindow(scanFromMs);
      if (window === null) return null;
      windows.push(window);
    }
    let stopMs = Number.NaN;
    for (;;) {
      let start = Number.NEGATIVE_INFINITY;
      let end = Number.POSITIVE_INFINITY;
      for (const window of windows) {
        if (window.start > start) start = window.start;
        if (window.end < end) end = window.end;
      }
      if (start < end) return { start, end };
      // No common instant in [scanFromMs, start): from how far on none means none ever (nextWindow).
      if (Number.isNaN(stopMs)) stopMs = Math.min(emptyFromMs, this.#stopMs(scanFromMs, start));
      if (start >= stopMs) {
        emptyPatterns.set(this.#patternKey, scanFromMs);
        return null;
      }
      for (let i = 0; i < windows.length; i++) {
        if (windows[i]!.end > start) continue;
        const window = parts[i]!.nextWindow(start);
        if (window === null) return null;
        windows[i] = window;
      }
    }
  }
}

/**
 * Patterns (zones, weekly windows, blackout days; the bounds left out) of several zones that allow no
 * instant from some instant on, to that instant: the proof takes a scan of centuries, done once.
 */
const emptyPatterns = new LruCache<string, number>(256);

/** The lists of one zone, shared by every schedule of that zone. */
const oneZoneLists = new WeakMap<ZoneRules, ZoneList>();

interface ZoneList {
  readonly zones: readonly ZoneRules[];
  readonly zoneIds: readonly string[];
}

/** The zones distinct by ID and sorted by it, and their IDs (frozen). */
function zoneListOf(zone: ZoneRules | readonly ZoneRules[]): ZoneList {
  const list = zone as readonly ZoneRules[];
  const one = !Array.isArray(zone) ? (zone as ZoneRules) : list.length === 1 ? list[0]! : undefined;
  if (one !== undefined) {
    let shared = oneZoneLists.get(one);
    if (shared === undefined) {
      shared = { zones: Object.freeze([one]), zoneIds: Object.freeze([one.id]) };
      oneZoneLists.set(one, shared);
    }
    return shared;
  }
  const byId = new Map<string, ZoneRules>();
  for (const z of list) if (!byId.has(z.id)) byId.set(z.id, z);
  if (byId.size === 0) throw new RangeError('Expected at least one zone, got an empty list.');
  if (byId.size === 1) return zoneListOf(list[0]!);
  const zoneIds = Object.freeze([...byId.keys()].sort());
  return { zones: Object.freeze(zoneIds.map((id) => byId.get(id)!)), zoneIds };
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
