/**
 * CallSchedule with blackout days, in the schedule layer's own vocabulary (local days, minute
 * intervals). The first instant of each local date below was computed with java.time
 * (`LocalDate.atStartOfDay(zone).toInstant()`, JDK 17 zone rules), not with the code under test.
 */
import { describe, expect, it } from 'vitest';
import { blackoutDaysOf, NO_BLACKOUT_DAYS } from '../../src/schedule/blackout-days.js';
import { CallSchedule } from '../../src/schedule/call-schedule.js';
import { zoneRulesOf } from '../../src/schedule/gmt-zone.js';
import { scheduleKeyOf, scheduleOfParts } from '../../src/schedule/schedule-cache.js';
import type { WeeklyRules } from '../../src/schedule/weekly-rules.js';
import { WHOLE_DAY } from '../../src/schedule/weekly-rules.js';
import { weeklyWindowsOfRules } from '../../src/schedule/weekly-windows.js';

const ms = (isoText: string) => Date.parse(isoText);
const iso = (value: number) =>
  Number.isFinite(value) ? new Date(value).toISOString().replace('.000Z', 'Z') : String(value);
const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const ALWAYS: WeeklyRules = Array.from({ length: 7 }, () => WHOLE_DAY);
/** 09:00-17:00 every day. */
const NINE_TO_FIVE: WeeklyRules = Array.from({ length: 7 }, () => [{ fromMinute: 540, toMinute: 1020 }]);

function schedule(zone: string, weekly: WeeklyRules, dates: string[], span?: [string, string]) {
  const blackout =
    span === undefined
      ? blackoutDaysOf(dates.map(day))
      : blackoutDaysOf(dates.map(day), day(span[0]), day(span[1]));
  return new CallSchedule(
    zoneRulesOf(zone),
    weeklyWindowsOfRules(weekly),
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    blackout,
  );
}

function windowFrom(s: CallSchedule, fromIso: string) {
  const window = s.nextWindow(ms(fromIso));
  return window === null ? null : { start: iso(window.start), end: iso(window.end) };
}

