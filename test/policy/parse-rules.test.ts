/** Validation of the `rules` option (spec section 12: "validated like entries; issues have path starting with ['rules', i]"). */
import { describe, expect, it } from 'vitest';
import { DialerError, formatIssues } from '../../src/index.js';
import { parseRules } from '../../src/policy/parse-rules.js';
import { US_RULES } from '../../src/rules/us-rules.js';

/** The issues `parseRules` throws for `value`, as text. */
function issuesOf(value: unknown): string {
  try {
    parseRules(value);
  } catch (error) {
    if (error instanceof DialerError) return formatIssues(error.issues);
    throw error;
  }
  throw new Error('expected parseRules to throw');
}

describe('parseRules', () => {
  it('accepts the built-in US rules as they are, documentation fields included (§12)', () => {
    const rules = parseRules(US_RULES);
    expect(rules.map((rule) => rule.name)).toEqual(US_RULES.map((rule) => rule.name));
    const florida = rules.find((rule) => rule.name === 'us-fl-calling-hours');
    expect(florida?.maxAttemptsPer24h).toBe(3);
    expect(florida?.appliesTo).toEqual({ countries: [], regions: ['US-FL'] });
  });

  it('reads no rules as an empty list', () => {
    expect(parseRules(undefined)).toEqual([]);
    expect(parseRules([])).toEqual([]);
  });

  it('parses days and hours with the entry parsers: sorted days, minutes, overnight and 24:00 (§12 allowedDays, allowedTime)', () => {
    const [rule] = parseRules([
      {
        name: 'nights',
        allowedDays: ['sun', 'mon', 'mon'],
        allowedTime: {
          default: [{ localTimeFrom: '20:00', localTimeTo: '02:00' }],
          sun: [{ localTimeFrom: '12:00', localTimeTo: '24:00' }],
        },
      },
    ]);
    expect(rule).toEqual({
      name: 'nights',
      allowedDays: ['mon', 'sun'],
      allowedTime: {
        default: [{ fromMinute: 1200, toMinute: 120 }],
        sun: [{ fromMinute: 720, toMinute: 1440 }],
      },
      blackoutDays: [],
    });
  });

  it('reads blackout dates as sorted local days without repeats (§12 blackoutDates)', () => {
    const [rule] = parseRules([
      { name: 'b', blackoutDates: ['2024-12-25', '1969-12-31', '2024-12-25', '2024-02-29'] },
    ]);
    // Days since 1970-01-01: 1969-12-31 is -1, 2024-02-29 is 19782, 2024-12-25 is 20082.
    expect(rule?.blackoutDays).toEqual([-1, 19782, 20082]);
  });

  it('defaults holiday types to public holidays and sorts given ones (§12 holidays)', () => {
    const [a, b] = parseRules([
      { name: 'a', holidays: { country: 'US', region: 'US-LA' } },
      { name: 'b', holidays: { country: 'DE', types: ['public', 'bank', 'public'] } },
    ]);
    expect(a?.holidays).toEqual({ country: 'US', region: 'US-LA', types: ['public'] });
    expect(b?.holidays).toEqual({ country: 'DE', types: ['bank', 'public'] });
  });

  it('sorts the places a rule applies to (§12 appliesTo)', () => {
    const [rule] = parseRules([
      { name: 'p', appliesTo: { countries: ['US', 'CA', 'US'], regions: ['US-TX', 'CA-NL'] } },
    ]);
    expect(rule?.appliesTo).toEqual({ countries: ['CA', 'US'], regions: ['CA-NL', 'US-TX'] });
  });

  it('rejects what is not a list of rule objects', () => {
    expect(issuesOf({ name: 'x' })).toMatchInlineSnapshot(
      `"rules: rules {"name":"x"} is not valid: expected an array of rule objects. (invalid.option)"`,
    );
    expect(issuesOf([null, 'x'])).toMatchInlineSnapshot(`
      "rules[0]: rules[0] null is not valid: expected a rule object such as { name, allowedTime }. (invalid.option)
      rules[1]: rules[1] "x" is not valid: expected a rule object such as { name, allowedTime }. (invalid.option)"
    `);
  });

  it('needs a name, unique among the rules (§12 name)', () => {
    expect(
      issuesOf([{}, { name: '' }, { name: 'a' }, { name: 'a', allowedDays: 'mon' }]),
    ).toMatchInlineSnapshot(`
      "rules[0].name: rules[0].name is missing: expected a non-empty string, unique among the rules. (invalid.rule.name)
      rules[1].name: name "" is not valid: expected a non-empty string, unique among the rules. (invalid.rule.name)
      rules[3].allowedDays: allowedDays "mon" is not valid: expected a non-empty array of "mon", "tue", "wed", "thu", "fri", "sat", "sun". (invalid.allowed.days)
      rules[3].name: name "a" is used by rules[2] too: each rule needs a name of its own. (invalid.rule.name)"
    `);
  });

  it('names the closest field for an unknown one: a misspelt field must not widen a window', () => {
    expect(
      issuesOf([{ name: 'a', allowedDay: ['mon'], blackoutDate: ['2024-01-01'] }]),
    ).toMatchInlineSnapshot(`
      "rules[0].allowedDay: unknown field \`allowedDay\`; did you mean \`allowedDays\`? (unknown.field)
      rules[0].blackoutDate: unknown field \`blackoutDate\`; did you mean \`blackoutDates\`? (unknown.field)"
    `);
  });

  it('checks days and hours as an entry does, paths inside the rule', () => {
    expect(
      issuesOf([
        {
          name: 'a',
          allowedDays: ['mon', 'funday'],
          allowedTime: { mon: [{ localTimeFrom: '09:00', localTimeTo: '09:00' }], someday: [] },
        },
      ]),
    ).toMatchInlineSnapshot(`
      "rules[0].allowedDays[1]: allowedDays[1] "funday" is not a weekday: expected a non-empty array of "mon", "tue", "wed", "thu", "fri", "sat", "sun". (invalid.allowed.days)
      rules[0].allowedTime.mon[0]: allowedTime.mon[0] from "09:00" to "09:00" is an empty interval: localTimeFrom and localTimeTo must differ. (invalid.call.allowed.time)
      rules[0].allowedTime.someday: allowedTime key "someday" is not a weekday: expected one of mon, tue, wed, thu, fri, sat, sun, default. (invalid.call.allowed.time)"
    `);
  });

  it('checks blackout dates: an array of real calendar dates', () => {
    expect(
      issuesOf([
        { name: 'a', blackoutDates: '2024-12-25' },
        { name: 'b', blackoutDates: ['2024-02-30', '2024-1-5', 20241225] },
      ]),
    ).toMatchInlineSnapshot(`
        "rules[0].blackoutDates: blackoutDates "2024-12-25" is not valid: expected an array of local dates "YYYY-MM-DD". (invalid.blackout.dates)
        rules[1].blackoutDates[0]: blackoutDates[0] "2024-02-30" is not a date: expected a local date "YYYY-MM-DD" such as "2024-12-24". (invalid.blackout.dates)
        rules[1].blackoutDates[1]: blackoutDates[1] "2024-1-5" is not a date: expected a local date "YYYY-MM-DD" such as "2024-12-24". (invalid.blackout.dates)
        rules[1].blackoutDates[2]: blackoutDates[2] 20241225 is not a date: expected a local date "YYYY-MM-DD" such as "2024-12-24". (invalid.blackout.dates)"
      `);
  });

  it('checks holidays: a place the calendar knows, and its kinds of holidays', () => {
    expect(
      issuesOf([
        { name: 'a', holidays: 'US' },
        { name: 'b', holidays: { country: 'UK' } },
        { name: 'c', holidays: { country: 'US', region: 'US-XX', types: ['national'], year: 2024 } },
        { name: 'd', holidays: {} },
      ]),
    ).toMatchInlineSnapshot(`
      "rules[0].holidays: holidays "US" is not valid: expected { country, region?, types? }. (invalid.holidays)
      rules[1].holidays.country: holidays.country "UK" is not a country the holiday calendar knows: expected an ISO 3166-1 alpha-2 code such as "US". (invalid.holidays)
      rules[2].holidays.year: unknown field \`year\`; expected one of country, region, types (unknown.field)
      rules[2].holidays.region: holidays.region "US-XX" is not a region of US that the holiday calendar knows: expected an ISO 3166-2 code such as "US-…" (leave it out for the country's own list). (invalid.holidays)
      rules[2].holidays.types: holidays.types ["national"] is not valid: expected a non-empty array of "public", "bank", "school", "optional", "observance". (invalid.holidays)
      rules[3].holidays.country: holidays.country is missing: expected an ISO 3166-1 alpha-2 code the holiday calendar knows, such as "US". (invalid.holidays)"
    `);
  });

  it('checks places: codes phone numbers can be placed in, so that a rule never silently misses its phones', () => {
    expect(
      issuesOf([
        { name: 'a', appliesTo: ['US'] },
        { name: 'b', appliesTo: {} },
        { name: 'c', appliesTo: { countries: ['UK', 'us'], regions: ['US-PR', 'FL', 'GB-SCT'] } },
        { name: 'd', appliesTo: { countries: [], country: 'US' } },
      ]),
    ).toMatchInlineSnapshot(`
      "rules[0].appliesTo: appliesTo ["US"] is not valid: expected { countries?, regions? } of ISO 3166 codes (leave it out for every phone). (invalid.applies.to)
      rules[1].appliesTo: appliesTo names no place: expected countries or regions (leave it out for every phone). (invalid.applies.to)
      rules[2].appliesTo.countries[0]: appliesTo.countries[0] "UK" is not a country phone numbers are placed in: expected an ISO 3166-1 alpha-2 code such as "US" or "GB". (invalid.applies.to)
      rules[2].appliesTo.countries[1]: appliesTo.countries[1] "us" is not a country phone numbers are placed in: expected an ISO 3166-1 alpha-2 code such as "US" or "GB". (invalid.applies.to)
      rules[2].appliesTo.regions[0]: appliesTo.regions[0] "US-PR" is not a region phone numbers of US are placed in: expected a state or province such as "US-FL" or "CA-NL" (territories such as PR are countries). (invalid.applies.to)
      rules[2].appliesTo.regions[1]: appliesTo.regions[1] "FL" is not a region: expected an ISO 3166-2 code such as "US-FL" or "CA-NL". (invalid.applies.to)
      rules[3].appliesTo.country: unknown field \`country\`; did you mean \`countries\`? (unknown.field)
      rules[3].appliesTo.countries: appliesTo.countries [] is not valid: expected a non-empty array of ISO 3166 codes. (invalid.applies.to)"
    `);
  });

  it('checks the per-24-hour cap: an integer from 1 to 1000 (§12 maxAttemptsPer24h)', () => {
    expect(
      issuesOf([
        { name: 'a', maxAttemptsPer24h: 0 },
        { name: 'b', maxAttemptsPer24h: 2.5 },
        { name: 'c', maxAttemptsPer24h: '3' },
      ]),
    ).toMatchInlineSnapshot(`
        "rules[0].maxAttemptsPer24h: maxAttemptsPer24h 0 is not valid: expected an integer from 1 to 1000 (attempt starts per phone in any 24 hours). (invalid.max.attempts.per.24h)
        rules[1].maxAttemptsPer24h: maxAttemptsPer24h 2.5 is not valid: expected an integer from 1 to 1000 (attempt starts per phone in any 24 hours). (invalid.max.attempts.per.24h)
        rules[2].maxAttemptsPer24h: maxAttemptsPer24h "3" is not valid: expected an integer from 1 to 1000 (attempt starts per phone in any 24 hours). (invalid.max.attempts.per.24h)"
      `);
  });

  it('starts every path with the option name given', () => {
    try {
      parseRules([{ name: 'a', foo: 1 }], 'extraRules');
      expect.unreachable();
    } catch (error) {
      expect((error as DialerError).issues.map((issue) => issue.path)).toEqual([['extraRules', 0, 'foo']]);
    }
  });
});
