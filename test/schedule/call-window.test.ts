/**
 * Example tests of SPEC section 3 (calling windows). Every expected instant below was computed with
 * java.time (JDK 17 zone rules: ZonedDateTime.of(LocalDateTime, ZoneId).toInstant() and a brute-force
 * scan of the wall-clock rule over whole seconds), not with the code under test.
 *
 * Calendar used: 2024-01-15 is a Monday; 2024-03-10, 2024-11-03, 2024-04-07, 2024-04-14, 2024-09-29 and
 * 2024-10-06 are Sundays.
 */
import { describe, expect, it } from 'vitest';
import { isCallAllowed, nextCallWindow } from '../../src/index.js';
import type { PolicyInput, TimeIntervalInput } from '../../src/policy/types.js';

/** Epoch ms of an ISO instant. */
const ms = (isoText: string): number => {
  const value = Date.parse(isoText);
  if (Number.isNaN(value)) throw new Error(`bad ISO instant in test: ${isoText}`);
  return value;
};

/** An instant as a readable ISO string (`.000` dropped), or `Infinity`. */
const iso = (value: number): string =>
  Number.isFinite(value) ? new Date(value).toISOString().replace('.000Z', 'Z') : String(value);

/** `nextCallWindow` with ISO instants in and out, for readable failures. */
function windowFrom(
  policy: PolicyInput,
  fromIso: string,
  defaults?: PolicyInput,
): { start: string; end: string } | null {
  const window =
    defaults === undefined
      ? nextCallWindow(policy, ms(fromIso))
      : nextCallWindow(policy, ms(fromIso), { defaults });
  return window === null ? null : { start: iso(window.start), end: iso(window.end) };
}

/** `isCallAllowed` at an ISO instant. */
function allowedAt(policy: PolicyInput, atIso: string, defaults?: PolicyInput): boolean {
  return defaults === undefined
    ? isCallAllowed(policy, ms(atIso))
    : isCallAllowed(policy, ms(atIso), { defaults });
}

/** Intervals from `'HH:mm-HH:mm'` strings. */
const times = (...ranges: string[]): TimeIntervalInput[] =>
  ranges.map((range) => {
    const [localTimeFrom, localTimeTo] = range.split('-') as [string, string];
    return { localTimeFrom, localTimeTo };
  });

