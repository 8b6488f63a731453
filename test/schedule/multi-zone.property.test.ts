/**
 * A schedule read in several zones (spec section 12, "Zone from the phone") against the brute-force
 * oracle: random weekly rules (section 3), blackout dates (section 12), start and finish read in each
 * zone, and 2 or 3 zones of every kind (section 4: DST in both hemispheres, 30-minute DST, fixed
 * offsets with seconds), within spans that keep the oracle's minute scan fast.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastWindow, windowAt } from '../../src/engine/window-at.js';
import { scheduleOf } from '../../src/policy/call-window.js';
import type { PolicyInput } from '../../src/policy/types.js';
import { blackoutDaysOf } from '../../src/schedule/blackout-days.js';
import type { CallSchedule, CallWindow } from '../../src/schedule/call-schedule.js';
import { zoneRulesOf } from '../../src/schedule/gmt-zone.js';
import { scheduleOfParts } from '../../src/schedule/schedule-cache.js';
import { MultiZoneOracle } from '../oracles/multi-zone-oracle.js';
import {
  allowedDaysArb,
  allowedTimeArb,
  FIXED_ZONES,
  instantArb,
  REGION_ZONES,
} from '../oracles/window-arbitraries.js';
import type { OraclePolicy } from '../oracles/window-oracle.js';

const NUM_RUNS = Number(process.env.FC_MULTI_ZONE_RUNS ?? 70);
const DAY_MS = 86_400_000;
/** How far the oracle scans from `from`: a day and a half of minutes in each zone. */
const SPAN_MS = 36 * 3_600_000;
/** Zones whose areas share numbers (NANP area codes over several zones), besides every kind of zone. */
const SHARED_ZONES = [
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Anchorage',
  'America/Adak',
];
const zoneArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REGION_ZONES, ...SHARED_ZONES) },
  fc.constantFrom(...FIXED_ZONES),
);

const caseArb = instantArb.chain((fromMs) =>
  fc.record({
    fromMs: fc.constant(fromMs),
    zones: fc.uniqueArray(zoneArb, { minLength: 2, maxLength: 3, selector: (zone) => zoneRulesOf(zone).id }),
    policy: fc.record(
      {
        allowedDays: allowedDaysArb,
        allowedTime: allowedTimeArb,
        startDateTime: nearDateTimeArb(fromMs, -30, 20),
        finishDateTime: nearDateTimeArb(fromMs, 6, 60),
      },
      { requiredKeys: [] },
    ),
    /** Blackout dates around `from`, as days from its UTC date. */
    blackout: fc.oneof(
      { weight: 2, arbitrary: fc.constant<number[]>([]) },
      fc.uniqueArray(fc.integer({ min: -1, max: 2 }), { minLength: 1, maxLength: 2 }),
    ),
  }),
);

/**
 * A date-time `minHours..maxHours` from `fromMs` (whole minutes), written as epoch ms, ISO with Z, ISO
 * with an offset, or local ISO (read in each zone).
 */
function nearDateTimeArb(fromMs: number, minHours: number, maxHours: number) {
  return fc
    .tuple(fc.integer({ min: minHours * 60, max: maxHours * 60 }), fc.integer({ min: 0, max: 3 }))
    .map(([minutes, form]) => {
      const t = Math.floor(fromMs / 60_000) * 60_000 + minutes * 60_000;
      switch (form) {
        case 0:
          return t;
        case 1:
          return `${new Date(t).toISOString().slice(0, 16)}:00Z`;
        case 2:
          return `${new Date(t + 5.5 * 3600_000).toISOString().slice(0, 19)}+05:30`;
        default:
          return new Date(t).toISOString().slice(0, 16);
      }
    });
}

/** The schedule under test: the policy compiled in each zone, joined by scheduleOfParts. */
function scheduleUnderTest(policy: OraclePolicy, zones: readonly string[], blackoutDays: readonly number[]) {
  const perZone = zones.map((gmtZone) => scheduleOf({ ...policy, gmtZone } as PolicyInput));
  for (const s of perZone) expect(s.weekly).toBe(perZone[0]!.weekly);
  return scheduleOfParts(
    zones.map((zone) => zoneRulesOf(zone)),
    perZone[0]!.weekly,
    Math.max(...perZone.map((s) => s.startMs)),
    Math.min(...perZone.map((s) => s.finishMs)),
    blackoutDaysOf(blackoutDays),
  );
}

/** The windows of `schedule` that meet `[fromMs, toMs)`, cut to it, by nextWindow from `fromMs`. */
function windowsIn(schedule: CallSchedule, fromMs: number, toMs: number): CallWindow[] {
  const found: CallWindow[] = [];
  for (let window = schedule.nextWindow(fromMs); window !== null && window.start < toMs; ) {
    found.push({ start: window.start, end: Math.min(window.end, toMs) });
    if (window.end >= toMs) break;
    window = schedule.nextWindow(window.end);
  }
  return found;
}

const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : String(t));
const texts = (windows: readonly CallWindow[]) => windows.map((w) => `${iso(w.start)}..${iso(w.end)}`);

