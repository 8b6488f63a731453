import { describe, expect, it } from 'vitest';
import { DialerError, type Issue } from '../../src/errors.js';
import { parseEntries } from '../../src/policy/parse-entries.js';
import {
  addPhonesEntrySchema,
  entrySchemaFor,
  issuesFromZod,
  redialParamsSchema,
  type ValidationOptions,
} from '../../src/policy/schemas.js';
import type { ParsedEntry } from '../../src/policy/types.js';

const at = (iso: string) => Date.parse(iso);

/** The parsed entry, failing the test with the issues when the entry is rejected. */
function accept(entry: Record<string, unknown>, options: ValidationOptions = {}): ParsedEntry {
  const result = entrySchemaFor(options).safeParse(entry);
  if (!result.success)
    throw new Error(`expected the entry to pass, got ${JSON.stringify(issuesFromZod(result.error, 0))}`);
  return result.data;
}

/** The issues of a rejected entry (index 0), failing the test when the entry passes. */
function reject(entry: unknown, options: ValidationOptions = {}): Issue[] {
  const result = entrySchemaFor(options).safeParse(entry);
  if (result.success)
    throw new Error(`expected the entry to be rejected, got ${JSON.stringify(result.data)}`);
  return issuesFromZod(result.error, 0);
}

/** The one issue of a rejected entry. */
function onlyIssue(entry: unknown, options: ValidationOptions = {}): Issue {
  const issues = reject(entry, options);
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

const withPhone = (fields: Record<string, unknown>) => ({ phone: '+1 650 000-0000', ...fields });

/** A value as a message quotes it: strings in JSON quotes, anything else as `String()` gives it. */
const shown = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

const interval = (localTimeFrom: string, localTimeTo: string) => ({ localTimeFrom, localTimeTo });

describe('phone (spec §2)', () => {
  it.each([
    ['+1 650 000-0000', '16500000000'],
    [16500000000, '16500000000'],
    ['(650) 000.0000', '6500000000'],
    ['123', '123'],
    ['+123456789012345', '123456789012345'],
    [123456789012345, '123456789012345'],
    ['007 12', '00712'],
  ])('stores %j as the digit string %s', (phone, digits) => {
    expect(accept({ phone }).phone).toBe(digits);
  });

  it.each([
    ['12', 'too few digits'],
    ['+1 2', 'too few digits after dropping spaces'],
    ['1234567890123456', 'too many digits'],
    ['650-OOO-0000', 'letters'],
    ['650 000 0000 ext 1', 'letters'],
    ['1+650000000', 'a + that is not leading'],
    ['++16500000000', 'two pluses'],
    ['', 'an empty string'],
    ['+', 'a plus alone'],
  ])('rejects %j (%s) as phone.bad.format', (phone) => {
    const issue = onlyIssue({ phone });
    expect(issue).toMatchObject({ index: 0, path: ['phone'], code: 'phone.bad.format' });
    expect(issue.message).toContain(JSON.stringify(phone));
  });

  it.each([
    [-16500000000, 'a negative number'],
    [2 ** 53, 'an integer beyond the safe range'],
    [1e20, 'a number beyond the safe range'],
    [6500000000.5, 'a fraction'],
    [12, 'a number of two digits'],
    [1234567890123456, 'a number of sixteen digits'],
    [Number.NaN, 'NaN'],
  ])('rejects the number %d (%s) as phone.bad.format', (phone) => {
    const issue = onlyIssue({ phone });
    expect(issue).toMatchObject({ path: ['phone'], code: 'phone.bad.format' });
    expect(issue.message).toContain(String(phone).slice(0, 6));
  });

  it.each([[null], [true], [['16500000000']], [{ number: '16500000000' }]])(
    'rejects %j, which is neither a string nor a number',
    (phone) => {
      expect(onlyIssue({ phone })).toMatchObject({ path: ['phone'], code: 'phone.bad.format' });
    },
  );

  it('reports a missing phone as phone.bad.format', () => {
    const issue = onlyIssue({ maxAttempts: 2 });
    expect(issue).toMatchObject({ path: ['phone'], code: 'phone.bad.format' });
    expect(issue.message).toContain('missing');
    expect(onlyIssue({ phone: undefined }).code).toBe('phone.bad.format');
  });

  it('pins the message of a bad phone', () => {
    expect(onlyIssue({ phone: '650-OOO-0000' }).message).toMatchInlineSnapshot(
      `"phone "650-OOO-0000" is not a phone number: expected 3 to 15 digits with an optional leading +, such as "+1 650 000-0000"."`,
    );
  });
});

describe('payload (spec §2)', () => {
  it.each([
    ['an object', { customer: 'Ann', order: 42 }],
    ['an array', [1, 'two', true, null]],
    ['nested values', { a: [{ b: { c: [null, false, -1.5, 'é'] } }], d: {} }],
    ['a string', 'hello'],
    ['a number', 0],
    ['a boolean', false],
    ['null', null],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1 })],
  ])('passes back %s unchanged', (_, payload) => {
    expect(accept(withPhone({ payload })).payload).toStrictEqual(payload);
  });

  it('treats a top-level payload: undefined as no payload', () => {
    const entry = accept(withPhone({ payload: undefined }));
    expect('payload' in entry).toBe(false);
  });

  it('leaves payload out of an entry that has none', () => {
    expect('payload' in accept(withPhone({}))).toBe(false);
  });

  class Customer {
    readonly name = 'Ann';
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  // [1, <hole>, 3]
  const holey: unknown[] = new Array(3);
  holey[0] = 1;
  holey[2] = 3;
  const cyclicInArray: unknown[] = [1];
  cyclicInArray.push({ back: cyclicInArray });

  it.each([
    ['a cycle', cyclic, ['payload', 'self'], 'cycle'],
    ['a cycle through an array', cyclicInArray, ['payload', 1, 'back'], 'cycle'],
    ['a function inside', { onAnswer: () => 1 }, ['payload', 'onAnswer'], 'function'],
    ['a function', () => 1, ['payload'], 'function'],
    ['undefined inside an object', { a: [1, { b: undefined }] }, ['payload', 'a', 1, 'b'], 'undefined'],
    ['undefined inside an array', [1, undefined], ['payload', 1], 'undefined'],
    ['a hole in an array', holey, ['payload', 1], 'undefined'],
    ['NaN', { score: Number.NaN }, ['payload', 'score'], 'NaN'],
    ['Infinity', [Number.POSITIVE_INFINITY], ['payload', 0], 'Infinity'],
    ['-Infinity', Number.NEGATIVE_INFINITY, ['payload'], '-Infinity'],
    ['a BigInt', { id: 10n }, ['payload', 'id'], 'bigint'],
    ['a Date', { due: new Date(0) }, ['payload', 'due'], 'Date'],
    ['a class instance', new Customer(), ['payload'], 'Customer'],
    ['a Map', new Map([['a', 1]]), ['payload'], 'Map'],
    ['a Set deep inside', { a: { b: [new Set()] } }, ['payload', 'a', 'b', 0], 'Set'],
    ['a symbol', { s: Symbol('x') }, ['payload', 's'], 'symbol'],
    ['a boxed string', { s: new String('x') }, ['payload', 's'], 'String'],
  ])('rejects %s as payload.bad.format with its path', (_, payload, path, words) => {
    const issue = onlyIssue(withPhone({ payload }));
    expect(issue).toMatchObject({ index: 0, path, code: 'payload.bad.format' });
    expect(issue.message).toContain(words);
  });

  it('names the place of a bad value in its message', () => {
    expect(onlyIssue(withPhone({ payload: { a: [1, { b: undefined }] } })).message).toMatchInlineSnapshot(
      `"payload.a[1].b is undefined: expected plain JSON (objects, arrays, strings, finite numbers, booleans, null)."`,
    );
  });

  it('accepts a payload of exactly 65536 bytes of UTF-8 JSON and rejects one byte more', () => {
    // JSON adds the two quotes.
    expect(accept(withPhone({ payload: 'x'.repeat(65_534) })).payload).toHaveLength(65_534);
    const issue = onlyIssue(withPhone({ payload: 'x'.repeat(65_535) }));
    expect(issue).toMatchObject({ path: ['payload'], code: 'payload.bad.format' });
    expect(issue.message).toContain('65537');
    expect(issue.message).toContain('65536');
  });

  it('counts the size in UTF-8 bytes, not in characters', () => {
    // 'é' is two bytes in UTF-8: 2 + 2 * 32767 = 65536.
    accept(withPhone({ payload: 'é'.repeat(32_767) }));
    expect(onlyIssue(withPhone({ payload: `${'é'.repeat(32_767)}x` })).code).toBe('payload.bad.format');
  });

  it('takes a custom maxPayloadBytes from entrySchemaFor', () => {
    const options = { maxPayloadBytes: 10 };
    // '"12345678"' is 10 bytes.
    expect(accept(withPhone({ payload: '12345678' }), options).payload).toBe('12345678');
    const issue = onlyIssue(withPhone({ payload: '123456789' }), options);
    expect(issue).toMatchObject({ path: ['payload'], code: 'payload.bad.format' });
    expect(issue.message).toMatchInlineSnapshot(
      `"payload is 11 bytes as JSON: expected at most 10 bytes (maxPayloadBytes)."`,
    );
    expect(
      accept(withPhone({ payload: 'x'.repeat(100_000) }), { maxPayloadBytes: 200_000 }).payload,
    ).toHaveLength(100_000);
  });

  it('takes a custom maxPayloadBytes in parseEntries', () => {
    const { errors } = parseEntries([withPhone({ payload: [1, 2, 3] }), withPhone({ payload: [1, 2] })], {
      maxPayloadBytes: 6,
    });
    expect(errors).toMatchObject([{ index: 0, path: ['payload'], code: 'payload.bad.format' }]);
  });
});

