/**
 * Instants across the whole range of Date, its ends and just beyond them: every call returns (or throws
 * `invalid.option` beyond the range), windows are consistent with `isCallAllowed`, and far offsets
 * equal luxon's.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DialerError } from '../../src/errors.js';
import { isCallAllowed, nextCallWindow, parseGmtZone } from '../../src/index.js';
import type { PolicyInput } from '../../src/policy/types.js';
import { MAX_INSTANT_MS } from '../../src/schedule/instant.js';

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Pacific/Kiritimati',
  '+05:30:15',
  'Z',
];

const POLICIES: readonly Omit<PolicyInput, 'gmtZone'>[] = [
  { allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '17:00' }] } },
  { allowedTime: { default: [{ localTimeFrom: '20:00', localTimeTo: '03:00' }] }, allowedDays: ['sat'] },
  { allowedTime: { default: [{ localTimeFrom: '02:30', localTimeTo: '03:00' }] }, allowedDays: ['sun'] },
  { allowedTime: { default: [{ localTimeFrom: '00:00', localTimeTo: '24:00' }] } },
  {},
  { allowedDays: ['mon', 'wed'] },
  // A policy that starts late in the timeline.
  {
    startDateTime: '9999-12-31T23:00:00',
    allowedTime: { default: [{ localTimeFrom: '23:30', localTimeTo: '23:45' }] },
  },
];

/** Exactly at the ends, a little inside them, and uniform over the whole range. */
const inRangeArb = fc.oneof(
  fc.constantFrom(MAX_INSTANT_MS, -MAX_INSTANT_MS, MAX_INSTANT_MS - 1, -MAX_INSTANT_MS + 1, 0),
  fc.integer({ min: 0, max: 40 * 86_400_000 }).map((d) => MAX_INSTANT_MS - d),
  fc.integer({ min: 0, max: 40 * 86_400_000 }).map((d) => -MAX_INSTANT_MS + d),
  fc.bigInt({ min: -8_640_000_000_000_000n, max: 8_640_000_000_000_000n }).map(Number),
);
const beyondRangeArb = fc.oneof(
  fc.constantFrom(
    MAX_INSTANT_MS + 1,
    -MAX_INSTANT_MS - 1,
    1e16,
    -1e16,
    2e24,
    -2e24,
    -8.65e15,
    Number.MAX_VALUE,
  ),
  fc.bigInt({ min: 8_640_000_000_000_001n, max: 2n ** 80n }).map((n) => Number(n)),
);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DialerError) return error.issues[0]?.code;
    throw error;
  }
  return undefined;
}

describe('instants across the range of Date', () => {
  it('nextCallWindow returns a window consistent with isCallAllowed, up to the end of the timeline', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...POLICIES),
        inRangeArb,
        (gmtZone, rules, fromMs) => {
          const policy: PolicyInput = { ...rules, gmtZone };
          const window = nextCallWindow(policy, fromMs);
          const allowedAtFrom = isCallAllowed(policy, fromMs);
          if (window === null) {
            expect(allowedAtFrom).toBe(false);
            expect(isCallAllowed(policy, MAX_INSTANT_MS)).toBe(false);
            return;
          }
          const { start, end } = window;
          expect(start).toBeGreaterThanOrEqual(fromMs);
          expect(start).toBeLessThanOrEqual(MAX_INSTANT_MS);
          expect(start).toBeLessThan(end);
          expect(isCallAllowed(policy, start)).toBe(true);
          if (allowedAtFrom) expect(start).toBe(fromMs);
          if (start > fromMs) expect(isCallAllowed(policy, start - 1)).toBe(false);
          if (end === Number.POSITIVE_INFINITY) {
            // Open at the end of the timeline.
            expect(isCallAllowed(policy, MAX_INSTANT_MS)).toBe(true);
          } else {
            expect(end).toBeLessThanOrEqual(MAX_INSTANT_MS);
            expect(isCallAllowed(policy, end)).toBe(false);
            expect(isCallAllowed(policy, end - 1)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects instants beyond the range with invalid.option', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...POLICIES),
        beyondRangeArb,
        (gmtZone, rules, atMs) => {
          const policy: PolicyInput = { ...rules, gmtZone };
          expect(codeOf(() => nextCallWindow(policy, atMs))).toBe('invalid.option');
          expect(codeOf(() => isCallAllowed(policy, atMs))).toBe('invalid.option');
          expect(codeOf(() => parseGmtZone(gmtZone).offsetSecondsAt(atMs))).toBe('invalid.option');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('gives the offsets luxon gives, far from the present', () => {
    const regions = ZONES.filter((z) => z.includes('/'));
    fc.assert(
      fc.property(fc.constantFrom(...regions), inRangeArb, (zone, atMs) => {
        const luxonMinutes = DateTime.fromMillis(atMs, { zone }).offset;
        // luxon gives NaN where the wall-clock time falls beyond the range of Date.
        fc.pre(Number.isFinite(luxonMinutes));
        expect(parseGmtZone(zone).offsetSecondsAt(atMs)).toBe(Math.round(luxonMinutes * 60));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the ends of the timeline', () => {
  const nineToFive = (gmtZone: string): PolicyInput => ({
    gmtZone,
    allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '17:00' }] },
  });

  it('returns null when the next window would start after MAX_INSTANT_MS', () => {
    // 8.64e15 is 275760-09-13T00:00Z, 20:00 on a Friday in New York: the next 09:00 is after it.
    expect(nextCallWindow(nineToFive('America/New_York'), MAX_INSTANT_MS - 1)).toBeNull();
    expect(nextCallWindow(nineToFive('America/New_York'), MAX_INSTANT_MS)).toBeNull();
  });

  it('ends a window still open at MAX_INSTANT_MS at Infinity', () => {
    // 09:00 in Tokyo on 275760-09-13 is MAX_INSTANT_MS itself.
    const tokyo = nineToFive('Asia/Tokyo');
    expect(nextCallWindow(tokyo, MAX_INSTANT_MS - 3_600_000)).toEqual({
      start: MAX_INSTANT_MS,
      end: Number.POSITIVE_INFINITY,
    });
    expect(isCallAllowed(tokyo, MAX_INSTANT_MS)).toBe(true);
    expect(nextCallWindow({ gmtZone: 'America/New_York' }, MAX_INSTANT_MS)).toEqual({
      start: MAX_INSTANT_MS,
      end: Number.POSITIVE_INFINITY,
    });
  });

  it('finds windows from the start of the timeline, in local mean time', () => {
    const window = nextCallWindow(nineToFive('America/New_York'), -MAX_INSTANT_MS);
    // -271821-04-20 09:00 local mean time (-04:56:02).
    expect(window).toEqual({ start: -8_639_999_949_838_000, end: -8_639_999_921_038_000 });
    expect(parseGmtZone('Europe/London').offsetSecondsAt(-MAX_INSTANT_MS)).toBe(-75);
  });

  it('throws invalid.option for the instants that used to hang', () => {
    expect(codeOf(() => nextCallWindow(nineToFive('America/New_York'), 2e24))).toBe('invalid.option');
    expect(codeOf(() => parseGmtZone('Europe/London').offsetSecondsAt(-8.65e15))).toBe('invalid.option');
  });
});
