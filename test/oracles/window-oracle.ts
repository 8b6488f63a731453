/**
 * Brute-force reference for spec section 3, written from the spec alone: it reads the raw entry-shaped
 * policy, asks luxon for the wall-clock time of each instant, and scans local minute boundaries.
 * It shares no code with src/schedule.
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
  if (!IANAZone.isValidZone(text)) throw new Error(`oracle: unknown zone ${text}`);
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

/** The instant of a date-time value: offsets as given; local times by a scan for the earliest match. */
function instantOf(value: string | number, zone: OracleZone): number {
  if (typeof value === 'number') return value;
  if (/(Z|[+-]\d{2}(:?\d{2})?)$/.test(value)) return DateTime.fromISO(value, { setZone: true }).toMillis();
  const local = DateTime.fromISO(value, { zone: 'utc' }).toMillis();
  if ('fixedSeconds' in zone) return local - zone.fixedSeconds * 1000;
  // Scan UTC instants around the local time for the earliest whose wall clock reads it.
  const asWall = (t: number) => {
    const dt = DateTime.fromMillis(t, { zone: zone.name });
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
  readonly #policy: OraclePolicy;
  readonly #defaults: OraclePolicy;

  constructor(policy: OraclePolicy, defaults: OraclePolicy = {}) {
    this.#policy = policy;
    this.#defaults = defaults;
    this.zone = zoneOf(policy.gmtZone ?? defaults.gmtZone);
    const start = policy.startDateTime ?? defaults.startDateTime;
    const finish = policy.finishDateTime ?? defaults.finishDateTime;
    this.startMs = start === undefined ? -Infinity : instantOf(start, this.zone);
    this.finishMs = finish === undefined ? Infinity : instantOf(finish, this.zone);
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

  /** The next instant after `t` at which the answer may change: a local minute boundary, start or finish. */
  #nextBoundary(t: number): number {
    const { second, ms } = wallClock(this.zone, t);
    let next = t + MINUTE - (second * 1000 + ms);
    if (this.startMs > t && this.startMs < next) next = this.startMs;
    if (this.finishMs > t && this.finishMs < next) next = this.finishMs;
    return next;
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

/** The instants in [fromMs, toMs) at which the zone's offset changes, found by scanning luxon offsets. */
export function transitionsOf(zoneName: string, fromMs: number, toMs: number): number[] {
  const zone = IANAZone.create(zoneName);
  const found: number[] = [];
  const step = 6 * 3600_000;
  for (let t = fromMs; t < toMs; t += step) {
    if (zone.offset(t) === zone.offset(t + step)) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (zone.offset(mid) === zone.offset(t)) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  return found;
}
