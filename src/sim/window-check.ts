/**
 * An independent check of spec section 3 for one instant, written from the spec alone with plain luxon
 * per instant. It shares no code with src/schedule (no offset tables, no weekly minute tables), so an
 * audit that uses it catches mistakes of the fast window math instead of repeating them.
 */
import { DateTime, IANAZone } from 'luxon';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const HOUR_MS = 3_600_000;
const WHOLE_DAY = [{ from: 0, to: 1440, text: 'the whole day' }];

/**
 * A policy as the call log writes it (see EffectivePolicy); read defensively, as it comes from a file.
 * `gmtZone` may list several zones: a number whose area spans them is allowed only when allowed in each.
 */
export interface CheckedPolicy {
  readonly gmtZone?: unknown;
  readonly allowedDays?: unknown;
  readonly allowedTime?: unknown;
  readonly startDateTime?: unknown;
  readonly finishDateTime?: unknown;
}

interface Interval {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** A policy prepared for checks: reusable for many instants. */
export interface WindowChecker {
  /** `undefined` when a call is allowed at `atMs`, else why not, in words a person can check. */
  violation(atMs: number): string | undefined;
}

/** The wall clock of an instant in a zone: a fixed offset in seconds, or an IANA zone luxon knows. */
export type Zone = { readonly fixedSeconds: number } | { readonly iana: IANAZone };

/** Calling days and hours (`allowedDays`, `allowedTime` as an entry or a rule writes them), prepared. */
export interface WeeklyCheck {
  /** `undefined` when the wall-clock time `wall` is inside the days and hours, else why not. */
  outside(wall: DateTime): string | undefined;
}

/**
 * Reads `allowedDays` and `allowedTime` (spec sections 2 and 3: half-open `HH:mm` intervals, an
 * overnight one running into the next day whatever that day allows; absent: every day, the whole day),
 * or throws an Error saying what is wrong with them.
 */
export function weeklyCheck(allowedDays: unknown, allowedTime: unknown): WeeklyCheck {
  const days = daysOf(allowedDays);
  const time = allowedTimeOf(allowedTime);
  const rulesOf = (day: number): readonly Interval[] => {
    if (days !== undefined && !days.has(DAYS[day]!)) return [];
    return time?.[DAYS[day]!] ?? time?.default ?? WHOLE_DAY;
  };
  return {
    outside(wall: DateTime): string | undefined {
      const minute = wall.hour * 60 + wall.minute;
      const day = wall.weekday - 1;
      const yesterday = (day + 6) % 7;
      for (const { from, to } of rulesOf(day)) {
        // An interval starting today: to the end of the day when it runs overnight.
        if (from < to ? minute >= from && minute < to : minute >= from) return undefined;
      }
      for (const { from, to } of rulesOf(yesterday)) {
        // The after-midnight part of yesterday's overnight interval, whatever today's rules are.
        if (from > to && minute < to) return undefined;
      }
      const today = rulesOf(day);
      const rules = today.length === 0 ? 'not an allowed day' : today.map((i) => i.text).join(', ');
      return `${DAYS[day]} ${wall.toFormat('yyyy-MM-dd HH:mm')} is outside the rules of the day (${rules})`;
    },
  };
}

/** The zone texts of a policy's `gmtZone`: one, several (an array), or `UTC` when absent. */
export function zoneTexts(gmtZone: unknown): readonly string[] {
  if (gmtZone === undefined) return ['UTC'];
  if (typeof gmtZone === 'string') return [gmtZone];
  if (Array.isArray(gmtZone) && gmtZone.length > 0 && gmtZone.every((z) => typeof z === 'string'))
    return gmtZone as string[];
  throw new Error(`gmtZone ${JSON.stringify(gmtZone)} is not a zone or a non-empty list of zones`);
}

/**
 * Prepares `policy` for checks, or throws an Error saying what is wrong with it (a log line that does
 * not hold a policy the spec accepts). A dial of several zones must be allowed in each (spec section
 * 12): after the start and before the finish as read in every zone, inside the weekly rules of every one.
 */
export function windowChecker(policy: CheckedPolicy): WindowChecker {
  const texts = zoneTexts(policy.gmtZone);
  const zones = texts.map(zoneOf);
  const { startDateTime, finishDateTime } = policy;
  const startMs =
    startDateTime === undefined
      ? -Infinity
      : Math.max(...zones.map((zone) => instantOf(startDateTime, zone)));
  const finishMs =
    finishDateTime === undefined
      ? Infinity
      : Math.min(...zones.map((zone) => instantOf(finishDateTime, zone)));
  const weekly = weeklyCheck(policy.allowedDays, policy.allowedTime);
  return {
    violation(atMs: number): string | undefined {
      if (atMs < startMs) return `before startDateTime ${new Date(startMs).toISOString()}`;
      if (atMs >= finishMs) return `at or after finishDateTime ${new Date(finishMs).toISOString()}`;
      for (let k = 0; k < zones.length; k++) {
        const why = weekly.outside(wallClock(zones[k]!, atMs));
        if (why !== undefined) return why.replace(' is outside', ` in ${texts[k]} is outside`);
      }
      return undefined;
    },
  };
}

const zones = new Map<string, Zone>();

/** Spec section 4, read independently: `Z`, offsets, `UTC`/`GMT`/`UT` with an offset, or an IANA ID. */
export function zoneOf(text: string): Zone {
  let zone = zones.get(text);
  if (zone === undefined) {
    zone = readZone(text);
    zones.set(text, zone);
  }
  return zone;
}

function readZone(text: string): Zone {
  if (text === 'Z' || text === 'UTC' || text === 'GMT' || text === 'UT') return { fixedSeconds: 0 };
  const offset = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(text);
  if (offset !== null) {
    const [, sign, h, m, s] = offset;
    const seconds = Number(h) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
    if (seconds > 18 * 3600) throw new Error(`gmtZone ${JSON.stringify(text)} is beyond ±18:00`);
    return { fixedSeconds: sign === '-' ? -seconds : seconds };
  }
  if (!IANAZone.isValidZone(text))
    throw new Error(`gmtZone ${JSON.stringify(text)} is not a zone luxon knows`);
  return { iana: IANAZone.create(text) };
}

let lastZone: Zone | undefined;
let lastAtMs = Number.NaN;
let lastWall: DateTime | undefined;

/**
 * The wall-clock time of `atMs` in `zone`. The last answer is kept: a dial's window, rules and report
 * hour ask for the same one in a row.
 */
export function wallClock(zone: Zone, atMs: number): DateTime {
  if (zone === lastZone && atMs === lastAtMs) return lastWall!;
  lastWall =
    'iana' in zone
      ? DateTime.fromMillis(atMs, { zone: zone.iana })
      : DateTime.fromMillis(atMs + zone.fixedSeconds * 1000, { zone: 'utc' });
  lastZone = zone;
  lastAtMs = atMs;
  return lastWall;
}

function offsetMsAt(zone: Zone, atMs: number): number {
  return 'iana' in zone ? zone.iana.offset(atMs) * 60_000 : zone.fixedSeconds * 1000;
}

/**
 * A start or finish: epoch ms; an ISO date-time with `Z` or an offset is that instant; without one it is
 * a wall-clock time in the zone: in a DST gap moved forward by the gap, in a fold the earlier instant.
 */
function instantOf(value: unknown, zone: Zone): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string')
    throw new Error(`date-time ${JSON.stringify(value)} is not a string or a number`);
  const hasOffset = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(value);
  const parsed = DateTime.fromISO(value, { zone: 'utc', setZone: hasOffset });
  if (!parsed.isValid) throw new Error(`date-time ${JSON.stringify(value)} is not ISO 8601`);
  if (hasOffset) return parsed.toMillis();
  // The wall-clock time read as UTC; the instant is that minus the offset in force then.
  const localMs = parsed.toMillis();
  const before = offsetMsAt(zone, localMs - 18 * HOUR_MS - HOUR_MS * 2);
  const after = offsetMsAt(zone, localMs + 18 * HOUR_MS + HOUR_MS * 2);
  const fits = [localMs - before, localMs - after].filter((t) => offsetMsAt(zone, t) === localMs - t);
  if (fits.length > 0) return Math.min(...fits);
  // A gap: the offset before it carries the wall-clock time past the gap.
  return localMs - before;
}

