/**
 * Brute-force reference for spec sections 3 and 12, written from the spec alone: it reads the raw
 * entry-shaped policy and rule objects, asks luxon for the wall-clock time of each instant and for the
 * zone's offsets, and the `date-holidays` package for holidays. It shares no code with src/.
 *
 * The answer of the rule can only change where the wall clock crosses a minute some policy or rule
 * names (an interval's from or to, midnight, where blackout days begin and end), where the zone's
 * offset changes, or at start and finish. The scan visits exactly those instants (`scan:
 * 'candidates'`, the default). `scan: 'minutes'` visits every local minute boundary instead, and
 * resolves local date-times by a minute scan: the slow original, kept to check the fast one.
 */
import { createRequire } from 'node:module';
import type HolidaysType from 'date-holidays';
import { DateTime, IANAZone } from 'luxon';

type Interval = { localTimeFrom: string; localTimeTo: string };
export type OraclePolicy = {
  startDateTime?: string | number;
  finishDateTime?: string | number;
  allowedDays?: string[];
  allowedTime?: Record<string, Interval[]>;
  gmtZone?: string;
};

/** A calling rule as the `rules` option writes it (spec section 12); `appliesTo` is not read (no phone). */
export type OracleRule = {
  name: string;
  appliesTo?: unknown;
  allowedDays?: string[];
  allowedTime?: Record<string, Interval[]>;
  blackoutDates?: string[];
  holidays?: { country: string; region?: string; types?: string[] };
  maxAttemptsPer24h?: number;
};

/** How the oracle is asked: the kind of scan, and calling rules over the policy. */
export type OracleOptions = { scan?: OracleScan; rules?: readonly OracleRule[] };

/**
 * The years a `holidays` rule reads from the calendar (README, "Choices where the spec is silent"):
 * outside them such a rule allows nothing.
 */
const HOLIDAY_YEARS = [2000, 2099] as const;

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MINUTE = 60_000;
/**
 * How often transitionsOf samples a zone's offset: no zone changes it twice within a day (none of the
 * test zones does in 2020..2035; 10-minute sampling finds the same changes).
 */
const SAMPLE_MS = 86_400_000;

/** The zone: a fixed offset in seconds, or an IANA name. */
type OracleZone = { fixedSeconds: number } | { name: string };

function zoneOf(text: string | undefined): OracleZone {
  if (text === undefined || text === 'Z' || text === 'UTC' || text === 'GMT' || text === 'UT')
    return { fixedSeconds: 0 };
  const m = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(text);
  if (m) {
    const sign = m[1] === '-' ? -1 : 1;
    return { fixedSeconds: sign * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) };
  }
  // create() caches the zone and its validity; isValidZone() would build a formatter on every call.
  if (!IANAZone.create(text).isValid) throw new Error(`oracle: unknown zone ${text}`);
  return { name: text };
}

/** Wall-clock fields of an instant in the zone. */
function wallClock(
  zone: OracleZone,
  t: number,
): { weekday: number; minuteOfDay: number; second: number; ms: number; date: string } {
  const dt =
    'name' in zone
      ? DateTime.fromMillis(t, { zone: zone.name })
      : DateTime.fromMillis(t + zone.fixedSeconds * 1000, { zone: 'utc' });
  return {
    weekday: dt.weekday - 1,
    minuteOfDay: dt.hour * 60 + dt.minute,
    second: dt.second,
    ms: dt.millisecond,
    date: dt.toISODate()!,
  };
}

const requireHolidays = createRequire(import.meta.url);
/** Holiday dates per calendar, `country|region|types` -> every local date touched in HOLIDAY_YEARS. */
const holidaySets = new Map<string, Set<string>>();

/**
 * The local dates a rule's `holidays` blacks out: every date a holiday of one of the types (default
 * public) touches, from its start to its end (read in UTC, so that the calendar's times are local).
 */
function holidaySet(ref: NonNullable<OracleRule['holidays']>): Set<string> {
  const types = ref.types ?? ['public'];
  const key = `${ref.country}|${ref.region ?? ''}|${[...types].sort().join(',')}`;
  let dates = holidaySets.get(key);
  if (dates !== undefined) return dates;
  const Holidays = requireHolidays('date-holidays') as typeof HolidaysType;
  const calendar =
    ref.region === undefined
      ? new Holidays(ref.country, { timezone: 'UTC' })
      : new Holidays(ref.country, ref.region.split('-')[1]!, { timezone: 'UTC' });
  dates = new Set();
  // A year's list may hold a holiday that starts on the last evening of the year before.
  for (let year = HOLIDAY_YEARS[0] - 1; year <= HOLIDAY_YEARS[1] + 1; year++) {
    for (const holiday of calendar.getHolidays(year)) {
      if (!types.includes(holiday.type)) continue;
      const end = DateTime.fromJSDate(holiday.end, { zone: 'utc' });
      for (
        let d = DateTime.fromJSDate(holiday.start, { zone: 'utc' }).startOf('day');
        d < end;
        d = d.plus({ days: 1 })
      ) {
        dates.add(d.toISODate()!);
      }
    }
  }
  holidaySets.set(key, dates);
  return dates;
}

