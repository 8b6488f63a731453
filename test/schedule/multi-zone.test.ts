/**
 * CallSchedule read in several zones at once (spec section 12, "Zone from the phone": a number whose
 * area spans several zones is allowed only when allowed in each of them), with the windows of sections
 * 3 and 4. The local times of the expected instants were checked with java.time (JDK zone rules).
 */
import { describe, expect, it } from 'vitest';
import { windowAt } from '../../src/engine/window-at.js';
import { blackoutDaysOf } from '../../src/schedule/blackout-days.js';
import { CallSchedule, type CallWindow } from '../../src/schedule/call-schedule.js';
import { zoneRulesListOf, zoneRulesOf } from '../../src/schedule/gmt-zone.js';
import {
  scheduleKeyOf,
  scheduleKeyOfStored,
  scheduleOfParts,
  zoneKeyOf,
} from '../../src/schedule/schedule-cache.js';
import type { WeeklyRules } from '../../src/schedule/weekly-rules.js';
import { WHOLE_DAY } from '../../src/schedule/weekly-rules.js';
import { weeklyWindowsOfRules } from '../../src/schedule/weekly-windows.js';

const ms = (isoText: string) => Date.parse(isoText);
const iso = (value: number) =>
  Number.isFinite(value) ? new Date(value).toISOString().replace('.000Z', 'Z') : String(value);
const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const everyDay = (fromMinute: number, toMinute: number): WeeklyRules =>
  Array.from({ length: 7 }, () => [{ fromMinute, toMinute }]);
const ALWAYS: WeeklyRules = Array.from({ length: 7 }, () => WHOLE_DAY);
const NINE_TO_FIVE = everyDay(540, 1020);
const NINE_TO_TEN = everyDay(540, 600);

function schedule(
  zones: string[],
  weekly: WeeklyRules,
  options: { start?: string; finish?: string; blackout?: string[] } = {},
) {
  return scheduleOfParts(
    zones.map((zone) => zoneRulesOf(zone)),
    weeklyWindowsOfRules(weekly),
    options.start === undefined ? Number.NEGATIVE_INFINITY : ms(options.start),
    options.finish === undefined ? Number.POSITIVE_INFINITY : ms(options.finish),
    blackoutDaysOf((options.blackout ?? []).map(day)),
  );
}

const text = (window: CallWindow | null) =>
  window === null ? null : { start: iso(window.start), end: iso(window.end) };

/** The first `count` windows from `fromIso` on, as ISO texts. */
function windowsFrom(s: CallSchedule, fromIso: string, count: number) {
  const found: { start: string; end: string }[] = [];
  let window = s.nextWindow(ms(fromIso));
  while (window !== null && found.length < count) {
    found.push(text(window)!);
    window = s.nextWindow(window.end);
  }
  return found;
}