function daysOf(value: unknown): Set<string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((d) => DAYS.includes(d))) {
    throw new Error(`allowedDays ${JSON.stringify(value)} is not a non-empty list of weekdays`);
  }
  return new Set(value as string[]);
}

function allowedTimeOf(value: unknown): Record<string, Interval[]> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new Error('allowedTime is not an object');
  const result: Record<string, Interval[]> = {};
  for (const [key, list] of Object.entries(value)) {
    if (key !== 'default' && !(DAYS as readonly string[]).includes(key)) {
      throw new Error(`allowedTime key ${JSON.stringify(key)} is not a weekday`);
    }
    if (!Array.isArray(list) || list.length === 0)
      throw new Error(`allowedTime.${key} is not a non-empty list`);
    result[key] = list.map((item: { localTimeFrom?: unknown; localTimeTo?: unknown }) => {
      const from = minuteOf(item?.localTimeFrom, false);
      const to = minuteOf(item?.localTimeTo, true);
      if (from === to) throw new Error(`allowedTime.${key} has an empty interval`);
      return { from, to, text: `${item.localTimeFrom}-${item.localTimeTo}` };
    });
  }
  return result;
}

function minuteOf(value: unknown, endOfDay: boolean): number {
  const match = typeof value === 'string' ? /^(\d{2}):(\d{2})$/.exec(value) : null;
  const minute = match === null ? -1 : Number(match[1]) * 60 + Number(match[2]);
  if (match === null || Number(match[2]) > 59 || minute > (endOfDay ? 1440 : 1439)) {
    throw new Error(`${JSON.stringify(value)} is not an HH:mm time`);
  }
  return minute;
}
