/**
 * Example tests of spec section 12 in the pure functions: `nextCallWindow(policy, from, { defaults,
 * rules })` and `isCallAllowed(policy, atMs, { defaults, rules })`. Instants at local midnights in
 * region zones were computed with java.time (`LocalDate.atStartOfDay(zone).toInstant()`, JDK 17 zone
 * rules); the others follow from fixed offsets (EST -05:00, EDT -04:00, CST -06:00, Kathmandu +05:45).
 *
 * Calendar used: 2024-01-15 and 2024-02-12 are Mondays, 2024-01-14 and 2024-02-11 Sundays; 2024-02-13
 * is Mardi Gras, a public holiday in Louisiana; 2000-01-01 (New Year) and 2000-01-17 (Martin Luther
 * King Day) are US public holidays.
 */
import { describe, expect, it } from 'vitest';
import {
  type CallingRule,
  DialerError,
  isCallAllowed,
  nextCallWindow,
  type PolicyInput,
  type TimeIntervalInput,
  US_RULES,
} from '../../src/index.js';
import { scheduleOf } from '../../src/policy/call-window.js';
import { HOLIDAY_FIRST_YEAR, HOLIDAY_LAST_YEAR } from '../../src/policy/compiled-rules.js';

const ms = (isoText: string) => Date.parse(isoText);
const iso = (value: number) =>
  Number.isFinite(value) ? new Date(value).toISOString().replace('.000Z', 'Z') : String(value);
const times = (...ranges: string[]): TimeIntervalInput[] =>
  ranges.map((range) => {
    const [localTimeFrom, localTimeTo] = range.split('-') as [string, string];
    return { localTimeFrom, localTimeTo };
  });

function windowFrom(
  policy: PolicyInput,
  fromIso: string,
  rules: readonly CallingRule[],
  defaults?: PolicyInput,
): { start: string; end: string } | null {
  const options = defaults === undefined ? { rules } : { rules, defaults };
  const window = nextCallWindow(policy, ms(fromIso), options);
  return window === null ? null : { start: iso(window.start), end: iso(window.end) };
}

const NEW_YORK = 'America/New_York';

