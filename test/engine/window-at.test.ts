import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { windowAt } from '../../src/engine/window-at.js';
import { blackoutDaysOf } from '../../src/schedule/blackout-days.js';
import type { CallSchedule, CallWindow } from '../../src/schedule/call-schedule.js';
import { zoneRulesOf } from '../../src/schedule/gmt-zone.js';
import { scheduleOfParts } from '../../src/schedule/schedule-cache.js';
import type { WeeklyRules } from '../../src/schedule/weekly-rules.js';
import { WHOLE_DAY } from '../../src/schedule/weekly-rules.js';
import { weeklyWindowsOfRules } from '../../src/schedule/weekly-windows.js';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2024-03-01T00:00:00Z');
const ALWAYS: WeeklyRules = Array.from({ length: 7 }, () => WHOLE_DAY);
const NINE_TO_FIVE: WeeklyRules = Array.from({ length: 7 }, () => [{ fromMinute: 540, toMinute: 1020 }]);

/** The first window from `fromMs` on whose end is after `atMs`, stepping through every window. */
function steppedWindowAt(schedule: CallSchedule, fromMs: number, atMs: number): CallWindow | null {
  let window = schedule.nextWindow(fromMs);
  while (window !== null && window.end <= atMs) window = schedule.nextWindow(window.end);
  return window;
}

describe('windowAt', () => {
  it('finds the window current at an instant, blackout days included (an always-open table too)', () => {
    const firstDay = T0 / DAY_MS;
    fc.assert(
      fc.property(
        fc.constantFrom(ALWAYS, NINE_TO_FIVE),
        fc.constantFrom('America/New_York', 'Australia/Lord_Howe', 'Z'),
        fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 20 * DAY_MS }),
        fc.integer({ min: 0, max: 100 * DAY_MS }),
        (weekly, zone, days, fromOffset, span) => {
          const schedule = scheduleOfParts(
            zoneRulesOf(zone),
            weeklyWindowsOfRules(weekly),
            Number.NEGATIVE_INFINITY,
            Number.POSITIVE_INFINITY,
            blackoutDaysOf(days.map((d) => firstDay + d)),
          );
          const fromMs = T0 + fromOffset;
          expect(windowAt(schedule, fromMs, fromMs + span)).toEqual(
            steppedWindowAt(schedule, fromMs, fromMs + span),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
