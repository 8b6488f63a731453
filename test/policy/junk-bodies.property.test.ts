import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DialerError, type Issue } from '../../src/errors.js';
import { parseEntries } from '../../src/policy/parse-entries.js';
import { addPhonesEntrySchema, issuesFromZod } from '../../src/policy/schemas.js';

const numRuns = Number(process.env.FC_NUM_RUNS ?? 500);

/** The codes an entry may raise: the entry rows of the spec's table (section 2). */
const ENTRY_CODES = new Set([
  'phone.bad.format',
  'invalid.call.allowed.time',
  'invalid.allowed.days',
  'phone.gmtZone.bad.format',
  'invalid.date.time',
  'invalid.retry.interval',
  'invalid.max.attempts',
  'payload.bad.format',
  'unknown.field',
  'invalid.dialer_priority',
  'phone.gmtZone.unknown',
  'invalid.body',
]);

const FIELD_NAMES = [
  'phone',
  'payload',
  'startDateTime',
  'finishDateTime',
  'allowedDays',
  'allowedTime',
  'retryIntervalInMinutes',
  'maxAttempts',
  'gmtZone',
  'dialerPriority',
] as const;

const DANGEROUS_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
] as const;

const HUGE = 100_000;

/** A string of 100k characters: all digits, all letters, or mixed. */
const hugeString = fc.constantFrom(
  '1'.repeat(HUGE),
  'x'.repeat(HUGE),
  `+${'1 '.repeat(HUGE / 2)}`,
  `2024-03-10T09:00:00.${'0'.repeat(HUGE)}Z`,
  'é'.repeat(HUGE),
);

/** Values of the wrong type, or nearly right, for any field. */
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    key: fc.oneof(
      fc.string(),
      fc.constantFrom(...DANGEROUS_KEYS, ...FIELD_NAMES, 'mon', 'default', 'localTimeFrom'),
    ),
  }),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    2 ** 53,
    -1,
    0,
    '24:00',
    '2024-02-30T09:00',
    'Z',
    [],
    {},
    [{}],
    { mon: [] },
    { mon: [{ localTimeFrom: '09:00' }] },
    {
      default: [
        { localTimeFrom: '20:00', localTimeTo: '03:00' },
        { localTimeFrom: '02:00', localTimeTo: '05:00' },
      ],
    },
    ['mon', 'mon', 'funday'],
    () => 1,
    Symbol('junk'),
    10n,
  ),
  hugeString,
);

/** An object with own `__proto__`, `constructor` or `prototype` keys, as JSON.parse makes them. */
const dangerousJson: fc.Arbitrary<unknown> = fc
  .record({
    key: fc.constantFrom(...DANGEROUS_KEYS),
    value: fc.jsonValue(),
    field: fc.constantFrom(...FIELD_NAMES, 'none'),
  })
  .map(({ key, value, field }) => {
    const polluting = `{"polluted": 1, "phone": "123", "value": ${JSON.stringify(value)}}`;
    const outer = field === 'none' ? '' : `"${field}": {"${key}": ${polluting}, "mon": [{"${key}": 1}]}, `;
    return JSON.parse(`{${outer}"phone": "16500000000", "${key}": ${polluting}}`);
  });

/** An own enumerable property even for `__proto__`, the way a parsed body can carry it. */
function withOwnKeys(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** Values each field accepts, so that some entries pass and junk shows up next to good fields. */
const validFields = {
  phone: fc.constantFrom('+1 650 000-0000', 16500000000, '(650) 000.0000', '123'),
  payload: fc.jsonValue({ maxDepth: 3 }),
  startDateTime: fc.constantFrom(
    '2024-03-10T09:00Z',
    '2024-03-10T09:00',
    '2024-03-10T09:00+05:30',
    1710061200000,
  ),
  finishDateTime: fc.constantFrom('2030-01-01T00:00Z', '2030-01-01T00:00', 1893456000000),
  allowedDays: fc.subarray(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { minLength: 1 }),
  allowedTime: fc.constantFrom(
    { default: [{ localTimeFrom: '09:00', localTimeTo: '17:00' }] },
    {
      mon: [
        { localTimeFrom: '20:00', localTimeTo: '03:00' },
        { localTimeFrom: '02:00', localTimeTo: '05:00' },
      ],
    },
    {
      sat: [
        { localTimeFrom: '10:00', localTimeTo: '13:00' },
        { localTimeFrom: '13:00', localTimeTo: '24:00' },
      ],
    },
  ),
  retryIntervalInMinutes: fc.integer({ min: 1, max: 2880 }),
  maxAttempts: fc.integer({ min: 0, max: 50 }),
  gmtZone: fc.constantFrom('America/New_York', 'Z', 'GMT-5', '+05:30:15', 'Asia/Kathmandu'),
  dialerPriority: fc.integer({ min: 1, max: 5 }),
};

/** A valid entry with some of its fields, then a few of them replaced by junk. */
const nearlyValidEntry: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.record(validFields, { requiredKeys: ['phone'] }),
    fc.subarray([...FIELD_NAMES], { maxLength: 2 }),
    fc.array(junkValue, { minLength: 2, maxLength: 2 }),
  )
  .map(([entry, spoilt, junk]) =>
    withOwnKeys([...Object.entries(entry), ...spoilt.map((key, i) => [key, junk[i]] as const)]),
  );