describe('nextCallWindow with rules (§12)', () => {
  it('narrows the hours to the rule’s: a call needs the policy and every rule (§12 allowedTime)', () => {
    const policy = { gmtZone: NEW_YORK, allowedTime: { default: times('07:00-22:00') } };
    const federal = [{ name: 'hours', allowedTime: { default: times('08:00-21:00') } }];
    expect(windowFrom(policy, '2024-01-15T12:00:00Z', federal)).toEqual({
      start: '2024-01-15T13:00:00Z',
      end: '2024-01-16T02:00:00Z',
    });
  });

  it('never widens a window: hours wider than the policy’s change nothing (§12 "a rule never widens")', () => {
    const policy = { gmtZone: NEW_YORK, allowedTime: { default: times('09:00-12:00') } };
    const wide = [{ name: 'wide', allowedTime: { default: times('08:00-21:00') } }];
    expect(windowFrom(policy, '2024-01-15T12:00:00Z', wide)).toEqual({
      start: '2024-01-15T14:00:00Z',
      end: '2024-01-15T17:00:00Z',
    });
    expect(nextCallWindow(policy, ms('2024-01-15T12:00:00Z'), { rules: wide })).toEqual(
      nextCallWindow(policy, ms('2024-01-15T12:00:00Z')),
    );
  });

  it('leaves out the days the rule leaves out (§12 allowedDays)', () => {
    const monToSat = [
      { name: 'no-sundays', allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const },
    ];
    // From Sunday noon: Monday 00:00 EST to the next Sunday 00:00 EST.
    expect(windowFrom({ gmtZone: NEW_YORK }, '2024-01-14T17:00:00Z', monToSat)).toEqual({
      start: '2024-01-15T05:00:00Z',
      end: '2024-01-21T05:00:00Z',
    });
  });

  it('intersects overnight intervals and 24:00 ends on the same wall clock (§12 allowedTime, §3 overnight)', () => {
    const kathmandu = 'Asia/Kathmandu';
    const lateEvening = { gmtZone: kathmandu, allowedTime: { default: times('22:00-24:00') } };
    const nights = [{ name: 'nights', allowedTime: { default: times('20:00-02:00') } }];
    // 22:00 to 24:00 local (+05:45): the rule's after-midnight part is not in the policy.
    expect(windowFrom(lateEvening, '2024-01-15T00:00:00Z', nights)).toEqual({
      start: '2024-01-15T16:15:00Z',
      end: '2024-01-15T18:15:00Z',
    });
    const lateNight = {
      gmtZone: kathmandu,
      allowedTime: { mon: times('23:00-03:00') },
      allowedDays: ['mon'] as const,
    };
    // Monday 23:00 to Tuesday 02:00 local: both overnight, the earlier end wins.
    expect(windowFrom(lateNight, '2024-01-15T00:00:00Z', nights)).toEqual({
      start: '2024-01-15T17:15:00Z',
      end: '2024-01-15T20:15:00Z',
    });
  });

  it('blocks blackout dates from 00:00 to 24:00 in the job’s zone, DST days included (§12 blackoutDates)', () => {
    const nineToFive = { gmtZone: NEW_YORK, allowedTime: { default: times('09:00-17:00') } };
    const closed = [{ name: 'closed', blackoutDates: ['2024-03-11'] }];
    // The day after the spring-forward: the next window is Tuesday 09:00 EDT.
    expect(windowFrom(nineToFive, '2024-03-11T12:00:00Z', closed)).toEqual({
      start: '2024-03-12T13:00:00Z',
      end: '2024-03-12T21:00:00Z',
    });
    // Lord Howe's 2024-04-07 lasts 24.5 hours: 2024-04-06T13:00Z to 2024-04-07T13:30Z.
    const lordHowe = [{ name: 'closed', blackoutDates: ['2024-04-07'] }];
    expect(windowFrom({ gmtZone: 'Australia/Lord_Howe' }, '2024-04-06T00:00:00Z', lordHowe)).toEqual({
      start: '2024-04-06T00:00:00Z',
      end: '2024-04-06T13:00:00Z',
    });
    expect(
      isCallAllowed({ gmtZone: 'Australia/Lord_Howe' }, ms('2024-04-07T13:29:59Z'), { rules: lordHowe }),
    ).toBe(false);
    expect(
      isCallAllowed({ gmtZone: 'Australia/Lord_Howe' }, ms('2024-04-07T13:30:00Z'), { rules: lordHowe }),
    ).toBe(true);
  });

  it('blacks out a place’s public holidays from the holiday calendar (§12 holidays)', () => {
    const chicago = { gmtZone: 'America/Chicago', allowedTime: { default: times('09:00-17:00') } };
    const louisiana = [{ name: 'la', holidays: { country: 'US', region: 'US-LA' } }];
    // Mardi Gras 2024-02-13 is skipped: Wednesday 09:00 CST.
    expect(windowFrom(chicago, '2024-02-13T12:00:00Z', louisiana)).toEqual({
      start: '2024-02-14T15:00:00Z',
      end: '2024-02-14T23:00:00Z',
    });
    // The US list alone has no Mardi Gras.
    const federal = [{ name: 'us', holidays: { country: 'US' } }];
    expect(windowFrom(chicago, '2024-02-13T12:00:00Z', federal)).toEqual({
      start: '2024-02-13T15:00:00Z',
      end: '2024-02-13T23:00:00Z',
    });
  });

  it(`reads holidays for ${HOLIDAY_FIRST_YEAR} to ${HOLIDAY_LAST_YEAR} and allows nothing outside them (safe side)`, () => {
    const us = [{ name: 'us', holidays: { country: 'US' } }];
    // 2000-01-01 is New Year's Day: the first window opens on the 2nd and ends at MLK Day.
    expect(windowFrom({ gmtZone: 'Z' }, '1999-06-01T00:00:00Z', us)).toEqual({
      start: '2000-01-02T00:00:00Z',
      end: '2000-01-17T00:00:00Z',
    });
    expect(windowFrom({ gmtZone: 'Z' }, '2099-12-26T00:00:00Z', us)).toEqual({
      start: '2099-12-26T00:00:00Z',
      end: '2100-01-01T00:00:00Z',
    });
    expect(windowFrom({ gmtZone: 'Z' }, '2100-01-01T00:00:00Z', us)).toBeNull();
    // Without holidays, nothing bounds the years.
    expect(
      windowFrom({ gmtZone: 'Z' }, '2100-01-01T00:00:00Z', [{ name: 'x', blackoutDates: ['2024-12-25'] }]),
    ).toEqual({
      start: '2100-01-01T00:00:00Z',
      end: 'Infinity',
    });
  });

  it('keeps blackout dates in schedules bounded at the ends of the timeline (±8.64e15)', () => {
    const christmas = [{ name: 'x', blackoutDates: ['2024-12-25'] }];
    // 12:00Z on the 25th is local 00:00 in -12:00, local 02:00 on the 26th in +14:00.
    expect(
      windowFrom({ gmtZone: '-12', startDateTime: -8.64e15 }, '2024-12-25T12:00:00Z', christmas),
    ).toEqual({
      start: '2024-12-26T12:00:00Z',
      end: 'Infinity',
    });
    expect(
      windowFrom({ gmtZone: '+14', finishDateTime: 8.64e15 }, '2024-12-24T09:59:00Z', christmas),
    ).toEqual({
      start: '2024-12-24T09:59:00Z',
      end: '2024-12-24T10:00:00Z',
    });
  });

  it('carries maxAttemptsPer24h without narrowing any window: it limits attempts (§12 maxAttemptsPer24h)', () => {
    const policy = { gmtZone: NEW_YORK, allowedTime: { default: times('09:00-17:00') } };
    const capped = [{ name: 'cap', maxAttemptsPer24h: 3 }];
    expect(nextCallWindow(policy, ms('2024-01-15T12:00:00Z'), { rules: capped })).toEqual(
      nextCallWindow(policy, ms('2024-01-15T12:00:00Z')),
    );
    expect(() => nextCallWindow(policy, 0, { rules: [{ name: 'cap', maxAttemptsPer24h: 0 }] })).toThrow(
      DialerError,
    );
  });

  it('applies every rule, whatever its appliesTo: the pure functions know no phone (§12 appliesTo)', () => {
    const florida = [
      { name: 'fl', appliesTo: { regions: ['US-FL'] }, allowedTime: { default: times('08:00-20:00') } },
    ];
    expect(windowFrom({ gmtZone: NEW_YORK }, '2024-01-15T12:00:00Z', florida)).toEqual({
      start: '2024-01-15T13:00:00Z',
      end: '2024-01-16T01:00:00Z',
    });
  });

  it('reads rules in the policy’s zone, else the defaults’, else UTC (§12)', () => {
    const nine = [{ name: 'nine', allowedTime: { default: times('09:00-17:00') } }];
    expect(windowFrom({}, '2024-01-15T00:00:00Z', nine, { gmtZone: 'Asia/Kathmandu' })).toEqual({
      start: '2024-01-15T03:15:00Z',
      end: '2024-01-15T11:15:00Z',
    });
    expect(windowFrom({}, '2024-01-15T00:00:00Z', nine)).toEqual({
      start: '2024-01-15T09:00:00Z',
      end: '2024-01-15T17:00:00Z',
    });
  });

  it('applies the built-in US rules all at once: Mon-Sat 10:00-20:00 without AL, LA and UT holidays', () => {
    const policy = { gmtZone: NEW_YORK };
    expect(windowFrom(policy, '2024-02-11T17:00:00Z', US_RULES)).toEqual({
      start: '2024-02-12T15:00:00Z',
      end: '2024-02-13T01:00:00Z',
    });
    // Mardi Gras is a Louisiana holiday: Wednesday next.
    expect(windowFrom(policy, '2024-02-13T01:00:00Z', US_RULES)).toEqual({
      start: '2024-02-14T15:00:00Z',
      end: '2024-02-15T01:00:00Z',
    });
  });

  it('throws DialerError with paths from [rules, i] for rules that are not valid, in both functions', () => {
    const rules = [{ name: 'a' }, { name: 'a', blackoutDates: ['2024-13-01'] }];
    for (const call of [() => nextCallWindow({}, 0, { rules }), () => isCallAllowed({}, 0, { rules })]) {
      try {
        call();
        expect.unreachable();
      } catch (error) {
        expect((error as DialerError).issues.map((issue) => [issue.path, issue.code])).toEqual([
          [['rules', 1, 'blackoutDates', 0], 'invalid.blackout.dates'],
          [['rules', 1, 'name'], 'invalid.rule.name'],
        ]);
      }
    }
    expect(() => nextCallWindow({}, 0, { rules: 'none' as never })).toThrow(DialerError);
  });

  it('gives equal schedules for equal rule sets, and the plain one for rules that narrow nothing', () => {
    const policy = { gmtZone: NEW_YORK };
    const a = [{ name: 'x', blackoutDates: ['2024-12-25'], allowedTime: { default: times('08:00-21:00') } }];
    const b = [
      {
        name: 'y',
        allowedTime: { default: times('08:00-21:00') },
        blackoutDates: ['2024-12-25', '2024-12-25'],
      },
    ];
    expect(scheduleOf(policy, undefined, a)).toBe(scheduleOf(policy, undefined, b));
    expect(scheduleOf(policy, undefined, [])).toBe(scheduleOf(policy));
    expect(scheduleOf(policy, undefined, [{ name: 'cap', maxAttemptsPer24h: 2 }])).toBe(scheduleOf(policy));
  });
});