/** Whether the wall clock (weekday, minute of day) is within the intervals of `policy` over `defaults`. */
function allowsWallClock(
  weekday: number,
  minuteOfDay: number,
  policy: OraclePolicy,
  defaults: OraclePolicy,
): boolean {
  for (const { localTimeFrom, localTimeTo } of rulesOf(weekday, policy, defaults)) {
    const from = minutesOf(localTimeFrom);
    const to = minutesOf(localTimeTo);
    if (from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from) return true;
  }
  for (const { localTimeFrom, localTimeTo } of rulesOf((weekday + 6) % 7, policy, defaults)) {
    const from = minutesOf(localTimeFrom);
    const to = minutesOf(localTimeTo);
    if (from > to && minuteOfDay < to) return true;
  }
  return false;
}

/** A rule's blocked dates: its `blackoutDates` and holidays, and whether it blocks dates outside HOLIDAY_YEARS. */
type BlockedDates = { dates: Set<string>; outsideHolidayYears: boolean };

function blockedDatesOf(rule: OracleRule): BlockedDates {
  const dates = new Set(rule.blackoutDates ?? []);
  if (rule.holidays !== undefined) for (const date of holidaySet(rule.holidays)) dates.add(date);
  return { dates, outsideHolidayYears: rule.holidays !== undefined };
}