/** Objects with some of the real field names (and a few others) holding junk. */
const junkEntry: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nearlyValidEntry, weight: 3 },
  fc
    .uniqueArray(
      fc.tuple(
        fc.constantFrom<string>(...FIELD_NAMES, ...DANGEROUS_KEYS, 'allowedDay', 'gmtzone'),
        junkValue,
      ),
      { selector: ([key]) => key, maxLength: 12 },
    )
    .map(withOwnKeys),
  fc.record(
    {
      phone: fc.oneof(fc.constantFrom('+1 650 000-0000', 16500000000), junkValue),
      payload: junkValue,
      startDateTime: junkValue,
      finishDateTime: junkValue,
      allowedDays: junkValue,
      allowedTime: junkValue,
      retryIntervalInMinutes: junkValue,
      maxAttempts: junkValue,
      gmtZone: junkValue,
      dialerPriority: junkValue,
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.oneof(fc.string(), hugeString), junkValue, { maxKeys: 5 }),
  dangerousJson,
  junkValue,
);

/** What a body can be: anything at all, or an array of junk entries. */
const junkBody: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.array(junkEntry, { maxLength: 8 }), weight: 4 },
  { arbitrary: junkValue, weight: 1 },
);

/** The problems with one issue, as strings; empty when it is well formed. */
function issueProblems(issue: Issue, bodyLength: number | undefined): string[] {
  const problems: string[] = [];
  if (!ENTRY_CODES.has(issue.code)) problems.push(`code ${issue.code} is not an entry code of the spec`);
  if (typeof issue.message !== 'string' || issue.message.trim() === '') problems.push('empty message');
  if (!Array.isArray(issue.path)) problems.push('path is not an array');
  else if (!issue.path.every((part) => typeof part === 'string' || typeof part === 'number')) {
    problems.push(`path ${String(issue.path)} has a part that is neither a string nor a number`);
  }
  if (bodyLength === undefined) {
    if (issue.index !== undefined)
      problems.push(`index ${issue.index} on an issue that is not about an entry`);
  } else if (!Number.isInteger(issue.index) || issue.index! < 0 || issue.index! >= bodyLength) {
    problems.push(`index ${issue.index} is not an entry of a body of ${bodyLength}`);
  }
  return problems;
}

const prototypeKeys = () => Reflect.ownKeys(Object.prototype).map(String).sort();
let keysBefore: string[] = [];

beforeAll(() => {
  keysBefore = prototypeKeys();
});

afterAll(() => {
  // Checked once more after every property of the file has run.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(prototypeKeys()).toEqual(keysBefore);
});

