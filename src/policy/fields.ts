import { type IssueCode, quote } from '../errors.js';
import { parseZone } from '../schedule/gmt-zone.js';
import { type AllowedTime, type DateTimeValue, type TimeInterval, WEEKDAYS, type Weekday } from './types.js';

/** Receives the issues of one field, each with its message; `path` is relative to the field. */
export type IssueSink = (path: readonly (string | number)[], code: IssueCode, message: string) => void;

/**
 * An `IssueSink` whose messages are built only when `message()` is called, so a sink that only needs
 * "valid or not" (the fast path, and the entries past `MAX_ISSUES`) builds none. The field parsers take it.
 */
export type LazyIssueSink = (
  path: readonly (string | number)[],
  code: IssueCode,
  message: () => string,
) => void;

/** A lazy sink that builds every message and hands it to `sink`. */
export function eagerly(sink: IssueSink): LazyIssueSink {
  return (path, code, message) => sink(path, code, message());
}

const MINUTES_PER_DAY = 1440;

/** What a phone must look like, for messages. */
export const PHONE_EXPECTED = 'expected 3 to 15 digits with an optional leading +, such as "+1 650 000-0000"';

/** `phone`: digits with an optional leading `+`; spaces, `-`, `.`, `(`, `)` dropped; 3 to 15 digits. */
export function parsePhone(value: unknown, sink: LazyIssueSink): string | undefined {
  const expected = PHONE_EXPECTED;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) {
      const digits = String(value);
      if (digits.length >= 3 && digits.length <= 15) return digits;
    }
    sink([], 'phone.bad.format', () => `phone ${quote(value)} is not a phone number: ${expected}.`);
    return undefined;
  }
  if (typeof value !== 'string') {
    sink([], 'phone.bad.format', () => {
      const what = value === undefined ? 'phone is missing' : `phone ${quote(value)} is not a phone number`;
      return `${what}: ${expected}.`;
    });
    return undefined;
  }
  const stripped = value.replace(/[ \-.()]/g, '');
  const digits = stripped.startsWith('+') ? stripped.slice(1) : stripped;
  if (!/^\d{3,15}$/.test(digits)) {
    sink([], 'phone.bad.format', () => `phone ${quote(value)} is not a phone number: ${expected}.`);
    return undefined;
  }
  return digits;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * `startDateTime`/`finishDateTime`: an ISO 8601 date-time (`2024-03-10T09:00`, seconds and fractions
 * optional, `Z` or `±hh`, `±hhmm`, `±hh:mm` optional) or epoch ms (a safe integer).
 */
export function parseDateTime(value: unknown, field: string, sink: LazyIssueSink): DateTimeValue | undefined {
  const expected =
    'expected an ISO 8601 date-time such as "2024-03-10T09:00:00", optionally with Z or an offset, or epoch milliseconds';
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && Math.abs(value) <= 8.64e15) return { kind: 'instant', ms: value };
    sink([], 'invalid.date.time', () => `${field} ${quote(value)} is not a date-time: ${expected}.`);
    return undefined;
  }
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (match === null) {
    sink([], 'invalid.date.time', () => `${field} ${quote(value)} is not a date-time: ${expected}.`);
    return undefined;
  }
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000 + 1e-6);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    sink(
      [],
      'invalid.date.time',
      () => `${field} ${quote(value)} is not a valid calendar date-time: ${expected}.`,
    );
    return undefined;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  const localMs = date.getTime();
  if (zone === undefined) return { kind: 'local', localMs };
  if (zone === 'Z') return { kind: 'instant', ms: localMs };
  const digits = zone.replace(':', '');
  const offsetMinutes =
    Number(digits.slice(1, 3)) * 60 + (digits.length > 3 ? Number(digits.slice(3, 5)) : 0);
  if (offsetMinutes > 18 * 60 || Number(digits.slice(3, 5) || '0') > 59) {
    sink([], 'invalid.date.time', () => `${field} ${quote(value)} has an offset beyond ±18:00: ${expected}.`);
    return undefined;
  }
  return { kind: 'instant', ms: localMs - (zone[0] === '-' ? -1 : 1) * offsetMinutes * 60_000 };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const DAYS_EXPECTED = `expected a non-empty array of ${WEEKDAYS.map((d) => `"${d}"`).join(', ')}`;