describe('startDateTime and finishDateTime (spec §2)', () => {
  it.each([
    ['2024-03-10T09:00:00Z', '2024-03-10T09:00:00Z'],
    ['2024-03-10T09:00Z', '2024-03-10T09:00:00Z'],
    ['2024-03-10T09:00:00.250Z', '2024-03-10T09:00:00.250Z'],
    ['2024-03-10T09:00:00+05:30', '2024-03-10T03:30:00Z'],
    ['2024-03-10T09:00:00+0530', '2024-03-10T03:30:00Z'],
    ['2024-03-10T09:00:00+05', '2024-03-10T04:00:00Z'],
    ['2024-03-10T09:00:00-03:00', '2024-03-10T12:00:00Z'],
    ['2024-03-10T09:00:00+00:00', '2024-03-10T09:00:00Z'],
    ['2024-03-10T09:00:00+18:00', '2024-03-09T15:00:00Z'],
  ])('reads %s as the instant %s', (text, iso) => {
    const { policy } = accept(withPhone({ startDateTime: text, finishDateTime: text }));
    expect(policy.startDateTime).toEqual({ kind: 'instant', ms: at(iso) });
    expect(policy.finishDateTime).toEqual({ kind: 'instant', ms: at(iso) });
  });

  it('reads a date-time without an offset as a local date-time', () => {
    const { policy } = accept(
      withPhone({ startDateTime: '2024-03-10T09:00:00', finishDateTime: '2024-03-10T17:30' }),
    );
    expect(policy.startDateTime).toEqual({ kind: 'local', localMs: at('2024-03-10T09:00:00Z') });
    expect(policy.finishDateTime).toEqual({ kind: 'local', localMs: at('2024-03-10T17:30:00Z') });
  });

  it('reads epoch milliseconds as that instant', () => {
    const ms = at('2024-03-10T09:00:00Z');
    expect(accept(withPhone({ startDateTime: ms })).policy.startDateTime).toEqual({ kind: 'instant', ms });
    expect(accept(withPhone({ finishDateTime: 0 })).policy.finishDateTime).toEqual({
      kind: 'instant',
      ms: 0,
    });
  });

  it('accepts Feb 29 of a leap year', () => {
    expect(accept(withPhone({ startDateTime: '2024-02-29T09:00Z' })).policy.startDateTime).toEqual({
      kind: 'instant',
      ms: at('2024-02-29T09:00:00Z'),
    });
  });

  it.each([
    ['tomorrow'],
    [''],
    ['2024-03-10'],
    ['2024-03-10 09:00'],
    ['09:00'],
    ['2024-3-10T09:00'],
    ['2024-03-10T9:00'],
    ['2024-02-30T09:00'],
    ['2023-02-29T09:00'],
    ['2024-04-31T09:00Z'],
    ['2024-13-01T09:00'],
    ['2024-00-10T09:00'],
    ['2024-03-00T09:00'],
    ['2024-03-10T24:00'],
    ['2024-03-10T24:00:00Z'],
    ['2024-03-10T09:60'],
    ['2024-03-10T09:00:60'],
    ['2024-03-10T09:00+19:00'],
    ['2024-03-10T09:00+05:60'],
    ['2024-03-10T09:00+5:30'],
    ['2024-03-10T09:00 UTC'],
  ])('rejects %j as invalid.date.time', (text) => {
    const issue = onlyIssue(withPhone({ startDateTime: text }));
    expect(issue).toMatchObject({ path: ['startDateTime'], code: 'invalid.date.time' });
    expect(issue.message).toContain(JSON.stringify(text));
  });

  it.each([[1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [null], [true], [{}], [['2024-03-10T09:00Z']]])(
    'rejects %j, which is neither an ISO string nor epoch ms',
    (value) => {
      expect(onlyIssue(withPhone({ finishDateTime: value }))).toMatchObject({
        path: ['finishDateTime'],
        code: 'invalid.date.time',
      });
    },
  );

  it('pins the message of a date that does not exist', () => {
    expect(onlyIssue(withPhone({ startDateTime: '2024-02-30T09:00' })).message).toMatchInlineSnapshot(
      `"startDateTime "2024-02-30T09:00" is not a valid calendar date-time: expected an ISO 8601 date-time such as "2024-03-10T09:00:00", optionally with Z or an offset, or epoch milliseconds."`,
    );
  });

  it('reports start not before finish within one entry, and equal ones too', () => {
    const later = parseEntries([
      withPhone({ startDateTime: '2024-03-11T09:00Z', finishDateTime: '2024-03-10T09:00Z' }),
      withPhone({ startDateTime: '2024-03-10T09:00Z', finishDateTime: at('2024-03-10T09:00Z') }),
      withPhone({ startDateTime: '2024-03-10T09:00Z', finishDateTime: '2024-03-10T09:00:00.001Z' }),
    ]);
    expect(later.errors).toMatchObject([
      { index: 0, code: 'invalid.date.time' },
      { index: 1, code: 'invalid.date.time' },
    ]);
    expect(later.accepted[2]).toBeDefined();
  });

  it('reads local date-times in the entry zone: a DST gap moves forward, a fold takes the earlier instant', () => {
    const { accepted, errors } = parseEntries([
      withPhone({
        gmtZone: 'America/New_York',
        startDateTime: '2024-03-10T02:30',
        finishDateTime: '2024-11-03T01:30',
      }),
    ]);
    expect(errors).toEqual([]);
    expect(accepted[0]?.job.schedule.startMs).toBe(at('2024-03-10T07:30:00Z'));
    expect(accepted[0]?.job.schedule.finishMs).toBe(at('2024-11-03T05:30:00Z'));
  });
});

describe('allowedDays (spec §2)', () => {
  it('takes the days as a set: repeats are fine, order does not matter', () => {
    expect(accept(withPhone({ allowedDays: ['fri', 'mon', 'fri', 'mon'] })).policy.allowedDays).toEqual([
      'mon',
      'fri',
    ]);
    expect(
      accept(withPhone({ allowedDays: ['sun', 'sat', 'fri', 'thu', 'wed', 'tue', 'mon'] })).policy
        .allowedDays,
    ).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
  });

  it('rejects an empty list', () => {
    const issue = onlyIssue(withPhone({ allowedDays: [] }));
    expect(issue).toMatchObject({ path: ['allowedDays'], code: 'invalid.allowed.days' });
    expect(issue.message).toContain('[]');
  });

  it.each([['monday'], ['Mon'], ['MON'], [''], [1], [null]])(
    'rejects the unknown day %j with its position',
    (day) => {
      const issue = onlyIssue(withPhone({ allowedDays: ['tue', day] }));
      expect(issue).toMatchObject({ path: ['allowedDays', 1], code: 'invalid.allowed.days' });
      expect(issue.message).toContain(JSON.stringify(day));
    },
  );

  it.each([['mon'], [{ mon: true }], [1], [null]])('rejects %j, which is not an array', (value) => {
    const issue = onlyIssue(withPhone({ allowedDays: value }));
    expect(issue).toMatchObject({ path: ['allowedDays'], code: 'invalid.allowed.days' });
    expect(issue.message).toContain(JSON.stringify(value));
  });

  it('pins the message of an unknown day', () => {
    expect(onlyIssue(withPhone({ allowedDays: ['mon', 'funday'] })).message).toMatchInlineSnapshot(
      `"allowedDays[1] "funday" is not a weekday: expected a non-empty array of "mon", "tue", "wed", "thu", "fri", "sat", "sun"."`,
    );
  });
});

describe('allowedTime (spec §2, §3)', () => {
  const code = 'invalid.call.allowed.time';

  it('reads HH:mm intervals of weekdays and default as minutes of the day', () => {
    const { policy } = accept(
      withPhone({
        allowedTime: {
          mon: [interval('09:00', '12:00'), interval('13:30', '17:45')],
          sun: [interval('00:00', '24:00')],
          default: [interval('10:00', '18:00')],
        },
      }),
    );
    expect(policy.allowedTime).toEqual({
      mon: [
        { fromMinute: 540, toMinute: 720 },
        { fromMinute: 810, toMinute: 1065 },
      ],
      sun: [{ fromMinute: 0, toMinute: 1440 }],
      default: [{ fromMinute: 600, toMinute: 1080 }],
    });
  });

  it('accepts 24:00 as localTimeTo only', () => {
    accept(withPhone({ allowedTime: { tue: [interval('18:00', '24:00')] } }));
    const issue = onlyIssue(withPhone({ allowedTime: { tue: [interval('24:00', '06:00')] } }));
    expect(issue).toMatchObject({ path: ['allowedTime', 'tue', 0, 'localTimeFrom'], code });
    expect(issue.message).toContain('"24:00"');
  });

  it.each([
    ['9:00'],
    ['09:0'],
    ['0900'],
    ['09:60'],
    ['25:00'],
    ['24:01'],
    ['-1:00'],
    ['09:00:00'],
    [''],
    [900],
    [null],
  ])('rejects the time %j', (time) => {
    const from = onlyIssue(withPhone({ allowedTime: { wed: [interval(time as string, '18:00')] } }));
    expect(from).toMatchObject({ path: ['allowedTime', 'wed', 0, 'localTimeFrom'], code });
    expect(from.message).toContain(JSON.stringify(time));
    const to = onlyIssue(withPhone({ allowedTime: { default: [interval('08:00', time as string)] } }));
    expect(to).toMatchObject({ path: ['allowedTime', 'default', 0, 'localTimeTo'], code });
  });

  it('rejects a missing localTimeFrom or localTimeTo', () => {
    const from = onlyIssue(withPhone({ allowedTime: { mon: [{ localTimeTo: '18:00' }] } }));
    expect(from).toMatchObject({ path: ['allowedTime', 'mon', 0, 'localTimeFrom'], code });
    expect(from.message).toContain('missing');
    const to = onlyIssue(
      withPhone({ allowedTime: { mon: [interval('08:00', '09:00'), { localTimeFrom: '10:00' }] } }),
    );
    expect(to).toMatchObject({ path: ['allowedTime', 'mon', 1, 'localTimeTo'], code });
    expect(to.message).toMatchInlineSnapshot(
      `"allowedTime.mon[1].localTimeTo is missing: expected "HH:mm", 00:00 to 23:59 or 24:00."`,
    );
  });

  it('rejects an empty interval (from == to)', () => {
    const issue = onlyIssue(withPhone({ allowedTime: { fri: [interval('09:00', '09:00')] } }));
    expect(issue).toMatchObject({ path: ['allowedTime', 'fri', 0], code });
    expect(issue.message).toContain('"09:00"');
  });

  it('accepts an overnight interval (from > to)', () => {
    expect(
      accept(withPhone({ allowedTime: { sat: [interval('22:00', '06:00')] } })).policy.allowedTime,
    ).toEqual({
      sat: [{ fromMinute: 1320, toMinute: 360 }],
    });
  });

  it.each([
    ['same-day intervals', ['09:00', '12:00'], ['11:00', '13:00']],
    ['one interval inside another', ['09:00', '18:00'], ['12:00', '13:00']],
    ['equal intervals', ['09:00', '12:00'], ['09:00', '12:00']],
    ['an overnight interval and a late one', ['20:00', '03:00'], ['21:00', '22:00']],
    ['two overnight intervals', ['22:00', '02:00'], ['23:00', '01:00']],
    ['an overnight interval and one ending at 24:00', ['23:00', '01:00'], ['22:00', '24:00']],
  ])('rejects overlapping %s', (_, a, b) => {
    const issue = onlyIssue(
      withPhone({ allowedTime: { thu: [interval(a[0]!, a[1]!), interval(b[0]!, b[1]!)] } }),
    );
    expect(issue).toMatchObject({ path: ['allowedTime', 'thu', 1], code });
    expect(issue.message).toContain('overlap');
  });

  it('pins the message of an overlap', () => {
    expect(
      onlyIssue(withPhone({ allowedTime: { mon: [interval('09:00', '12:00'), interval('11:00', '13:00')] } }))
        .message,
    ).toMatchInlineSnapshot(
      `"allowedTime.mon[1] 11:00-13:00 overlaps allowedTime.mon[0] 09:00-12:00: intervals of one list must not overlap."`,
    );
  });

  it('accepts touching intervals', () => {
    accept(withPhone({ allowedTime: { mon: [interval('10:00', '13:00'), interval('13:00', '14:30')] } }));
    accept(withPhone({ allowedTime: { mon: [interval('13:00', '14:30'), interval('10:00', '13:00')] } }));
    accept(withPhone({ allowedTime: { mon: [interval('20:00', '24:00'), interval('00:00', '08:00')] } }));
  });

  it('allows the after-midnight part of an overnight interval to overlap an early interval of its list (§3)', () => {
    const { policy } = accept(
      withPhone({ allowedTime: { mon: [interval('20:00', '03:00'), interval('02:00', '05:00')] } }),
    );
    expect(policy.allowedTime?.mon).toHaveLength(2);
    accept(withPhone({ allowedTime: { default: [interval('00:00', '05:00'), interval('22:00', '04:00')] } }));
  });

  it.each([['monday'], ['Mon'], ['weekend'], ['defaults'], ['constructor']])(
    'rejects the unknown weekday key %j',
    (key) => {
      const issue = onlyIssue(withPhone({ allowedTime: { [key]: [interval('09:00', '17:00')] } }));
      expect(issue).toMatchObject({ path: ['allowedTime', key], code });
      expect(issue.message).toContain(JSON.stringify(key));
    },
  );

  it('rejects an empty list', () => {
    const issue = onlyIssue(withPhone({ allowedTime: { mon: [interval('09:00', '17:00')], tue: [] } }));
    expect(issue).toMatchObject({ path: ['allowedTime', 'tue'], code });
  });

  it.each([[[]], ['09:00-17:00'], [null], [1]])('rejects %j, which is not an object of lists', (value) => {
    expect(onlyIssue(withPhone({ allowedTime: value }))).toMatchObject({ path: ['allowedTime'], code });
  });

  it.each([[{ localTimeFrom: '09:00' }], [null], ['09:00-17:00']])('rejects a list item %j', (item) => {
    expect(onlyIssue(withPhone({ allowedTime: { mon: [item] } })).code).toBe(code);
  });

  it('reports every bad interval of the object at once', () => {
    const issues = reject(
      withPhone({
        allowedTime: {
          mon: [interval('9:00', '17:00')],
          tue: [],
          xyz: [],
          default: [interval('01:00', '01:00')],
        },
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      ['allowedTime', 'mon', 0, 'localTimeFrom'],
      ['allowedTime', 'tue'],
      ['allowedTime', 'xyz'],
      ['allowedTime', 'default', 0],
    ]);
    expect(issues.every((issue) => issue.code === code)).toBe(true);
  });
});

describe('retryIntervalInMinutes (spec §2)', () => {
  it.each([[1], [60], [2880]])('accepts %d', (minutes) => {
    expect(accept(withPhone({ retryIntervalInMinutes: minutes })).policy.retryIntervalInMinutes).toBe(
      minutes,
    );
  });

  it.each([[0], [-5], [2881], [1.5], ['60'], [null], [Number.NaN]])('rejects %j', (minutes) => {
    const issue = onlyIssue(withPhone({ retryIntervalInMinutes: minutes }));
    expect(issue).toMatchObject({ path: ['retryIntervalInMinutes'], code: 'invalid.retry.interval' });
    expect(issue.message).toContain(shown(minutes));
  });

  it('pins the message', () => {
    expect(onlyIssue(withPhone({ retryIntervalInMinutes: 2881 })).message).toMatchInlineSnapshot(
      `"retryIntervalInMinutes 2881 is not valid: expected an integer from 1 to 2880."`,
    );
  });
});

describe('maxAttempts (spec §2)', () => {
  it.each([[1], [3], [50]])('accepts %d', (attempts) => {
    expect(accept(withPhone({ maxAttempts: attempts })).policy.maxAttempts).toBe(attempts);
  });

  it('reads 0 as not set', () => {
    const { policy } = accept(withPhone({ maxAttempts: 0 }));
    expect('maxAttempts' in policy).toBe(false);
  });

  it.each([[-1], [51], [2.5], ['3'], [null], [true]])('rejects %j', (attempts) => {
    const issue = onlyIssue(withPhone({ maxAttempts: attempts }));
    expect(issue).toMatchObject({ path: ['maxAttempts'], code: 'invalid.max.attempts' });
    expect(issue.message).toContain(shown(attempts));
  });
});

describe('gmtZone (spec §2, §4)', () => {
  it.each([
    ['America/New_York', 'America/New_York'],
    ['Z', '+00:00'],
    ['UTC', '+00:00'],
    ['GMT-5', '-05:00'],
    ['+05:30:15', '+05:30:15'],
  ])('stores %s as the zone id %s', (text, id) => {
    expect(accept(withPhone({ gmtZone: text })).policy.gmtZone).toBe(id);
  });

  it.each([['utc'], ['z'], ['+5:30'], ['EST'], ['america/new_york'], ['Mars/Olympus'], [''], [5], [null]])(
    'rejects %j as phone.gmtZone.bad.format',
    (zone) => {
      const issue = onlyIssue(withPhone({ gmtZone: zone }));
      expect(issue).toMatchObject({ path: ['gmtZone'], code: 'phone.gmtZone.bad.format' });
      expect(issue.message).toContain(JSON.stringify(zone));
    },
  );
});

describe('dialerPriority (spec §2)', () => {
  it.each([[1], [3], [5]])('keeps %d without a warning', (priority) => {
    const entry = accept(withPhone({ dialerPriority: priority }));
    expect(entry.policy.dialerPriority).toBe(priority);
    expect(entry.warnings).toEqual([]);
  });

  it('leaves a missing priority to inheritance without a warning', () => {
    const entry = accept(withPhone({}));
    expect(entry.policy.dialerPriority).toBeUndefined();
    expect(entry.warnings).toEqual([]);
  });

  it.each([[7], [0], [2.5], ['2'], [null], [-1]])(
    'replaces %j by 5 with an invalid.dialer_priority warning',
    (value) => {
      const entry = accept(withPhone({ dialerPriority: value }));
      expect(entry.policy.dialerPriority).toBe(5);
      expect(entry.warnings).toHaveLength(1);
      expect(entry.warnings[0]).toMatchObject({ path: ['dialerPriority'], code: 'invalid.dialer_priority' });
      expect(entry.warnings[0]?.message).toContain(JSON.stringify(value));
    },
  );

  it('pins the message of a replaced priority', () => {
    expect(accept(withPhone({ dialerPriority: '2' })).warnings[0]?.message).toMatchInlineSnapshot(
      `"dialerPriority "2" is not an integer from 1 to 5; it was replaced by 5."`,
    );
  });

  it.each([[7], [0], [2.5], ['2'], [null]])('makes %j an error with strictPriority', (value) => {
    const issue = onlyIssue(withPhone({ dialerPriority: value }), { strictPriority: true });
    expect(issue).toMatchObject({ index: 0, path: ['dialerPriority'], code: 'invalid.dialer_priority' });
    expect(issue.message).toContain(JSON.stringify(value));
  });

  it('reports a replaced priority among the warnings of parseEntries, and as an error with strictPriority', () => {
    const body = [withPhone({}), withPhone({ dialerPriority: 7 })];
    const lenient = parseEntries(body);
    expect(lenient.errors).toEqual([]);
    expect(lenient.warnings).toMatchObject([
      { index: 1, path: ['dialerPriority'], code: 'invalid.dialer_priority' },
    ]);
    expect(lenient.accepted[1]!.job.priority).toBe(5);
    const strict = parseEntries(body, { strictPriority: true });
    expect(strict.warnings).toEqual([]);
    expect(strict.errors).toMatchObject([
      { index: 1, path: ['dialerPriority'], code: 'invalid.dialer_priority' },
    ]);
    expect(strict.accepted[1]).toBeUndefined();
  });
});

describe('unknown fields (spec §2)', () => {
  it('rejects a misspelt allowedDay, naming allowedDays', () => {
    const issue = onlyIssue(withPhone({ allowedDay: ['mon'] }));
    expect(issue).toMatchObject({ path: ['allowedDay'], code: 'unknown.field' });
    expect(issue.message).toContain('allowedDays');
    expect(issue.message).toMatchInlineSnapshot(
      `"unknown field \`allowedDay\`; did you mean \`allowedDays\`?"`,
    );
  });

  it.each([
    ['gmtzone', 'gmtZone'],
    ['maxAttempt', 'maxAttempts'],
    ['startDate', 'startDateTime'],
    ['phon', 'phone'],
    ['retryIntervalInMinute', 'retryIntervalInMinutes'],
  ])('names the closest known field for %s (%s)', (key, near) => {
    const issue = onlyIssue(withPhone({ [key]: 1 }));
    expect(issue).toMatchObject({ path: [key], code: 'unknown.field' });
    expect(issue.message).toContain(`\`${near}\``);
  });

  it('rejects a field unlike any known one', () => {
    const issue = onlyIssue(withPhone({ colour: 'blue' }));
    expect(issue).toMatchObject({ path: ['colour'], code: 'unknown.field' });
    expect(issue.message).toContain('colour');
  });
});

describe('invalid.body (spec §2)', () => {
  it.each([
    ['a string', '[]'],
    ['an object', { phone: '123' }],
    ['null', null],
    ['undefined', undefined],
    ['a number', 1],
  ])('parseEntries throws a DialerError when the body is %s', (_, body) => {
    let thrown: unknown;
    try {
      parseEntries(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DialerError);
    const { issues } = thrown as DialerError;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: [], code: 'invalid.body' });
    expect(issues[0]?.index).toBeUndefined();
  });

  it('quotes the bad body', () => {
    expect(() => parseEntries({ phone: '123' })).toThrowErrorMatchingInlineSnapshot(
      `[DialerError: the body {"phone":"123"} is not valid: expected an array of entries. (invalid.body)]`,
    );
  });

  class Entry {
    phone = '123';
  }

  it('reports entries that are not plain objects, each with its index', () => {
    const { errors, accepted } = parseEntries([
      withPhone({}),
      5,
      null,
      ['123'],
      '123',
      new Entry(),
      new Date(0),
    ]);
    expect(errors.map((issue) => [issue.index, issue.code, issue.path])).toEqual(
      [1, 2, 3, 4, 5, 6].map((index) => [index, 'invalid.body', []]),
    );
    expect(accepted[0]).toBeDefined();
    expect(accepted.slice(1)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('reports a non-object passed to addPhonesEntrySchema as invalid.body', () => {
    expect(onlyIssue('16500000000')).toMatchObject({ path: [], code: 'invalid.body' });
  });
});

describe('redial params (spec §2, §7)', () => {
  const redialIssues = (params: unknown) => {
    const result = redialParamsSchema.safeParse(params);
    if (result.success)
      throw new Error(`expected the redial params to be rejected, got ${JSON.stringify(result.data)}`);
    return issuesFromZod(result.error, undefined);
  };

  it('rejects a gmtZone as invalid.redial', () => {
    const issues = redialIssues({ startDateTime: '2024-03-10T09:00Z', gmtZone: 'UTC' });
    expect(issues).toEqual([expect.objectContaining({ path: ['gmtZone'], code: 'invalid.redial' })]);
    expect(issues[0]?.message).toContain('"UTC"');
    expect(issues[0]?.index).toBeUndefined();
  });

  it('rejects params with neither startDateTime nor allowedTime as invalid.redial', () => {
    const issues = redialIssues({ maxAttempts: 2 });
    expect(issues).toEqual([expect.objectContaining({ path: [], code: 'invalid.redial' })]);
    expect(issues[0]?.message).toMatchInlineSnapshot(
      `"a redial needs startDateTime or allowedTime: say when the number may be called again."`,
    );
    expect(redialIssues({}).map((issue) => issue.code)).toEqual(['invalid.redial']);
  });

  it('accepts params with startDateTime or allowedTime', () => {
    expect(redialParamsSchema.safeParse({ startDateTime: '2024-03-10T09:00Z' }).success).toBe(true);
    expect(
      redialParamsSchema.safeParse({ allowedTime: { default: [interval('09:00', '17:00')] }, maxAttempts: 3 })
        .success,
    ).toBe(true);
  });

  it('validates the policy fields of a redial with the entry codes', () => {
    const issues = redialIssues({ startDateTime: 'soon', maxAttempts: 99 });
    expect(issues.map((issue) => issue.code).sort()).toEqual(['invalid.date.time', 'invalid.max.attempts']);
  });
});

describe('parseEntries (spec §2)', () => {
  it('reports every issue of a body at once, each with the index of its entry', () => {
    const { accepted, errors, warnings } = parseEntries([
      withPhone({}),
      { phone: '12', maxAttempts: 51, allowedDay: ['mon'] },
      withPhone({ dialerPriority: 9 }),
      'not an entry',
      withPhone({
        allowedTime: { mon: [interval('09:00', '12:00'), interval('11:00', '13:00')] },
        gmtZone: 'EST',
      }),
      withPhone({ startDateTime: '2024-03-11T09:00Z', finishDateTime: '2024-03-10T09:00Z' }),
      withPhone({ payload: { a: Number.NaN }, retryIntervalInMinutes: 0, allowedDays: [] }),
    ]);
    expect(errors.map((issue) => [issue.index, issue.code, issue.path]).sort()).toEqual(
      [
        [1, 'phone.bad.format', ['phone']],
        [1, 'invalid.max.attempts', ['maxAttempts']],
        [1, 'unknown.field', ['allowedDay']],
        [3, 'invalid.body', []],
        [4, 'invalid.call.allowed.time', ['allowedTime', 'mon', 1]],
        [4, 'phone.gmtZone.bad.format', ['gmtZone']],
        [5, 'invalid.date.time', ['finishDateTime']],
        [6, 'payload.bad.format', ['payload', 'a']],
        [6, 'invalid.retry.interval', ['retryIntervalInMinutes']],
        [6, 'invalid.allowed.days', ['allowedDays']],
      ].sort(),
    );
    expect(warnings).toMatchObject([{ index: 2, code: 'invalid.dialer_priority' }]);
    expect(accepted.map((slot) => slot !== undefined)).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
      false,
    ]);
    // Issues come in entry order.
    const indexes = errors.map((issue) => issue.index!);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
  });

  it('checks start before finish after inheritance: the defaults finish and the entry start', () => {
    const defaults = {
      gmtZone: 'Z',
      finishDateTime: { kind: 'instant', ms: at('2024-03-01T00:00:00Z') },
    } as const;
    const { errors, accepted } = parseEntries(
      [withPhone({ startDateTime: '2024-03-02T00:00Z' }), withPhone({ startDateTime: '2024-02-28T00:00Z' })],
      { defaults },
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ index: 0, path: ['startDateTime'], code: 'invalid.date.time' });
    expect(errors[0]?.message).toMatchInlineSnapshot(
      `"startDateTime 2024-03-02T00:00:00.000Z is not before finishDateTime 2024-03-01T00:00:00.000Z (in zone +00:00): the start must come first."`,
    );
    expect(accepted[1]?.job.schedule.finishMs).toBe(at('2024-03-01T00:00:00Z'));
  });

  it('checks local date-times against an inherited finish in the number zone', () => {
    // 2024-03-01T02:00 in New York is 07:00Z, after the defaults finish at 06:00Z.
    const defaults = {
      finishDateTime: { kind: 'instant', ms: at('2024-03-01T06:00:00Z') },
      gmtZone: 'America/New_York',
    } as const;
    const { errors } = parseEntries([withPhone({ startDateTime: '2024-03-01T02:00' })], { defaults });
    expect(errors).toMatchObject([{ index: 0, code: 'invalid.date.time' }]);
    expect(parseEntries([withPhone({ startDateTime: '2024-03-01T00:30' })], { defaults }).errors).toEqual([]);
  });

  it('reads local date-times in the zone a zoneResolver supplies', () => {
    const asked: string[] = [];
    const zoneResolver = (phone: string) => {
      asked.push(phone);
      return phone.startsWith('1') ? 'America/New_York' : undefined;
    };
    const { accepted, errors } = parseEntries(
      [
        { phone: '+1 650 000-0000', startDateTime: '2024-03-10T09:00', finishDateTime: '2024-11-03T01:30' },
        { phone: '44 20 0000 0000', startDateTime: '2024-03-10T09:00' },
        { phone: '1650', gmtZone: 'Asia/Kathmandu', startDateTime: '2024-03-10T09:00' },
      ],
      { zoneResolver },
    );
    expect(errors).toEqual([]);
    // 09:00 EDT (after the 02:00 spring-forward) is 13:00Z; the fold's 01:30 takes EDT, 05:30Z.
    expect(accepted[0]?.job.schedule.startMs).toBe(at('2024-03-10T13:00:00Z'));
    expect(accepted[0]?.job.schedule.finishMs).toBe(at('2024-11-03T05:30:00Z'));
    expect(accepted[0]?.job.schedule.zone.id).toBe('America/New_York');
    // No answer from the resolver: UTC.
    expect(accepted[1]?.job.schedule.startMs).toBe(at('2024-03-10T09:00:00Z'));
    // The entry's own zone wins over the resolver (+05:45).
    expect(accepted[2]?.job.schedule.startMs).toBe(at('2024-03-10T03:15:00Z'));
    expect(asked).toEqual(['16500000000', '442000000000']);
  });

  it('does not ask the zoneResolver when the defaults give a zone', () => {
    const { accepted } = parseEntries([withPhone({ startDateTime: '2024-03-10T09:00' })], {
      defaults: { gmtZone: '+02:00' },
      zoneResolver: () => {
        throw new Error('not to be called');
      },
    });
    expect(accepted[0]?.job.schedule.startMs).toBe(at('2024-03-10T07:00:00Z'));
  });

  it('reports a zone the zoneResolver gets wrong as an error of the entry', () => {
    const { errors } = parseEntries([withPhone({})], { zoneResolver: () => 'Mars/Olympus' });
    expect(errors).toMatchObject([{ index: 0, code: 'phone.gmtZone.bad.format' }]);
    expect(errors[0]?.message).toContain('"Mars/Olympus"');
  });

  it('accepts an empty body', () => {
    expect(parseEntries([])).toEqual({ accepted: [], errors: [], omittedErrors: 0, warnings: [] });
  });

  it('also exports the schema with the built-in options', () => {
    expect(addPhonesEntrySchema.safeParse({ phone: 123, dialerPriority: 9 }).success).toBe(true);
  });
});