function isBlocked(blocked: BlockedDates, date: string): boolean {
  if (blocked.dates.has(date)) return true;
  const year = Number(date.slice(0, 4));
  return blocked.outsideHolidayYears && (year < HOLIDAY_YEARS[0] || year > HOLIDAY_YEARS[1]);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** How the oracle looks for changes of the answer: at candidate instants only, or at every minute. */
export type OracleScan = 'candidates' | 'minutes';

/**
 * The instant of a date-time value: offsets as given; a local time is the earliest instant whose wall
 * clock reads it, or in a gap the local time read with the offset before the gap.
 */
function instantOf(value: string | number, zone: OracleZone, scan: OracleScan): number {
  if (typeof value === 'number') return value;
  if (/(Z|[+-]\d{2}(:?\d{2})?)$/.test(value)) return DateTime.fromISO(value, { setZone: true }).toMillis();
  const local = DateTime.fromISO(value, { zone: 'utc' }).toMillis();
  if ('fixedSeconds' in zone) return local - zone.fixedSeconds * 1000;
  return scan === 'minutes' ? instantOfByMinutes(local, zone.name) : instantOfByPeriods(local, zone.name);
}

type OffsetPeriod = { begin: number; offsetMs: number };

/**
 * The periods of constant offset that meet [fromMs, toMs), in order: `begin` is a transition (or
 * `fromMs` for the first), `offsetMs` the offset from there to the next period's begin.
 */
function offsetPeriods(zoneName: string, fromMs: number, toMs: number): OffsetPeriod[] {
  const zone = IANAZone.create(zoneName);
  const begins = [fromMs, ...transitionsBetween(zoneName, fromMs, toMs)];
  return begins.map((begin) => ({ begin, offsetMs: zone.offset(begin) * MINUTE }));
}

/** A local time (as UTC ms) in a region zone, from the offset periods within 20 hours of it. */
function instantOfByPeriods(local: number, zoneName: string): number {
  const periods = offsetPeriods(zoneName, local - 20 * 3600_000, local + 20 * 3600_000);
  // Each period reads `local` at most once, at local - offset; periods are in order, so the first is earliest.
  for (const [i, { begin, offsetMs }] of periods.entries()) {
    const end = periods[i + 1]?.begin ?? Infinity;
    const t = local - offsetMs;
    if (t >= begin && t < end) return t;
  }
  // A gap: the first period whose wall clock starts after `local`; read `local` with the one before it.
  for (const [i, { begin, offsetMs }] of periods.entries()) {
    if (i > 0 && begin + offsetMs > local) return local - periods[i - 1]!.offsetMs;
  }
  throw new Error('oracle: no instant for local time');
}

/** A local time (as UTC ms) in a region zone, by scanning minutes for the earliest whose wall clock reads it. */
function instantOfByMinutes(local: number, zoneName: string): number {
  // Scan UTC instants around the local time for the earliest whose wall clock reads it.
  const asWall = (t: number) => {
    const dt = DateTime.fromMillis(t, { zone: zoneName });
    return DateTime.utc(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.millisecond).toMillis();
  };
  for (let t = local - 20 * 3600_000; t <= local + 20 * 3600_000; t += MINUTE) {
    if (asWall(t) === local) return t;
  }
  // In a gap: move forward by the gap, i.e. read the wall clock with the offset before it.
  for (let t = local - 20 * 3600_000; t <= local + 20 * 3600_000; t += MINUTE) {
    if (asWall(t) > local) {
      const offsetBefore = asWall(t - MINUTE) - (t - MINUTE);
      return local - offsetBefore;
    }
  }
  throw new Error('oracle: no instant for local time');
}

/** The rules (intervals) of weekday `d` (0 = Monday) after inheritance. */
function rulesOf(d: number, policy: OraclePolicy, defaults: OraclePolicy): Interval[] {
  const days = policy.allowedDays ?? defaults.allowedDays;
  const key = DAYS[d]!;
  if (days !== undefined && !days.includes(key)) return [];
  return (
    policy.allowedTime?.[key] ??
    policy.allowedTime?.default ??
    defaults.allowedTime?.[key] ??
    defaults.allowedTime?.default ?? [{ localTimeFrom: '00:00', localTimeTo: '24:00' }]
  );
}

/** A compiled oracle: the rule for one instant and the scan for the next window. */
export class WindowOracle {
  readonly zone: OracleZone;
  readonly startMs: number;
  readonly finishMs: number;
  readonly scan: OracleScan;
  readonly #policy: OraclePolicy;
  readonly #defaults: OraclePolicy;
  readonly #rules: readonly OracleRule[];
  readonly #blocked: readonly BlockedDates[];
  /** Every minute of day some policy or rule interval starts or ends at, with 0 and 1440 (midnight), ascending. */
  readonly #ruleMinutes: number[];

  constructor(policy: OraclePolicy, defaults: OraclePolicy = {}, options: OracleOptions = {}) {
    const scan = options.scan ?? 'candidates';
    this.scan = scan;
    this.#policy = policy;
    this.#defaults = defaults;
    this.#rules = options.rules ?? [];
    this.#blocked = this.#rules.map(blockedDatesOf);
    this.zone = zoneOf(policy.gmtZone ?? defaults.gmtZone);
    const start = policy.startDateTime ?? defaults.startDateTime;
    const finish = policy.finishDateTime ?? defaults.finishDateTime;
    this.startMs = start === undefined ? -Infinity : instantOf(start, this.zone, scan);
    this.finishMs = finish === undefined ? Infinity : instantOf(finish, this.zone, scan);
    const minutes = new Set([0, 1440]);
    const layers: [OraclePolicy, OraclePolicy][] = [
      [policy, defaults],
      ...this.#rules.map((rule): [OraclePolicy, OraclePolicy] => [rule, {}]),
    ];
    for (const [own, below] of layers) {
      for (let d = 0; d < 7; d++) {
        for (const { localTimeFrom, localTimeTo } of rulesOf(d, own, below)) {
          minutes.add(minutesOf(localTimeFrom));
          minutes.add(minutesOf(localTimeTo));
        }
      }
    }
    this.#ruleMinutes = [...minutes].sort((a, b) => a - b);
  }

  /**
   * Spec section 3, the wall-clock rule, for one instant, and section 12: every rule's days and hours
   * (absent: the whole week) on the same wall clock, and no rule's blackout date.
   */
  isAllowed(t: number): boolean {
    if (!(t >= this.startMs && t < this.finishMs)) return false;
    const { weekday, minuteOfDay, date } = wallClock(this.zone, t);
    if (!allowsWallClock(weekday, minuteOfDay, this.#policy, this.#defaults)) return false;
    return this.#rules.every(
      (rule, i) => allowsWallClock(weekday, minuteOfDay, rule, {}) && !isBlocked(this.#blocked[i]!, date),
    );
  }

  /**
   * The first instant at or after `t` whose local date some rule blocks, when no minute of the week is
   * blocked (every rule and the policy allow the whole week): the start of the first blocked date after
   * the date of `t`, or `finishMs`, whichever comes first.
   */
  #nextBlockedInstant(t: number): number {
    const { date } = wallClock(this.zone, t);
    let next: string | undefined;
    for (const blocked of this.#blocked) {
      for (const candidate of blocked.dates)
        if (candidate > date && (next === undefined || candidate < next)) next = candidate;
      const afterYears = `${HOLIDAY_YEARS[1] + 1}-01-01`;
      if (blocked.outsideHolidayYears && afterYears > date && (next === undefined || afterYears < next))
        next = afterYears;
    }
    if (next === undefined) return this.finishMs;
    return Math.min(this.finishMs, instantOf(`${next}T00:00`, this.zone, this.scan));
  }

  /** The next instant after `t` at which the answer may change, for the oracle's kind of scan. */
  #nextBoundary(t: number): number {
    let next = this.scan === 'minutes' ? this.#nextMinute(t) : this.#nextCandidate(t);
    if (this.startMs > t && this.startMs < next) next = this.startMs;
    if (this.finishMs > t && this.finishMs < next) next = this.finishMs;
    return next;
  }

  /** The next local minute boundary after `t`. */
  #nextMinute(t: number): number {
    const { second, ms } = wallClock(this.zone, t);
    return t + MINUTE - (second * 1000 + ms);
  }

  /**
   * The next instant after `t` at which the wall clock reaches a minute in #ruleMinutes (midnight
   * included), or the zone's offset changes. Up to there the offset is constant, so the wall clock runs
   * on inside one day and between two rule minutes: weekday and rule matches stay as they are at `t`.
   */
  #nextCandidate(t: number): number {
    const { minuteOfDay, second, ms } = wallClock(this.zone, t);
    const localMsOfDay = (minuteOfDay * 60 + second) * 1000 + ms;
    // 1440 is in the list, so some rule minute always lies ahead.
    const ruleMinute = this.#ruleMinutes.find((m) => m * MINUTE > localMsOfDay)!;
    const next = t + ruleMinute * MINUTE - localMsOfDay;
    if ('fixedSeconds' in this.zone) return next;
    return transitionsBetween(this.zone.name, t, next)[0] ?? next;
  }

  /**
   * Scan for the first maximal allowed interval at or after `from`. Gives up on the start after
   * `horizonMs` without an allowed instant (returns null); an end not found within 15 days of
   * continuous allowed time means every minute of the week is allowed: then the end is the first blocked
   * date, or the finish.
   */
  nextWindow(from: number, horizonMs = 400 * 86_400_000): { start: number; end: number } | null {
    let t = Math.max(from, this.startMs);
    const limit = t + horizonMs;
    while (!this.isAllowed(t)) {
      if (t >= this.finishMs || t > limit) return null;
      t = this.#nextBoundary(t);
    }
    const start = t;
    while (this.isAllowed(t)) {
      // 15 days allowed on end: every minute of the week is, so only a blocked date or the finish ends it.
      if (t - start > 15 * 86_400_000) return { start, end: this.#nextBlockedInstant(t) };
      t = this.#nextBoundary(t);
    }
    return { start, end: t };
  }
}