describe('CallSchedule in several zones (spec §12, zone from the phone)', () => {
  it('allows 10:00-17:00 Chicago time when 09:00-17:00 is read in Chicago and in Denver (§3)', () => {
    const s = schedule(['America/Denver', 'America/Chicago'], NINE_TO_FIVE);
    expect(s.zone.id).toBe('America/Chicago');
    expect(s.zoneIds).toEqual(['America/Chicago', 'America/Denver']);
    expect(text(s.nextWindow(ms('2024-01-15T12:00:00Z')))).toEqual({
      start: '2024-01-15T16:00:00Z',
      end: '2024-01-15T23:00:00Z',
    });
    expect(s.isAllowed(ms('2024-01-15T15:59:59.999Z'))).toBe(false);
    expect(s.isAllowed(ms('2024-01-15T16:00:00Z'))).toBe(true);
    expect(s.isAllowed(ms('2024-01-15T22:59:59.999Z'))).toBe(true);
    expect(s.isAllowed(ms('2024-01-15T23:00:00Z'))).toBe(false);
    expect(s.windowEnd(ms('2024-01-15T18:00:00Z'))).toBe(ms('2024-01-15T23:00:00Z'));
    expect(s.nextStart(ms('2024-01-15T23:00:00Z'))).toBe(ms('2024-01-16T16:00:00Z'));
    expect(s.nextStart(ms('2024-01-15T17:00:00Z'))).toBe(ms('2024-01-15T17:00:00Z'));
  });

  it('follows both zones through the March DST change (§4: America/Chicago and America/Denver 2024-03-10)', () => {
    const s = schedule(['America/Chicago', 'America/Denver'], NINE_TO_FIVE);
    expect(windowsFrom(s, '2024-03-09T00:00:00Z', 3)).toEqual([
      { start: '2024-03-09T16:00:00Z', end: '2024-03-09T23:00:00Z' },
      { start: '2024-03-10T15:00:00Z', end: '2024-03-10T22:00:00Z' },
      { start: '2024-03-11T15:00:00Z', end: '2024-03-11T22:00:00Z' },
    ]);
  });

  it('narrows by the hour Denver moves while Phoenix keeps standard time (§4: 2024-03-10)', () => {
    const s = schedule(['America/Phoenix', 'America/Denver'], NINE_TO_FIVE);
    // Both at -07:00 until Denver springs forward at 09:00Z on the 10th; then Denver 10:00-17:00 (Phoenix 09:00-16:00).
    expect(windowsFrom(s, '2024-03-09T00:00:00Z', 3)).toEqual([
      { start: '2024-03-09T16:00:00Z', end: '2024-03-10T00:00:00Z' },
      { start: '2024-03-10T16:00:00Z', end: '2024-03-10T23:00:00Z' },
      { start: '2024-03-11T16:00:00Z', end: '2024-03-11T23:00:00Z' },
    ]);
  });

  it('skips the months in which the zones share no minute (§3: 09:00-10:00 in Phoenix and Denver)', () => {
    const s = schedule(['America/Phoenix', 'America/Denver'], NINE_TO_TEN);
    expect(text(s.nextWindow(ms('2024-03-09T17:00:00Z')))).toEqual({
      start: '2024-11-03T16:00:00Z',
      end: '2024-11-03T17:00:00Z',
    });
    expect(s.isAllowed(ms('2024-07-01T16:30:00Z'))).toBe(false);
  });

  it('allows only the hour a year in which the fall-back gives both zones one wall clock (§3: both passes of a repeated hour)', () => {
    const s = schedule(['America/Chicago', 'America/Denver'], everyDay(60, 120));
    // 07:00Z-08:00Z on 2024-11-03 is 01:00-02:00 at -06:00 in both: Chicago's second pass, Denver's first.
    expect(windowsFrom(s, '2024-03-01T00:00:00Z', 2)).toEqual([
      { start: '2024-11-03T07:00:00Z', end: '2024-11-03T08:00:00Z' },
      { start: '2025-11-02T07:00:00Z', end: '2025-11-02T08:00:00Z' },
    ]);
  });

  it('follows a 30-minute DST change (§4: Australia/Lord_Howe and Australia/Sydney 2024-04-07)', () => {
    const s = schedule(['Australia/Sydney', 'Australia/Lord_Howe'], NINE_TO_FIVE);
    expect(s.zoneIds).toEqual(['Australia/Lord_Howe', 'Australia/Sydney']);
    // Both at +11:00 on the 6th; on the 7th Lord Howe is at +10:30 and Sydney at +10:00.
    expect(windowsFrom(s, '2024-04-05T12:00:00Z', 2)).toEqual([
      { start: '2024-04-05T22:00:00Z', end: '2024-04-06T06:00:00Z' },
      { start: '2024-04-06T23:00:00Z', end: '2024-04-07T06:30:00Z' },
    ]);
  });

  it('keeps one window open across an offset change of one zone (§3: weekends in London and New York)', () => {
    const weekends: WeeklyRules = [[], [], [], [], [], WHOLE_DAY, WHOLE_DAY];
    const s = schedule(['Europe/London', 'America/New_York'], weekends);
    // New York springs forward on Sunday 2024-03-10 inside the window; London's Sunday ends first.
    expect(text(s.nextWindow(ms('2024-03-08T00:00:00Z')))).toEqual({
      start: '2024-03-09T05:00:00Z',
      end: '2024-03-11T00:00:00Z',
    });
    expect(s.windowEnd(ms('2024-03-10T12:00:00Z'))).toBe(ms('2024-03-11T00:00:00Z'));
  });

  it('blocks a blackout day from its start in the first zone to its end in the last (§12 blackoutDates)', () => {
    const s = schedule(['America/Chicago', 'America/Denver'], ALWAYS, { blackout: ['2024-12-25'] });
    expect(windowsFrom(s, '2024-12-24T12:00:00Z', 2)).toEqual([
      { start: '2024-12-24T12:00:00Z', end: '2024-12-25T06:00:00Z' },
      { start: '2024-12-26T07:00:00Z', end: 'Infinity' },
    ]);
  });

  it('keeps start and finish as given (§3: the latest start and earliest finish of the zones)', () => {
    const s = schedule(['America/Chicago', 'America/Denver'], ALWAYS, {
      start: '2024-05-01T07:00:00Z',
      finish: '2024-05-02T06:00:00Z',
    });
    expect(text(s.nextWindow(ms('2024-04-01T00:00:00Z')))).toEqual({
      start: '2024-05-01T07:00:00Z',
      end: '2024-05-02T06:00:00Z',
    });
    expect(s.nextWindow(ms('2024-05-02T06:00:00Z'))).toBeNull();
    expect(s.isAllowed(ms('2024-05-02T05:59:59.999Z'))).toBe(true);
    expect(s.isAllowed(ms('2024-05-02T06:00:00Z'))).toBe(false);
    // 09:00 to 09:30 of one local day read in both zones: Denver's 09:00 (15:00Z) is after Chicago's 09:30 (14:30Z).
    const empty = schedule(['America/Chicago', 'America/Denver'], ALWAYS, {
      start: '2024-05-01T15:00:00Z',
      finish: '2024-05-01T14:30:00Z',
    });
    expect(empty.nextWindow(ms('2024-05-01T00:00:00Z'))).toBeNull();
    expect(empty.isAllowed(ms('2024-05-01T15:00:00Z'))).toBe(false);
  });

  it('returns null when the zones never share a minute (§3: 09:00-10:00 in Chicago and Denver)', () => {
    const s = schedule(['America/Chicago', 'America/Denver'], NINE_TO_TEN);
    expect(s.nextWindow(ms('2026-01-01T00:00:00Z'))).toBeNull();
    expect(s.nextStart(ms('2026-01-01T00:00:00Z'))).toBe(Number.POSITIVE_INFINITY);
    // Found again at once (remembered per pattern), from later and from earlier instants.
    expect(s.nextWindow(ms('2030-06-01T00:00:00Z'))).toBeNull();
    expect(s.nextWindow(ms('2024-01-01T00:00:00Z'))).toBeNull();
    // The same pattern with other bounds, and a search that starts after the yearly rules take over.
    const bounded = schedule(['America/Chicago', 'America/Denver'], NINE_TO_TEN, {
      start: '2025-01-01T00:00:00Z',
    });
    expect(bounded.nextWindow(ms('2025-01-01T00:00:00Z'))).toBeNull();
    const far = schedule(['America/Chicago', 'America/Denver'], everyDay(600, 660));
    expect(far.nextWindow(ms('2300-01-01T00:00:00Z'))).toBeNull();
    expect(windowAt(s, ms('2026-01-01T00:00:00Z'), ms('2027-01-01T00:00:00Z'))).toBeNull();
  });

  it('returns null for fixed offsets that never share a minute, after a week of them (§4 fixed offsets)', () => {
    const s = schedule(['-06:00', '-07:00'], NINE_TO_TEN);
    expect(s.nextWindow(ms('2024-01-01T00:00:00Z'))).toBeNull();
    const shifted = schedule(['+05:30:15', '+05:30'], NINE_TO_TEN);
    // 09:00:15-10:00 at +05:30:15 is 03:29:00Z-04:29:45Z; at +05:30 it is 03:30Z-04:30Z.
    expect(text(shifted.nextWindow(ms('2024-01-01T00:00:00Z')))).toEqual({
      start: '2024-01-01T03:30:00Z',
      end: '2024-01-01T04:29:45Z',
    });
  });

  it('finds a window only a long way ahead in far centuries (§3, the timeline of MAX_INSTANT_MS)', () => {
    const s = schedule(['America/Chicago', 'America/Denver'], NINE_TO_FIVE);
    expect(s.nextWindow(ms('+275760-09-12T23:00:00Z'))).toBeNull();
    const window = s.nextWindow(ms('+275760-09-10T00:00:00Z'));
    expect(window).not.toBeNull();
    expect(window!.start).toBeLessThanOrEqual(8.64e15);
  });

  it('answers like one zone when every minute is allowed, and for a list of one zone (§3)', () => {
    const always = schedule(['America/Chicago', 'America/Denver'], ALWAYS, { start: '2024-05-01T00:00:00Z' });
    expect(text(always.nextWindow(0))).toEqual({ start: '2024-05-01T00:00:00Z', end: 'Infinity' });
    expect(always.windowEnd(ms('2024-06-01T00:00:00Z'))).toBe(Number.POSITIVE_INFINITY);
    const weekly = weeklyWindowsOfRules(NINE_TO_FIVE);
    const one = scheduleOfParts([zoneRulesOf('America/Chicago')], weekly, 0, 1e13);
    expect(one).toBe(scheduleOfParts(zoneRulesOf('America/Chicago'), weekly, 0, 1e13));
    expect(one.zones).toHaveLength(1);
    expect(one.zoneKey).toBe('America/Chicago');
    const never = schedule(['America/Chicago', 'America/Denver'], [[], [], [], [], [], [], []]);
    expect(never.nextWindow(0)).toBeNull();
  });
});