describe('CallSchedule with blackout days', () => {
  it('blocks a 23-hour day whole (America/New_York 2024-03-10, the spring gap)', () => {
    const s = schedule('America/New_York', ALWAYS, ['2024-03-10']);
    expect(windowFrom(s, '2024-03-09T12:00:00Z')).toEqual({
      start: '2024-03-09T12:00:00Z',
      end: '2024-03-10T05:00:00Z',
    });
    expect(windowFrom(s, '2024-03-10T05:00:00Z')).toEqual({ start: '2024-03-11T04:00:00Z', end: 'Infinity' });
    expect(s.isAllowed(ms('2024-03-11T03:59:59.999Z'))).toBe(false);
    expect(s.isAllowed(ms('2024-03-11T04:00:00Z'))).toBe(true);
  });

  it('blocks a 25-hour day whole, both passes of the repeated hour (America/New_York 2024-11-03)', () => {
    const s = schedule('America/New_York', ALWAYS, ['2024-11-03']);
    expect(windowFrom(s, '2024-11-03T12:00:00Z')).toEqual({ start: '2024-11-04T05:00:00Z', end: 'Infinity' });
    expect(s.isAllowed(ms('2024-11-03T05:30:00Z'))).toBe(false);
    expect(s.isAllowed(ms('2024-11-03T06:30:00Z'))).toBe(false);
  });

  it('follows a 30-minute DST change (Australia/Lord_Howe 2024-04-07 is 24.5 hours long)', () => {
    const s = schedule('Australia/Lord_Howe', ALWAYS, ['2024-04-07']);
    expect(windowFrom(s, '2024-04-06T00:00:00Z')).toEqual({
      start: '2024-04-06T00:00:00Z',
      end: '2024-04-06T13:00:00Z',
    });
    expect(windowFrom(s, '2024-04-06T13:00:00Z')).toEqual({ start: '2024-04-07T13:30:00Z', end: 'Infinity' });
  });

  it('ends a window at a midnight that an offset change moved (Asia/Beirut falls back at 00:00)', () => {
    // 2024-10-27T00:00+03:00 never shows: the clock goes back to 2024-10-26T23:00+02:00, and the
    // 27th begins at 00:00+02:00.
    const s = schedule('Asia/Beirut', ALWAYS, ['2024-10-27']);
    expect(windowFrom(s, '2024-10-26T12:00:00Z')).toEqual({
      start: '2024-10-26T12:00:00Z',
      end: '2024-10-26T22:00:00Z',
    });
    expect(s.isAllowed(ms('2024-10-26T21:30:00Z'))).toBe(true);
    const before = schedule('Asia/Beirut', ALWAYS, ['2024-10-26']);
    expect(windowFrom(before, '2024-10-26T00:00:00Z')).toEqual({
      start: '2024-10-26T22:00:00Z',
      end: 'Infinity',
    });
    expect(before.isAllowed(ms('2024-10-26T21:30:00Z'))).toBe(false);
  });

  it('skips a run of days and takes the next weekly window after it', () => {
    const s = schedule('America/New_York', NINE_TO_FIVE, ['2024-12-24', '2024-12-25', '2024-12-26']);
    expect(windowFrom(s, '2024-12-23T22:00:00Z')).toEqual({
      start: '2024-12-27T14:00:00Z',
      end: '2024-12-27T22:00:00Z',
    });
    expect(windowFrom(s, '2024-12-23T15:00:00Z')).toEqual({
      start: '2024-12-23T15:00:00Z',
      end: '2024-12-23T22:00:00Z',
    });
  });

  it('cuts an overnight window at the midnight before a blackout day, on a whole-day table', () => {
    // 20:00 to 03:00 every night in UTC: the night into the 25th stops at midnight.
    const nights: WeeklyRules = Array.from({ length: 7 }, () => [{ fromMinute: 1200, toMinute: 180 }]);
    const s = schedule('Z', nights, ['2024-12-25']);
    expect(windowFrom(s, '2024-12-24T21:00:00Z')).toEqual({
      start: '2024-12-24T21:00:00Z',
      end: '2024-12-25T00:00:00Z',
    });
    expect(windowFrom(s, '2024-12-25T00:00:00Z')).toEqual({
      start: '2024-12-26T00:00:00Z',
      end: '2024-12-26T03:00:00Z',
    });
  });

  it('blocks every day outside the open span: no window before it, none from its end on', () => {
    const s = schedule('Asia/Kathmandu', ALWAYS, ['2024-02-13'], ['2024-01-01', '2025-01-01']);
    expect(windowFrom(s, '2023-06-01T00:00:00Z')).toEqual({
      start: '2023-12-31T18:15:00Z',
      end: '2024-02-12T18:15:00Z',
    });
    expect(windowFrom(s, '2024-02-12T18:15:00Z')).toEqual({
      start: '2024-02-13T18:15:00Z',
      end: '2024-12-31T18:15:00Z',
    });
    expect(windowFrom(s, '2024-12-31T18:15:00Z')).toBeNull();
  });

  it('keys schedules by their blackout days, and without them as before', () => {
    const zone = zoneRulesOf('America/New_York');
    const weekly = weeklyWindowsOfRules(NINE_TO_FIVE);
    const plain = scheduleOfParts(zone, weekly, 0, 1e13);
    expect(scheduleKeyOf(plain)).toBe(`America/New_York|0|10000000000000|${weekly.key}`);
    expect(plain.blackout).toBe(NO_BLACKOUT_DAYS);
    const a = scheduleOfParts(zone, weekly, 0, 1e13, blackoutDaysOf([day('2024-12-25')]));
    const b = scheduleOfParts(zone, weekly, 0, 1e13, blackoutDaysOf([day('2024-12-25')]));
    const c = scheduleOfParts(zone, weekly, 0, 1e13, blackoutDaysOf([day('2024-12-26')]));
    expect(a).toBe(b);
    expect(scheduleKeyOf(a)).toBe(`${scheduleKeyOf(plain)}|${a.blackout.key}`);
    expect(scheduleKeyOf(c)).not.toBe(scheduleKeyOf(a));
  });
});