/**
 * The instants in (fromMs, toMs] at which the zone's offset changes: luxon's offsets sampled daily,
 * each change bisected to the millisecond.
 */
export function transitionsOf(zoneName: string, fromMs: number, toMs: number): number[] {
  const zone = IANAZone.create(zoneName);
  const found: number[] = [];
  for (let t = fromMs; t < toMs; t += SAMPLE_MS) {
    const end = Math.min(t + SAMPLE_MS, toMs);
    const before = zone.offset(t);
    if (before === zone.offset(end)) continue;
    // Invariant: the offset at lo is the one at t, the offset at hi is not.
    let lo = t;
    let hi = end;
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (zone.offset(mid) === before) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  return found;
}

/** transitionsOf per zone and UTC year, `${zone} ${year}` -> the changes in (1 January, next 1 January]. */
const transitionsByYear = new Map<string, number[]>();

/** The instants in (fromMs, toMs) at which the zone's offset changes, ascending, from per-year tables. */
function transitionsBetween(zoneName: string, fromMs: number, toMs: number): number[] {
  const found: number[] = [];
  for (let year = new Date(fromMs).getUTCFullYear(); Date.UTC(year, 0, 1) < toMs; year++) {
    const key = `${zoneName} ${year}`;
    let changes = transitionsByYear.get(key);
    if (changes === undefined) {
      changes = transitionsOf(zoneName, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
      transitionsByYear.set(key, changes);
    }
    found.push(...changes.filter((t) => t > fromMs && t < toMs));
  }
  return found;
}
