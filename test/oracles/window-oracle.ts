/**
 * Brute-force reference for spec section 3, written from the spec alone: it reads the raw entry-shaped
 * policy and asks luxon for the wall-clock time of each instant and for the zone's offsets.
 * It shares no code with src/schedule.
 *
 * The answer of the rule can only change where the wall clock crosses a minute some rule names (an
 * interval's from or to, midnight), where the zone's offset changes, or at start and finish. The scan
 * visits exactly those instants (`scan: 'candidates'`, the default). `scan: 'minutes'` visits every
 * local minute boundary instead, and resolves local date-times by a minute scan: the slow original,
 * kept to check the fast one.
 */
import { DateTime, IANAZone } from 'luxon';

type Interval = { localTimeFrom: string; localTimeTo: string };
export type OraclePolicy = {
  startDateTime?: string | number;
  finishDateTime?: string | number;
  allowedDays?: string[];
  allowedTime?: Record<string, Interval[]>;
  gmtZone?: string;
};

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
): { weekday: number; minuteOfDay: number; second: number; ms: number } {
  const dt =
    'name' in zone
      ? DateTime.fromMillis(t, { zone: zone.name })
      : DateTime.fromMillis(t + zone.fixedSeconds * 1000, { zone: 'utc' });
  return {
    weekday: dt.weekday - 1,
    minuteOfDay: dt.hour * 60 + dt.minute,
    second: dt.second,
    ms: dt.millisecond,
  };
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
  /** Every minute of day some rule starts or ends at, with 0 and 1440 (midnight), ascending. */
  readonly #ruleMinutes: number[];

  constructor(policy: OraclePolicy, defaults: OraclePolicy = {}, scan: OracleScan = 'candidates') {
    this.scan = scan;
    this.#policy = policy;
    this.#defaults = defaults;
    this.zone = zoneOf(policy.gmtZone ?? defaults.gmtZone);
    const start = policy.startDateTime ?? defaults.startDateTime;
    const finish = policy.finishDateTime ?? defaults.finishDateTime;
    this.startMs = start === undefined ? -Infinity : instantOf(start, this.zone, scan);
    this.finishMs = finish === undefined ? Infinity : instantOf(finish, this.zone, scan);
    const minutes = new Set([0, 1440]);
    for (let d = 0; d < 7; d++) {
      for (const { localTimeFrom, localTimeTo } of rulesOf(d, policy, defaults)) {
        minutes.add(minutesOf(localTimeFrom));
        minutes.add(minutesOf(localTimeTo));
      }
    }
    this.#ruleMinutes = [...minutes].sort((a, b) => a - b);
  }

  /** Spec section 3, the wall-clock rule, for one instant. */
  isAllowed(t: number): boolean {
    if (!(t >= this.startMs && t < this.finishMs)) return false;
    const { weekday, minuteOfDay } = wallClock(this.zone, t);
    for (const { localTimeFrom, localTimeTo } of rulesOf(weekday, this.#policy, this.#defaults)) {
      const from = minutesOf(localTimeFrom);
      const to = minutesOf(localTimeTo);
      if (from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from) return true;
    }
    for (const { localTimeFrom, localTimeTo } of rulesOf((weekday + 6) % 7, this.#policy, this.#defaults)) {
      const from = minutesOf(localTimeFrom);
      const to = minutesOf(localTimeTo);
      if (from > to && minuteOfDay < to) return true;
    }
    return false;
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
   * continuous allowed time means every minute of the week is allowed: then the end is the finish.
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
      if (t - start > 15 * 86_400_000) return { start, end: this.finishMs };
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