/** `allowedDays`: a non-empty array of weekday keys; repeats are fine. Returned as a sorted set. */
export function parseAllowedDays(value: unknown, sink: LazyIssueSink): Weekday[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    sink([], 'invalid.allowed.days', () => `allowedDays ${quote(value)} is not valid: ${DAYS_EXPECTED}.`);
    return undefined;
  }
  let mask = 0;
  let ok = true;
  for (let i = 0; i < value.length; i++) {
    const day = WEEKDAYS.indexOf(value[i]);
    if (day < 0) {
      sink(
        [i],
        'invalid.allowed.days',
        () => `allowedDays[${i}] ${quote(value[i])} is not a weekday: ${DAYS_EXPECTED}.`,
      );
      ok = false;
    } else mask |= 1 << day;
  }
  return ok ? WEEKDAYS.filter((_, day) => mask & (1 << day)) : undefined;
}

const ALLOWED_TIME_KEYS: readonly string[] = [...WEEKDAYS, 'default'];

/**
 * `allowedTime`: an object with keys `mon`..`sun` and `default`, each a non-empty list of
 * `{localTimeFrom, localTimeTo}` (`HH:mm`, `localTimeTo` may be `24:00`) whose intervals do not overlap
 * on a 48-hour line.
 */
export function parseAllowedTime(value: unknown, sink: LazyIssueSink): AllowedTime | undefined {
  const code = 'invalid.call.allowed.time';
  if (!isPlainObject(value)) {
    sink(
      [],
      code,
      () => `allowedTime ${quote(value)} is not valid: expected an object with keys mon..sun or default.`,
    );
    return undefined;
  }
  const result: { [key in Weekday | 'default']?: TimeInterval[] } = {};
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!ALLOWED_TIME_KEYS.includes(key)) {
      sink(
        [key],
        code,
        () =>
          `allowedTime key ${quote(key)} is not a weekday: expected one of ${ALLOWED_TIME_KEYS.join(', ')}.`,
      );
      ok = false;
      continue;
    }
    const list = parseIntervalList(value[key], key, sink);
    if (list === undefined) ok = false;
    else result[key as Weekday | 'default'] = list;
  }
  return ok ? result : undefined;
}

function parseIntervalList(value: unknown, key: string, sink: LazyIssueSink): TimeInterval[] | undefined {
  const code = 'invalid.call.allowed.time';
  if (!Array.isArray(value) || value.length === 0) {
    sink(
      [key],
      code,
      () =>
        `allowedTime.${key} ${quote(value)} is not valid: expected a non-empty array of {localTimeFrom, localTimeTo}.`,
    );
    return undefined;
  }
  const intervals: TimeInterval[] = [];
  let ok = true;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (!isPlainObject(item)) {
      sink(
        [key, i],
        code,
        () => `allowedTime.${key}[${i}] ${quote(item)} is not valid: expected {localTimeFrom, localTimeTo}.`,
      );
      ok = false;
      continue;
    }
    let itemOk = true;
    for (const field of Object.keys(item)) {
      if (field !== 'localTimeFrom' && field !== 'localTimeTo') {
        sink(
          [key, i, field],
          code,
          () =>
            `allowedTime.${key}[${i}] has an unknown field ${quote(field)}: expected only localTimeFrom and localTimeTo.`,
        );
        itemOk = false;
      }
    }
    const fromMinute = parseLocalTime(item.localTimeFrom, key, i, 'localTimeFrom', sink);
    const toMinute = parseLocalTime(item.localTimeTo, key, i, 'localTimeTo', sink);
    if (fromMinute === undefined || toMinute === undefined || !itemOk) {
      ok = false;
      continue;
    }
    if (fromMinute === toMinute) {
      sink(
        [key, i],
        code,
        () =>
          `allowedTime.${key}[${i}] from ${quote(item.localTimeFrom)} to ${quote(item.localTimeTo)} is an empty interval: localTimeFrom and localTimeTo must differ.`,
      );
      ok = false;
      continue;
    }
    intervals.push({ fromMinute, toMinute });
  }
  if (!ok) return undefined;
  // Overlap on a 48-hour line: [from, to), or [from, to + 24h) when overnight; touching is fine.
  for (let a = 0; a < intervals.length; a++) {
    for (let b = a + 1; b < intervals.length; b++) {
      const [aFrom, aTo] = onLine(intervals[a]!);
      const [bFrom, bTo] = onLine(intervals[b]!);
      if (aFrom < bTo && bFrom < aTo) {
        sink(
          [key, b],
          code,
          () =>
            `allowedTime.${key}[${b}] ${formatInterval(intervals[b]!)} overlaps allowedTime.${key}[${a}] ${formatInterval(intervals[a]!)}: intervals of one list must not overlap.`,
        );
        return undefined;
      }
    }
  }
  return intervals;
}