describe('scheduleOfParts with several zones', () => {
  const weekly = weeklyWindowsOfRules(NINE_TO_FIVE);
  const chicago = zoneRulesOf('America/Chicago');
  const denver = zoneRulesOf('America/Denver');

  it('names every zone once, sorted, in the key and zoneKey (§12: views and call tasks name every zone)', () => {
    const s = scheduleOfParts([denver, chicago, denver], weekly, 0, 1e13);
    expect(s).toBe(scheduleOfParts([chicago, denver], weekly, 0, 1e13));
    expect(s.zoneKey).toBe('America/Chicago&America/Denver');
    expect(zoneKeyOf([denver, chicago])).toBe('America/Chicago&America/Denver');
    expect(scheduleKeyOf(s)).toBe(`America/Chicago&America/Denver|0|10000000000000|${weekly.key}`);
    expect(scheduleKeyOfStored(s.zoneKey, 0, 1e13, weekly.key)).toBe(scheduleKeyOf(s));
    expect(Object.isFrozen(s.zoneIds)).toBe(true);
    expect(zoneRulesListOf(s.zoneKey).map((zone) => zone.id)).toEqual(s.zoneIds);
    expect(scheduleOfParts(zoneRulesListOf(s.zoneKey), weekly, 0, 1e13)).toBe(s);
  });

  it('throws on an empty list of zones', () => {
    expect(() => scheduleOfParts([], weekly, 0, 1e13)).toThrow(RangeError);
    expect(() => new CallSchedule([], weekly, 0, 1e13)).toThrow(
      'Expected at least one zone, got an empty list.',
    );
    expect(() => zoneRulesListOf('America/Chicago&')).toThrow('is not a valid zone');
  });
});
