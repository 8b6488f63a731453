import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimeInterval, WeeklyRules } from '../../src/schedule/weekly-rules.js';
import { WHOLE_DAY } from '../../src/schedule/weekly-rules.js';
import {
  allowedMinutesOf,
  intersectWeeklyRules,
  MINUTES_PER_WEEK,
  weeklyWindowsOfRules,
} from '../../src/schedule/weekly-windows.js';

const every = (list: readonly TimeInterval[]): WeeklyRules => Array.from({ length: 7 }, () => list);
const ALWAYS = every(WHOLE_DAY);
/** Monday 20:00 to Tuesday 03:00 only. */
const MONDAY_NIGHT: WeeklyRules = [[{ fromMinute: 1200, toMinute: 180 }], [], [], [], [], [], []];

describe('intersectWeeklyRules', () => {
  it('returns the rules themselves when the other table narrows nothing, keeping their key', () => {
    expect(intersectWeeklyRules(MONDAY_NIGHT, allowedMinutesOf(ALWAYS))).toBe(MONDAY_NIGHT);
  });

  it('cuts runs at midnight, so that equal minutes give equal keys', () => {
    const split: WeeklyRules = [
      [{ fromMinute: 1200, toMinute: 1440 }],
      [{ fromMinute: 0, toMinute: 180 }],
      [],
      [],
      [],
      [],
      [],
    ];
    const eightToTen = allowedMinutesOf(
      every([
        { fromMinute: 0, toMinute: 120 },
        { fromMinute: 1260, toMinute: 1440 },
      ]),
    );
    const a = intersectWeeklyRules(MONDAY_NIGHT, eightToTen);
    const b = intersectWeeklyRules(split, eightToTen);
    expect(a).toEqual([
      [{ fromMinute: 1260, toMinute: 1440 }],
      [{ fromMinute: 0, toMinute: 120 }],
      [],
      [],
      [],
      [],
      [],
    ]);
    expect(weeklyWindowsOfRules(a).key).toBe(weeklyWindowsOfRules(b).key);
  });

  it('allows exactly the minutes both tables allow', () => {
    const interval = fc
      .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1440 }))
      .filter(([from, to]) => from !== to)
      .map(([fromMinute, toMinute]) => ({ fromMinute, toMinute }));
    const rules = fc.array(fc.array(interval, { maxLength: 3 }), { minLength: 7, maxLength: 7 });
    fc.assert(
      fc.property(rules, rules, (a, b) => {
        const other = allowedMinutesOf(b);
        const both = allowedMinutesOf(intersectWeeklyRules(a, other));
        const own = allowedMinutesOf(a);
        for (let m = 0; m < MINUTES_PER_WEEK; m++) expect(both[m]).toBe(own[m]! & other[m]!);
      }),
      { numRuns: 300 },
    );
  });
});