describe('parseEntries with junk bodies (spec §2)', () => {
  it('returns or throws a DialerError, with well-formed issues only', () => {
    fc.assert(
      fc.property(junkBody, (body) => {
        let parsed: ReturnType<typeof parseEntries>;
        try {
          parsed = parseEntries(body);
        } catch (error) {
          if (!(error instanceof DialerError)) throw error;
          expect(Array.isArray(body)).toBe(false);
          expect(error.issues.length).toBeGreaterThan(0);
          expect(error.issues.flatMap((issue) => issueProblems(issue, undefined))).toEqual([]);
          expect(error.issues.map((issue) => issue.code)).toEqual(['invalid.body']);
          return;
        }
        expect(Array.isArray(body)).toBe(true);
        const length = (body as unknown[]).length;
        expect(parsed.accepted).toHaveLength(length);
        expect(
          [...parsed.errors, ...parsed.warnings].flatMap((issue) => issueProblems(issue, length)),
        ).toEqual([]);
        // A slot is empty exactly when its entry has an error.
        const rejected = new Set(parsed.errors.map((issue) => issue.index));
        parsed.accepted.forEach((slot, index) => {
          expect(slot === undefined).toBe(rejected.has(index));
        });
        // Replaced priorities, and numbers without a zone that the time-zone map does not know (§12).
        expect(
          parsed.warnings.every(
            (issue) => issue.code === 'invalid.dialer_priority' || issue.code === 'phone.gmtZone.unknown',
          ),
        ).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns },
    );
    expect(prototypeKeys()).toEqual(keysBefore);
  });

  it('reports own __proto__, constructor and prototype keys as unknown fields without polluting', () => {
    fc.assert(
      fc.property(fc.array(dangerousJson, { minLength: 1, maxLength: 4 }), (body) => {
        const { errors, accepted } = parseEntries(body);
        expect(accepted.every((slot) => slot === undefined)).toBe(true);
        for (const [index, entry] of body.entries()) {
          const ownKeys = Object.keys(entry as object).filter((key) => !FIELD_NAMES.includes(key as never));
          const unknown = errors.filter((issue) => issue.index === index && issue.code === 'unknown.field');
          expect(unknown.map((issue) => issue.path)).toEqual(ownKeys.map((key) => [key]));
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns },
    );
    const parsed = JSON.parse('{"__proto__": {"polluted": 1}}');
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(parseEntries([parsed]).errors.map((issue) => [issue.code, issue.path])).toEqual([
      ['phone.bad.format', ['phone']],
      ['unknown.field', ['__proto__']],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(prototypeKeys()).toEqual(keysBefore);
  });

  it('handles 100k-character strings in every field and as keys', () => {
    fc.assert(
      fc.property(hugeString, fc.constantFrom<string>(...FIELD_NAMES), (text, field) => {
        const { errors } = parseEntries([
          { phone: '123', [field]: text },
          { phone: '123', [text]: 1 },
        ]);
        expect(errors.flatMap((issue) => issueProblems(issue, 2))).toEqual([]);
        expect(errors.filter((issue) => issue.index === 1).map((issue) => [issue.code, issue.path])).toEqual([
          ['unknown.field', [text]],
        ]);
        // A huge value is quoted cut short.
        for (const issue of errors.filter((issue) => issue.index === 0)) {
          expect(issue.message.length).toBeLessThan(1000);
        }
      }),
      { numRuns: Math.min(numRuns, 100) },
    );
  });

  it('never throws anything but a DialerError for a payload nested deeper than JSON.stringify can go', () => {
    // A plain JSON value of 20 001 bytes: valid under the 64 KiB limit, yet too deep for a recursive walk.
    let deep: unknown = [];
    for (let depth = 0; depth < 10_000; depth++) deep = [deep];
    let deepObject: unknown = {};
    for (let depth = 0; depth < 10_000; depth++) deepObject = { a: deepObject };
    for (const payload of [deep, deepObject]) {
      let thrown: unknown;
      let parsed: ReturnType<typeof parseEntries> | undefined;
      try {
        parsed = parseEntries([{ phone: '123', payload }]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeUndefined();
      // Either it is accepted, or reported as a payload the library cannot take.
      const codes = parsed?.errors.map((issue) => issue.code) ?? [];
      expect(codes.every((code) => code === 'payload.bad.format')).toBe(true);
    }
  });
});

describe('addPhonesEntrySchema.safeParse with junk (spec §2)', () => {
  it('never throws, and its zod issues become well-formed issues', () => {
    fc.assert(
      fc.property(junkEntry, fc.nat({ max: 1000 }), (entry, index) => {
        const result = addPhonesEntrySchema.safeParse(entry);
        if (result.success) {
          expect(typeof result.data.phone).toBe('string');
          expect(result.data.phone).toMatch(/^\d{3,15}$/);
          return;
        }
        const issues = issuesFromZod(result.error, index);
        expect(issues.length).toBeGreaterThan(0);
        expect(issues.flatMap((issue) => issueProblems(issue, index + 1))).toEqual([]);
        expect(issues.every((issue) => issue.index === index)).toBe(true);
        expect(issuesFromZod(result.error, undefined).every((issue) => issue.index === undefined)).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns },
    );
    expect(prototypeKeys()).toEqual(keysBefore);
  });
});
