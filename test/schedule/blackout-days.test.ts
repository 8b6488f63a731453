import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLACKOUT_CACHE_CAPACITY,
  blackoutCacheSize,
  blackoutDaysOf,
  blackoutDaysOfKey,
  NO_BLACKOUT_DAYS,
} from '../../src/schedule/blackout-days.js';

/** The local day of a `YYYY-MM-DD` date. */
const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

describe('blackoutDaysOf', () => {
  it('is the shared empty set when nothing is blocked', () => {
    expect(blackoutDaysOf([])).toBe(NO_BLACKOUT_DAYS);
    expect(NO_BLACKOUT_DAYS.isEmpty).toBe(true);
    expect(NO_BLACKOUT_DAYS.key).toBe('');
    expect(NO_BLACKOUT_DAYS.isBlocked(0)).toBe(false);
    expect(NO_BLACKOUT_DAYS.nextBlockedDay(5)).toBe(Number.POSITIVE_INFINITY);
    expect(NO_BLACKOUT_DAYS.nextOpenDay(5)).toBe(5);
  });

  it('sorts, drops repeats and gives equal sets one object', () => {
    const a = blackoutDaysOf([day('2024-12-25'), day('2024-07-04'), day('2024-12-25')]);
    const b = blackoutDaysOf([day('2024-07-04'), day('2024-12-25')]);
    expect(a).toBe(b);
    expect(a.days).toEqual([day('2024-07-04'), day('2024-12-25')]);
    expect(a.isEmpty).toBe(false);
  });

  it('answers blocked, next blocked and next open days, runs of days included', () => {
    const set = blackoutDaysOf([10, 11, 12, 20]);
    expect([9, 10, 12, 13, 20].map((d) => set.isBlocked(d))).toEqual([false, true, true, false, true]);
    expect([0, 10, 13, 21].map((d) => set.nextBlockedDay(d))).toEqual([10, 10, 20, Number.POSITIVE_INFINITY]);
    expect([0, 10, 11, 20].map((d) => set.nextOpenDay(d))).toEqual([0, 13, 13, 21]);
  });

  it('answers as a plain set of days does, for days close together and years apart', () => {
    const days = fc.oneof(
      fc.array(fc.integer({ min: 19_000, max: 19_400 }), { maxLength: 60 }),
      fc.array(fc.integer({ min: -50_000, max: 50_000 }), { maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        days,
        fc.array(fc.integer({ min: -60_000, max: 60_000 }), { maxLength: 20 }),
        (listed, queries) => {
          const set = blackoutDaysOf(listed);
          const plain = new Set(listed);
          const inRange = [...plain, ...queries, 19_000, 19_400];
          for (const d of [...queries, ...listed, ...listed.map((x) => x + 1)]) {
            expect(set.isBlocked(d)).toBe(plain.has(d));
            const blocked = inRange.filter((x) => x >= d && plain.has(x));
            expect(set.nextBlockedDay(d)).toBe(
              blocked.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...blocked),
            );
            let open = d;
            while (plain.has(open)) open++;
            expect(set.nextOpenDay(d)).toBe(open);
          }
        },
      ),
    );
  });

  it('blocks every day outside its open span, and drops listed days there', () => {
    const set = blackoutDaysOf([5, 15, 40], 10, 30);
    expect(set.days).toEqual([15]);
    expect([9, 10, 15, 29, 30].map((d) => set.isBlocked(d))).toEqual([true, false, true, false, true]);
    expect(set.nextBlockedDay(16)).toBe(30);
    expect(set.nextBlockedDay(3)).toBe(3);
    expect(set.nextOpenDay(3)).toBe(10);
    expect(set.nextOpenDay(30)).toBe(Number.POSITIVE_INFINITY);
    expect(blackoutDaysOf([], 10, 30).isEmpty).toBe(false);
  });

  it('rejects days that are not 32-bit integers and spans that are not whole days', () => {
    expect(() => blackoutDaysOf([1.5])).toThrow(RangeError);
    expect(() => blackoutDaysOf([], 3, 2)).toThrow(RangeError);
    expect(() => blackoutDaysOf([], Number.NaN)).toThrow(RangeError);
  });

  it('keeps at most its capacity of sets', () => {
    for (let i = 0; i < BLACKOUT_CACHE_CAPACITY + 50; i++) blackoutDaysOf([i, i + 1000]);
    expect(blackoutCacheSize()).toBe(BLACKOUT_CACHE_CAPACITY);
  });
});

describe('BlackoutDays.key', () => {
  it('writes the span, the first day and one character a gap under 62', () => {
    // Gaps of 1 day and 173 days (173 is 4t in base 36).
    expect(blackoutDaysOf([day('2024-07-04'), day('2024-07-05'), day('2024-12-25')]).key).toBe(
      `..:${day('2024-07-04')}:1~4t.`,
    );
    expect(blackoutDaysOf([], 10957, 47482).key).toBe('10957..47482::');
  });

  it('reads back every set it writes, and nothing but canonical keys', () => {
    const span = fc.oneof(
      fc.constant([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] as const),
      fc
        .tuple(fc.integer({ min: -50_000, max: 50_000 }), fc.integer({ min: 0, max: 100_000 }))
        .map(([from, length]) => [from, from + length] as const),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -60_000, max: 160_000 }), { maxLength: 50 }),
        span,
        (days, [from, until]) => {
          const set = blackoutDaysOf(days, from, until);
          const read = blackoutDaysOfKey(set.key);
          expect(read?.key).toBe(set.key);
          expect(read?.days).toEqual(set.days);
          expect([read?.openFromDay, read?.openUntilDay]).toEqual([set.openFromDay, set.openUntilDay]);
        },
      ),
    );
    for (const bad of ['x', '..:5:0', '..::1', '..:5:~0.', '9..3::', '..:5:1 ']) {
      expect(blackoutDaysOfKey(bad)).toBeUndefined();
    }
    expect(blackoutDaysOfKey('')).toBe(NO_BLACKOUT_DAYS);
  });
});