describe('CallSchedule in several zones (spec §12) against the brute-force oracle', () => {
  it('allows exactly the instants every zone allows, windows and their ends included (§3, §4, §12)', () => {
    fc.assert(
      fc.property(caseArb, ({ fromMs, zones, policy, blackout }) => {
        const fromDay = Math.floor(fromMs / DAY_MS);
        const blackoutDays = blackout.map((d) => fromDay + d);
        const blackoutDates = blackoutDays.map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
        const oracle = new MultiZoneOracle(policy as OraclePolicy, zones, [
          { name: 'blackout', blackoutDates },
        ]);
        // A zone in which the policy's start is not before its finish is an invalid entry (§3), not a schedule.
        fc.pre(oracle.oracles.every((o) => o.startMs < o.finishMs));
        const schedule = scheduleUnderTest(policy as OraclePolicy, zones, blackoutDays);
        const toMs = fromMs + SPAN_MS;
        const expected = oracle.windows(fromMs, toMs);
        expect(texts(windowsIn(schedule, fromMs, toMs))).toEqual(texts(expected));
        for (const window of expected) {
          expect(schedule.isAllowed(window.start)).toBe(true);
          if (window.end < toMs) {
            expect(iso(schedule.windowEnd(window.start))).toBe(iso(window.end));
            expect(schedule.isAllowed(window.end)).toBe(false);
            expect(schedule.isAllowed(window.end - 1)).toBe(true);
          }
        }
        if (expected[0]?.start !== fromMs) expect(schedule.isAllowed(fromMs)).toBe(false);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("equals the intersection of the zones' own window lists over months (§12, each zone alone as in §3)", () => {
    const spanMs = 120 * DAY_MS;
    fc.assert(
      fc.property(caseArb, ({ fromMs, zones, policy, blackout }) => {
        const blackoutDays = blackout.map((d) => Math.floor(fromMs / DAY_MS) + d);
        let schedule: CallSchedule;
        try {
          schedule = scheduleUnderTest(policy as OraclePolicy, zones, blackoutDays);
        } catch {
          return fc.pre(false);
        }
        const toMs = fromMs + spanMs;
        // Each zone alone (the one-zone schedule, checked against the oracle by call-window.property.test.ts).
        const lists = schedule.zones.map((zone) =>
          windowsIn(
            scheduleOfParts(zone, schedule.weekly, schedule.startMs, schedule.finishMs, schedule.blackout),
            fromMs,
            toMs,
          ),
        );
        // Sweep: intersect the sorted lists two at a time.
        let common = lists[0]!;
        for (const list of lists.slice(1)) {
          const next: CallWindow[] = [];
          for (let i = 0, j = 0; i < common.length && j < list.length; ) {
            const start = Math.max(common[i]!.start, list[j]!.start);
            const end = Math.min(common[i]!.end, list[j]!.end);
            if (start < end) next.push({ start, end });
            if (common[i]!.end < list[j]!.end) i++;
            else j++;
          }
          common = next;
        }
        expect(texts(windowsIn(schedule, fromMs, toMs))).toEqual(texts(common));
      }),
      { numRuns: 4 * NUM_RUNS },
    );
  });

  it("keeps the engine's windowAt and lastWindow fast paths exact (§12 through §5: the window current at an instant)", () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 0, max: 60 * DAY_MS }),
        fc.constantFrom(undefined, 30 * DAY_MS),
        ({ fromMs, zones, policy, blackout }, aheadMs, finishAfterMs) => {
          const blackoutDays = blackout.map((d) => Math.floor(fromMs / DAY_MS) + d);
          // The finish comes from `finishAfterMs` here.
          const { finishDateTime: _finish, ...unbounded } = policy;
          let schedule: CallSchedule;
          try {
            schedule = scheduleUnderTest(unbounded, zones, blackoutDays);
          } catch {
            return fc.pre(false);
          }
          if (finishAfterMs !== undefined) {
            schedule = scheduleOfParts(
              schedule.zones,
              schedule.weekly,
              schedule.startMs,
              fromMs + finishAfterMs,
              schedule.blackout,
            );
          }
          const atMs = fromMs + aheadMs;
          let stepped = schedule.nextWindow(fromMs);
          while (stepped !== null && stepped.end <= atMs) stepped = schedule.nextWindow(stepped.end);
          expect(windowAt(schedule, fromMs, atMs)).toEqual(stepped);
          if (finishAfterMs === undefined) return;
          let last: CallWindow | null = null;
          for (let w = schedule.nextWindow(fromMs); w !== null; w = schedule.nextWindow(w.end)) last = w;
          // lastWindow may start the last window at its probe (as with one zone): the end is what counts.
          const found = lastWindow(schedule, fromMs);
          expect(found?.end).toEqual(last?.end);
          if (found !== null && last !== null) expect(found.start).toBeGreaterThanOrEqual(last.start);
        },
      ),
      { numRuns: 2 * NUM_RUNS },
    );
  });
});