describe('nextCallWindow', () => {
  describe('HH:mm intervals (§3)', () => {
    const nineToFive: PolicyInput = { gmtZone: 'Z', allowedTime: { default: times('09:00-17:00') } };

    it('opens at localTimeFrom and closes at localTimeTo (§3 HH:mm interval)', () => {
      expect(windowFrom(nineToFive, '2024-01-15T06:00:00Z')).toEqual({
        start: '2024-01-15T09:00:00Z',
        end: '2024-01-15T17:00:00Z',
      });
    });

    it('treats the interval as half-open [from, to) when asked about single instants (§3 HH:mm interval)', () => {
      expect(allowedAt(nineToFive, '2024-01-15T08:59:59.999Z')).toBe(false);
      expect(allowedAt(nineToFive, '2024-01-15T09:00:00Z')).toBe(true);
      expect(allowedAt(nineToFive, '2024-01-15T16:59:59.999Z')).toBe(true);
      expect(allowedAt(nineToFive, '2024-01-15T17:00:00Z')).toBe(false);
    });

    it('moves to the next day when from is the closing instant (§3 HH:mm interval, half-open)', () => {
      expect(windowFrom(nineToFive, '2024-01-15T17:00:00Z')).toEqual({
        start: '2024-01-16T09:00:00Z',
        end: '2024-01-16T17:00:00Z',
      });
    });

    it("reads HH:mm on the customer's wall clock in the number's zone (§3 wall-clock rule)", () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedTime: { default: times('09:00-17:00') },
      };
      // 09:00 and 17:00 EST (-05:00).
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T14:00:00Z',
        end: '2024-01-15T22:00:00Z',
      });
    });

    it('closes at midnight when localTimeTo is 24:00 (§3 24:00 end)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedDays: ['mon'],
        allowedTime: { mon: times('22:00-24:00') },
      };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T22:00:00Z',
        end: '2024-01-16T00:00:00Z',
      });
      expect(allowedAt(policy, '2024-01-15T23:59:59.999Z')).toBe(true);
      expect(allowedAt(policy, '2024-01-16T00:00:00Z')).toBe(false);
    });

    it("joins a 24:00 end with the next day's 00:00 start into one maximal window (§3 24:00 end, next window)", () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedDays: ['mon', 'tue'],
        allowedTime: { mon: times('22:00-24:00'), tue: times('00:00-02:00') },
      };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T22:00:00Z',
        end: '2024-01-16T02:00:00Z',
      });
    });
  });

  describe('overnight intervals (§3)', () => {
    const mondayNight: PolicyInput = {
      gmtZone: 'Z',
      allowedDays: ['mon'],
      allowedTime: { mon: times('20:00-03:00') },
    };

    it('starts on its day at from and ends the next day at to when from > to (§3 overnight)', () => {
      expect(windowFrom(mondayNight, '2024-01-15T12:00:00Z')).toEqual({
        start: '2024-01-15T20:00:00Z',
        end: '2024-01-16T03:00:00Z',
      });
    });

    it("allows Monday's after-midnight part on Tuesday although Tuesday is not an allowed day (§3 after-midnight part belongs to the start day)", () => {
      expect(windowFrom(mondayNight, '2024-01-16T00:30:00Z')).toEqual({
        start: '2024-01-16T00:30:00Z',
        end: '2024-01-16T03:00:00Z',
      });
      expect(allowedAt(mondayNight, '2024-01-16T02:59:59.999Z')).toBe(true);
      expect(allowedAt(mondayNight, '2024-01-16T03:00:00Z')).toBe(false);
    });

    it('does not open Tuesday evening when only Monday is allowed (§3 after-midnight part belongs to the start day)', () => {
      expect(allowedAt(mondayNight, '2024-01-16T20:00:00Z')).toBe(false);
      expect(windowFrom(mondayNight, '2024-01-16T03:00:00Z')).toEqual({
        start: '2024-01-22T20:00:00Z',
        end: '2024-01-23T03:00:00Z',
      });
    });

    it("wraps Sunday's after-midnight part to Monday (§3 overnight, week wrap)", () => {
      const sundayNight: PolicyInput = {
        gmtZone: 'Z',
        allowedDays: ['sun'],
        allowedTime: { sun: times('22:00-02:00') },
      };
      // Monday 2024-01-15 01:59 belongs to Sunday 2024-01-14's interval.
      expect(allowedAt(sundayNight, '2024-01-15T01:59:59.999Z')).toBe(true);
      expect(windowFrom(sundayNight, '2024-01-15T03:00:00Z')).toEqual({
        start: '2024-01-21T22:00:00Z',
        end: '2024-01-22T02:00:00Z',
      });
    });

    it('gives no after-midnight part to a day that allowedDays leaves out (§3 overnight, rules of the day before)', () => {
      const tuesdayNights: PolicyInput = {
        gmtZone: 'Z',
        allowedDays: ['tue'],
        allowedTime: { default: times('20:00-03:00') },
      };
      // Tuesday 01:00 would be Monday's after-midnight part, and Monday is not allowed.
      expect(allowedAt(tuesdayNights, '2024-01-16T01:00:00Z')).toBe(false);
      expect(windowFrom(tuesdayNights, '2024-01-16T00:00:00Z')).toEqual({
        start: '2024-01-16T20:00:00Z',
        end: '2024-01-17T03:00:00Z',
      });
    });

    describe('union of an after-midnight part with an early interval of the same list (§3)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedDays: ['mon', 'tue'],
        allowedTime: { default: times('20:00-03:00', '02:00-05:00') },
      };

      it('opens the early interval alone when the day before is not allowed (§3 union)', () => {
        expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
          start: '2024-01-15T02:00:00Z',
          end: '2024-01-15T05:00:00Z',
        });
      });

      it("merges Monday 20:00-03:00 with Tuesday's 02:00-05:00 into one window (§3 union)", () => {
        expect(windowFrom(policy, '2024-01-15T06:00:00Z')).toEqual({
          start: '2024-01-15T20:00:00Z',
          end: '2024-01-16T05:00:00Z',
        });
      });

      it("ends Tuesday's overnight at 03:00 when Wednesday is not allowed (§3 union)", () => {
        expect(windowFrom(policy, '2024-01-16T06:00:00Z')).toEqual({
          start: '2024-01-16T20:00:00Z',
          end: '2024-01-17T03:00:00Z',
        });
      });

      it("does not use Monday's early interval on Tuesday when only Monday is allowed (§3 union, allowedDays)", () => {
        const mondayOnly: PolicyInput = {
          gmtZone: 'Z',
          allowedDays: ['mon'],
          allowedTime: { mon: times('20:00-03:00', '02:00-05:00') },
        };
        expect(windowFrom(mondayOnly, '2024-01-15T06:00:00Z')).toEqual({
          start: '2024-01-15T20:00:00Z',
          end: '2024-01-16T03:00:00Z',
        });
      });
    });
  });

  describe('rules inheritance (§3)', () => {
    it('uses allowedTime[d] before allowedTime.default (§3 inheritance)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedTime: { mon: times('09:00-10:00'), default: times('12:00-13:00') },
      };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T09:00:00Z',
        end: '2024-01-15T10:00:00Z',
      });
      // Monday's own list replaces the default: no Monday 12:00 window, the next is Tuesday's default.
      expect(windowFrom(policy, '2024-01-15T10:00:00Z')).toEqual({
        start: '2024-01-16T12:00:00Z',
        end: '2024-01-16T13:00:00Z',
      });
    });

    it("uses the entry's allowedTime.default before the campaign's allowedTime[d] (§3 inheritance)", () => {
      const policy: PolicyInput = { gmtZone: 'Z', allowedTime: { default: times('12:00-13:00') } };
      const defaults: PolicyInput = { allowedTime: { mon: times('09:00-10:00') } };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z', defaults)).toEqual({
        start: '2024-01-15T12:00:00Z',
        end: '2024-01-15T13:00:00Z',
      });
    });

    it("falls through to the campaign's allowedTime[d], then its default, per weekday (§3 inheritance)", () => {
      const policy: PolicyInput = { gmtZone: 'Z', allowedTime: { tue: times('08:00-09:00') } };
      const defaults: PolicyInput = {
        allowedTime: { mon: times('10:00-11:00'), default: times('15:00-16:00') },
      };
      // Monday: entry has neither mon nor default -> campaign's mon.
      expect(windowFrom(policy, '2024-01-15T00:00:00Z', defaults)).toEqual({
        start: '2024-01-15T10:00:00Z',
        end: '2024-01-15T11:00:00Z',
      });
      // Tuesday: the entry's own tue.
      expect(windowFrom(policy, '2024-01-15T11:00:00Z', defaults)).toEqual({
        start: '2024-01-16T08:00:00Z',
        end: '2024-01-16T09:00:00Z',
      });
      // Wednesday: campaign's default.
      expect(windowFrom(policy, '2024-01-16T09:00:00Z', defaults)).toEqual({
        start: '2024-01-17T15:00:00Z',
        end: '2024-01-17T16:00:00Z',
      });
    });

    it("uses the campaign's allowedTime.default when the entry has no allowedTime (§3 inheritance)", () => {
      const defaults: PolicyInput = { allowedTime: { default: times('12:00-13:00') } };
      expect(windowFrom({ gmtZone: 'Z' }, '2024-01-15T00:00:00Z', defaults)).toEqual({
        start: '2024-01-15T12:00:00Z',
        end: '2024-01-15T13:00:00Z',
      });
    });

    it('allows the whole day when no level sets allowedTime (§3 inheritance, whole day)', () => {
      const policy: PolicyInput = { gmtZone: 'Z', allowedDays: ['mon'] };
      expect(windowFrom(policy, '2024-01-14T12:00:00Z')).toEqual({
        start: '2024-01-15T00:00:00Z',
        end: '2024-01-16T00:00:00Z',
      });
    });

    it('allows every instant of the week when no level sets allowedDays or allowedTime (§3 inheritance, whole day)', () => {
      const policy: PolicyInput = { gmtZone: 'Z' };
      expect(allowedAt(policy, '2024-01-15T00:00:00Z')).toBe(true);
      expect(allowedAt(policy, '2024-01-15T11:30:00Z')).toBe(true);
      expect(allowedAt(policy, '2024-01-21T23:59:59.999Z')).toBe(true);
    });

    it('takes allowedDays from the campaign when the entry has none (§3 allowedDays inheritance)', () => {
      expect(windowFrom({ gmtZone: 'Z' }, '2024-01-15T00:00:00Z', { allowedDays: ['wed'] })).toEqual({
        start: '2024-01-17T00:00:00Z',
        end: '2024-01-18T00:00:00Z',
      });
    });

    it("takes the entry's allowedDays over the campaign's (§3 allowedDays inheritance)", () => {
      const policy: PolicyInput = { gmtZone: 'Z', allowedDays: ['tue'] };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z', { allowedDays: ['wed'] })).toEqual({
        start: '2024-01-16T00:00:00Z',
        end: '2024-01-17T00:00:00Z',
      });
    });

    it('allows nothing on a day allowedDays leaves out, even with allowedTime for that day (§3 allowedDays)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedDays: ['tue'],
        allowedTime: { mon: times('09:00-10:00'), tue: times('11:00-12:00') },
      };
      expect(allowedAt(policy, '2024-01-15T09:30:00Z')).toBe(false);
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-16T11:00:00Z',
        end: '2024-01-16T12:00:00Z',
      });
    });

    it("leaves out the entry's allowedTime day when the campaign's allowedDays omits it (§3 allowedDays)", () => {
      const policy: PolicyInput = { gmtZone: 'Z', allowedTime: { mon: times('09:00-10:00') } };
      // Monday is not allowed; Tuesday has no rules at any level: the whole day.
      expect(windowFrom(policy, '2024-01-15T00:00:00Z', { allowedDays: ['tue'] })).toEqual({
        start: '2024-01-16T00:00:00Z',
        end: '2024-01-17T00:00:00Z',
      });
    });
  });

  describe('start and finish (§3)', () => {
    it('allows [startDateTime, finishDateTime) half-open (§3 wall-clock rule: start <= t < finish)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        startDateTime: '2024-01-15T10:00:00Z',
        finishDateTime: '2024-01-15T12:00:00Z',
      };
      expect(allowedAt(policy, '2024-01-15T09:59:59.999Z')).toBe(false);
      expect(allowedAt(policy, '2024-01-15T10:00:00Z')).toBe(true);
      expect(allowedAt(policy, '2024-01-15T11:59:59.999Z')).toBe(true);
      expect(allowedAt(policy, '2024-01-15T12:00:00Z')).toBe(false);
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T10:00:00Z',
        end: '2024-01-15T12:00:00Z',
      });
    });

    it('caps the window end at finishDateTime (§3 next window)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedTime: { default: times('09:00-17:00') },
        finishDateTime: '2024-01-15T15:00:00Z',
      };
      expect(windowFrom(policy, '2024-01-15T06:00:00Z')).toEqual({
        start: '2024-01-15T09:00:00Z',
        end: '2024-01-15T15:00:00Z',
      });
    });

    it('returns null when the finish comes at the opening of the only window left (§3 next window: null)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedTime: { default: times('09:00-17:00') },
        finishDateTime: '2024-01-15T09:00:00Z',
      };
      expect(windowFrom(policy, '2024-01-15T06:00:00Z')).toBeNull();
    });

    it('returns null when no window opens between from and finish (§3 next window: null)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedTime: { default: times('09:00-17:00') },
        finishDateTime: '2024-01-16T09:00:00Z',
      };
      expect(windowFrom(policy, '2024-01-15T17:00:00Z')).toBeNull();
    });

    it('returns null when from is at or after the finish (§3 next window: null)', () => {
      const policy: PolicyInput = { gmtZone: 'Z', finishDateTime: '2024-01-15T12:00:00Z' };
      expect(windowFrom(policy, '2024-01-15T12:00:00Z')).toBeNull();
      expect(windowFrom(policy, '2024-02-01T00:00:00Z')).toBeNull();
    });

    it('opens at a future startDateTime inside that day’s interval (§3 start)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedTime: { default: times('09:00-17:00') },
        startDateTime: '2024-01-17T10:30:00Z',
      };
      expect(windowFrom(policy, '2024-01-15T06:00:00Z')).toEqual({
        start: '2024-01-17T10:30:00Z',
        end: '2024-01-17T17:00:00Z',
      });
    });

    it('waits for the interval when a future startDateTime falls before it (§3 start)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Z',
        allowedTime: { default: times('09:00-17:00') },
        startDateTime: '2024-01-17T05:00:00Z',
      };
      expect(windowFrom(policy, '2024-01-15T06:00:00Z')).toEqual({
        start: '2024-01-17T09:00:00Z',
        end: '2024-01-17T17:00:00Z',
      });
    });

    it("reads start and finish without an offset as local date-times in the number's zone (§2, §3)", () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        startDateTime: '2024-01-15T10:00:00',
        finishDateTime: '2024-01-15T12:00:00',
      };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T15:00:00Z',
        end: '2024-01-15T17:00:00Z',
      });
    });

    it('reads a start with an explicit offset as that instant, whatever the zone (§2, §3)', () => {
      const policy: PolicyInput = { gmtZone: 'America/New_York', startDateTime: '2024-01-15T10:00:00+02:00' };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T08:00:00Z',
        end: 'Infinity',
      });
    });

    it('accepts start and finish as epoch ms (§2, §3)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        startDateTime: ms('2024-01-15T10:00:00Z'),
        finishDateTime: ms('2024-01-15T12:00:00Z'),
      };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T10:00:00Z',
        end: '2024-01-15T12:00:00Z',
      });
    });

    it('moves a local start in a DST gap forward by the gap (§2, §3)', () => {
      // 02:30 does not exist in New York on 2024-03-10: 03:30 EDT.
      const policy: PolicyInput = { gmtZone: 'America/New_York', startDateTime: '2024-03-10T02:30:00' };
      expect(windowFrom(policy, '2024-03-10T00:00:00Z')).toEqual({
        start: '2024-03-10T07:30:00Z',
        end: 'Infinity',
      });
    });

    it('takes the earlier instant for a local finish in a DST fold (§2, §3)', () => {
      // 01:30 happens twice in New York on 2024-11-03: the first is 01:30 EDT.
      const policy: PolicyInput = { gmtZone: 'America/New_York', finishDateTime: '2024-11-03T01:30:00' };
      expect(windowFrom(policy, '2024-11-03T00:00:00Z')).toEqual({
        start: '2024-11-03T00:00:00Z',
        end: '2024-11-03T05:30:00Z',
      });
    });

    it('returns end Infinity when every instant from start on is allowed and there is no finish (§3 next window)', () => {
      expect(windowFrom({ gmtZone: 'Z' }, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T00:00:00Z',
        end: 'Infinity',
      });
      expect(
        windowFrom({ gmtZone: 'Z', startDateTime: '2024-01-17T10:30:00Z' }, '2024-01-15T00:00:00Z'),
      ).toEqual({
        start: '2024-01-17T10:30:00Z',
        end: 'Infinity',
      });
    });

    it('returns start = from when from is allowed, mid-window (§3 next window)', () => {
      const policy: PolicyInput = { gmtZone: 'Z', allowedTime: { default: times('09:00-17:00') } };
      expect(windowFrom(policy, '2024-01-15T12:34:56.789Z')).toEqual({
        start: '2024-01-15T12:34:56.789Z',
        end: '2024-01-15T17:00:00Z',
      });
    });
  });

  describe('DST in America/New_York (§3 consequences at DST changes)', () => {
    it('opens a 02:30-04:00 window at 03:00 EDT on the spring-forward day (§3 DST gap)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedDays: ['sun'],
        allowedTime: { default: times('02:30-04:00') },
      };
      expect(windowFrom(policy, '2024-03-10T00:00:00Z')).toEqual({
        start: '2024-03-10T07:00:00Z',
        end: '2024-03-10T08:00:00Z',
      });
      // 01:59:59.999 EST: before the interval.
      expect(allowedAt(policy, '2024-03-10T06:59:59.999Z')).toBe(false);
    });

    it('skips a 02:00-03:00 window that the spring-forward removes: the next is the following day (§3 DST gap)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedTime: { default: times('02:00-03:00') },
      };
      expect(windowFrom(policy, '2024-03-10T05:00:00Z')).toEqual({
        start: '2024-03-11T06:00:00Z',
        end: '2024-03-11T07:00:00Z',
      });
    });

    it('spans the gap when the window covers it: 01:00 EST to 04:00 EDT is two real hours (§3 DST gap)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedTime: { default: times('01:00-04:00') },
      };
      expect(windowFrom(policy, '2024-03-10T05:00:00Z')).toEqual({
        start: '2024-03-10T06:00:00Z',
        end: '2024-03-10T08:00:00Z',
      });
    });

    it('ends an overnight interval at 03:00 EDT when the night loses an hour (§3 DST gap, overnight)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedDays: ['sat'],
        allowedTime: { sat: times('23:00-03:00') },
      };
      expect(windowFrom(policy, '2024-03-09T12:00:00Z')).toEqual({
        start: '2024-03-10T04:00:00Z',
        end: '2024-03-10T07:00:00Z',
      });
    });

    it('allows a 01:00-02:00 window both times on the fall-back day: one window 05:00Z-07:00Z (§3 DST fold)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedTime: { default: times('01:00-02:00') },
      };
      expect(windowFrom(policy, '2024-11-03T04:00:00Z')).toEqual({
        start: '2024-11-03T05:00:00Z',
        end: '2024-11-03T07:00:00Z',
      });
      // 01:30 EST, the second 01:30.
      expect(allowedAt(policy, '2024-11-03T06:30:00Z')).toBe(true);
    });

    it('splits a 00:30-01:30 window that crosses into the fold into two windows (§3 DST fold)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedTime: { default: times('00:30-01:30') },
      };
      // 00:30-01:30 EDT, then the repeated 01:00-01:30 EST.
      expect(windowFrom(policy, '2024-11-03T04:00:00Z')).toEqual({
        start: '2024-11-03T04:30:00Z',
        end: '2024-11-03T05:30:00Z',
      });
      expect(windowFrom(policy, '2024-11-03T05:30:00Z')).toEqual({
        start: '2024-11-03T06:00:00Z',
        end: '2024-11-03T06:30:00Z',
      });
    });

    it('splits a 01:30-03:00 window that starts inside the fold into two windows (§3 DST fold)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedTime: { default: times('01:30-03:00') },
      };
      // 01:30-02:00 EDT; the clock goes back to 01:00 EST; then 01:30-03:00 EST.
      expect(windowFrom(policy, '2024-11-03T04:00:00Z')).toEqual({
        start: '2024-11-03T05:30:00Z',
        end: '2024-11-03T06:00:00Z',
      });
      expect(windowFrom(policy, '2024-11-03T06:00:00Z')).toEqual({
        start: '2024-11-03T06:30:00Z',
        end: '2024-11-03T08:00:00Z',
      });
    });

    it('lengthens a 00:00-03:00 window that covers the fold to four real hours (§3 DST fold)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedTime: { default: times('00:00-03:00') },
      };
      expect(windowFrom(policy, '2024-11-03T04:00:00Z')).toEqual({
        start: '2024-11-03T04:00:00Z',
        end: '2024-11-03T08:00:00Z',
      });
    });

    it('ends an overnight interval at the second 02:00 when the night gains an hour (§3 DST fold, overnight)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/New_York',
        allowedDays: ['sat'],
        allowedTime: { sat: times('23:00-02:00') },
      };
      expect(windowFrom(policy, '2024-11-02T12:00:00Z')).toEqual({
        start: '2024-11-03T03:00:00Z',
        end: '2024-11-03T07:00:00Z',
      });
    });
  });

  describe('other zones (§3 wall-clock rule, §4 offsets)', () => {
    it('opens a 02:00-03:00 window at 02:30 (+11:00) on the Lord Howe 30-minute spring-forward (§3 DST gap)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Australia/Lord_Howe',
        allowedDays: ['sun'],
        allowedTime: { default: times('02:00-03:00') },
      };
      expect(windowFrom(policy, '2024-10-05T00:00:00Z')).toEqual({
        start: '2024-10-05T15:30:00Z',
        end: '2024-10-05T16:00:00Z',
      });
    });

    it('allows the repeated 01:30-02:00 both times on the Lord Howe 30-minute fall-back (§3 DST fold)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Australia/Lord_Howe',
        allowedDays: ['sun'],
        allowedTime: { default: times('01:30-02:00') },
      };
      expect(windowFrom(policy, '2024-04-06T00:00:00Z')).toEqual({
        start: '2024-04-06T14:30:00Z',
        end: '2024-04-06T15:30:00Z',
      });
    });

    it('splits a 01:45-02:15 window across the Lord Howe fold (§3 DST fold)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Australia/Lord_Howe',
        allowedDays: ['sun'],
        allowedTime: { default: times('01:45-02:15') },
      };
      // 01:45-02:00 (+11:00); the clock goes back to 01:30; then 01:45-02:15 (+10:30).
      expect(windowFrom(policy, '2024-04-06T00:00:00Z')).toEqual({
        start: '2024-04-06T14:45:00Z',
        end: '2024-04-06T15:00:00Z',
      });
      expect(windowFrom(policy, '2024-04-06T15:00:00Z')).toEqual({
        start: '2024-04-06T15:15:00Z',
        end: '2024-04-06T15:45:00Z',
      });
    });

    it('reads Asia/Kathmandu at +05:45 (§3 wall-clock rule)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Asia/Kathmandu',
        allowedTime: { default: times('09:00-17:00') },
      };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T03:15:00Z',
        end: '2024-01-15T11:15:00Z',
      });
    });

    it('takes the weekday from the local date, not the UTC date (§3 wall-clock rule: L’s weekday)', () => {
      // Monday in Kathmandu is Sunday 18:15Z to Monday 18:15Z.
      expect(windowFrom({ gmtZone: 'Asia/Kathmandu', allowedDays: ['mon'] }, '2024-01-14T00:00:00Z')).toEqual(
        {
          start: '2024-01-14T18:15:00Z',
          end: '2024-01-15T18:15:00Z',
        },
      );
      // Monday at UTC-5 is Monday 05:00Z to Tuesday 05:00Z.
      expect(windowFrom({ gmtZone: 'Etc/GMT+5', allowedDays: ['mon'] }, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T05:00:00Z',
        end: '2024-01-16T05:00:00Z',
      });
    });

    it('reads Pacific/Chatham at +13:45 in January and +12:45 in July (§3 wall-clock rule)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Pacific/Chatham',
        allowedTime: { default: times('09:00-17:00') },
      };
      expect(windowFrom(policy, '2024-01-14T12:00:00Z')).toEqual({
        start: '2024-01-14T19:15:00Z',
        end: '2024-01-15T03:15:00Z',
      });
      expect(windowFrom(policy, '2024-07-14T12:00:00Z')).toEqual({
        start: '2024-07-14T20:15:00Z',
        end: '2024-07-15T04:15:00Z',
      });
    });

    it('opens a 03:00-04:00 window at 03:45 on the Chatham spring-forward (02:45 -> 03:45) (§3 DST gap)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Pacific/Chatham',
        allowedDays: ['sun'],
        allowedTime: { default: times('03:00-04:00') },
      };
      expect(windowFrom(policy, '2024-09-28T00:00:00Z')).toEqual({
        start: '2024-09-28T14:00:00Z',
        end: '2024-09-28T14:15:00Z',
      });
    });

    it('splits a 03:00-04:00 window across the Chatham fall-back (03:45 -> 02:45) (§3 DST fold)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Pacific/Chatham',
        allowedDays: ['sun'],
        allowedTime: { default: times('03:00-04:00') },
      };
      expect(windowFrom(policy, '2024-04-06T00:00:00Z')).toEqual({
        start: '2024-04-06T13:15:00Z',
        end: '2024-04-06T14:00:00Z',
      });
      expect(windowFrom(policy, '2024-04-06T14:00:00Z')).toEqual({
        start: '2024-04-06T14:15:00Z',
        end: '2024-04-06T15:15:00Z',
      });
    });

    it('reads America/St_Johns at -03:30 in January and -02:30 in July (§3 wall-clock rule)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/St_Johns',
        allowedTime: { default: times('09:00-17:00') },
      };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T12:30:00Z',
        end: '2024-01-15T20:30:00Z',
      });
      expect(windowFrom(policy, '2024-07-15T00:00:00Z')).toEqual({
        start: '2024-07-15T11:30:00Z',
        end: '2024-07-15T19:30:00Z',
      });
    });

    it('opens a 02:30-03:30 window at 03:00 (-02:30) on the St. John’s spring-forward (§3 DST gap)', () => {
      const policy: PolicyInput = {
        gmtZone: 'America/St_Johns',
        allowedDays: ['sun'],
        allowedTime: { default: times('02:30-03:30') },
      };
      expect(windowFrom(policy, '2024-03-10T00:00:00Z')).toEqual({
        start: '2024-03-10T05:30:00Z',
        end: '2024-03-10T06:00:00Z',
      });
    });

    it('reads Africa/Casablanca at +00:00 during Ramadan 2024 and +01:00 after it (§3 wall-clock rule)', () => {
      // java.time: 2024-03-10T03:00+01:00 -> 02:00+00:00, 2024-04-14T02:00+00:00 -> 03:00+01:00.
      const policy: PolicyInput = {
        gmtZone: 'Africa/Casablanca',
        allowedTime: { default: times('09:00-17:00') },
      };
      expect(windowFrom(policy, '2024-03-20T00:00:00Z')).toEqual({
        start: '2024-03-20T09:00:00Z',
        end: '2024-03-20T17:00:00Z',
      });
      expect(windowFrom(policy, '2024-04-17T00:00:00Z')).toEqual({
        start: '2024-04-17T08:00:00Z',
        end: '2024-04-17T16:00:00Z',
      });
    });

    it('allows the repeated 02:00-03:00 both times when Casablanca falls back for Ramadan (§3 DST fold)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Africa/Casablanca',
        allowedTime: { default: times('02:00-03:00') },
      };
      expect(windowFrom(policy, '2024-03-10T00:00:00Z')).toEqual({
        start: '2024-03-10T01:00:00Z',
        end: '2024-03-10T03:00:00Z',
      });
    });

    it('skips the 02:00-03:00 window Casablanca removes after Ramadan (§3 DST gap)', () => {
      const policy: PolicyInput = {
        gmtZone: 'Africa/Casablanca',
        allowedTime: { default: times('02:00-03:00') },
      };
      expect(windowFrom(policy, '2024-04-14T00:00:00Z')).toEqual({
        start: '2024-04-15T01:00:00Z',
        end: '2024-04-15T02:00:00Z',
      });
    });

    it('puts window boundaries at seconds offsets in the fixed zone +05:30:15 (§3 wall-clock rule)', () => {
      const policy: PolicyInput = { gmtZone: '+05:30:15', allowedTime: { default: times('09:00-17:00') } };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T03:29:45Z',
        end: '2024-01-15T11:29:45Z',
      });
      expect(allowedAt(policy, '2024-01-15T03:29:44.999Z')).toBe(false);
      expect(allowedAt(policy, '2024-01-15T03:29:45Z')).toBe(true);
      expect(allowedAt(policy, '2024-01-15T11:29:44.999Z')).toBe(true);
      expect(allowedAt(policy, '2024-01-15T11:29:45Z')).toBe(false);
    });

    it('reads Etc/GMT+5 as UTC-05:00 all year, with no DST (§3 wall-clock rule, §4)', () => {
      const policy: PolicyInput = { gmtZone: 'Etc/GMT+5', allowedTime: { default: times('09:00-17:00') } };
      expect(windowFrom(policy, '2024-01-15T00:00:00Z')).toEqual({
        start: '2024-01-15T14:00:00Z',
        end: '2024-01-15T22:00:00Z',
      });
      expect(windowFrom(policy, '2024-07-15T00:00:00Z')).toEqual({
        start: '2024-07-15T14:00:00Z',
        end: '2024-07-15T22:00:00Z',
      });
    });
  });
});