function onLine(interval: TimeInterval): [number, number] {
  const { fromMinute, toMinute } = interval;
  return [fromMinute, fromMinute < toMinute ? toMinute : toMinute + MINUTES_PER_DAY];
}

/** `09:00-17:30`. */
function formatInterval(interval: TimeInterval): string {
  return `${formatMinute(interval.fromMinute)}-${formatMinute(interval.toMinute)}`;
}

/** Minute of day as `HH:mm` (1440 is `24:00`). */
function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Minute of day of an `HH:mm` time (`24:00` allowed as `localTimeTo`); paths and messages built only on failure. */
function parseLocalTime(
  value: unknown,
  key: string,
  i: number,
  field: 'localTimeFrom' | 'localTimeTo',
  sink: LazyIssueSink,
): number | undefined {
  if (typeof value === 'string' && value.length === 5 && value.charCodeAt(2) === 58) {
    const hours = twoDigitNumber(value, 0);
    const minutes = twoDigitNumber(value, 3);
    if (hours <= 23 && minutes <= 59) return hours * 60 + minutes;
    if (field === 'localTimeTo' && hours === 24 && minutes === 0) return MINUTES_PER_DAY;
  }
  sink([key, i, field], 'invalid.call.allowed.time', () => {
    const where = `allowedTime.${key}[${i}].${field}`;
    const what = value === undefined ? `${where} is missing` : `${where} ${quote(value)} is not a time`;
    const range = field === 'localTimeTo' ? '00:00 to 23:59 or 24:00' : '00:00 to 23:59';
    return `${what}: expected "HH:mm", ${range}.`;
  });
  return undefined;
}

/** The number of two ASCII digits at `at`, or 99 when they are not digits. */
function twoDigitNumber(text: string, at: number): number {
  const high = text.charCodeAt(at) - 48;
  const low = text.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : 99;
}

/** `retryIntervalInMinutes`: an integer 1..2880. */
export function parseRetryInterval(value: unknown, sink: IssueSink): number | undefined {
  return parseRetryIntervalLazily(value, eagerly(sink));
}

/** `parseRetryInterval` with a lazy sink. */
export function parseRetryIntervalLazily(value: unknown, sink: LazyIssueSink): number | undefined {
  if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 2880) return value as number;
  sink(
    [],
    'invalid.retry.interval',
    () => `retryIntervalInMinutes ${quote(value)} is not valid: expected an integer from 1 to 2880.`,
  );
  return undefined;
}

/** `maxAttempts`: an integer 0..50, where 0 means "not set" (returned as `null`). */
export function parseMaxAttempts(value: unknown, sink: LazyIssueSink): number | null | undefined {
  if (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 50) {
    return value === 0 ? null : (value as number);
  }
  sink(
    [],
    'invalid.max.attempts',
    () =>
      `maxAttempts ${quote(value)} is not valid: expected an integer from 0 to 50 (0 means the campaign's value).`,
  );
  return undefined;
}

/** `gmtZone`: see `parseGmtZone`; returns the normalised ID. */
export function parseZoneId(value: unknown, sink: LazyIssueSink): string | undefined {
  const result = parseZone(value);
  if (typeof result !== 'string') return result.id;
  sink([], 'phone.gmtZone.bad.format', () => result);
  return undefined;
}

/** Whether `value` is an integer 1..5, a valid `dialerPriority`. */
export function isDialerPriority(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5;
}

/** The message for a `dialerPriority` that is not an integer 1..5. */
export function dialerPriorityMessage(value: unknown, replaced: boolean): string {
  return `dialerPriority ${quote(value)} is not an integer from 1 to 5${replaced ? '; it was replaced by 5' : ''}.`;
}

/** A non-null object whose prototype is Object.prototype or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
