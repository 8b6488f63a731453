import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEntryFast } from '../../src/policy/fast-entry.js';
import { entryParsersFor, entrySchemaFor } from '../../src/policy/schemas.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 1000);

/** Mostly `valid`, sometimes `invalid`. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: invalid });

const validLists = [
  [{ localTimeFrom: '09:00', localTimeTo: '17:00' }],
  [
    { localTimeFrom: '09:00', localTimeTo: '12:30' },
    { localTimeFrom: '12:30', localTimeTo: '24:00' },
  ],
  [
    { localTimeFrom: '20:00', localTimeTo: '03:00' },
    { localTimeFrom: '02:00', localTimeTo: '05:00' },
  ],
];
const badLists = [
  [],
  [{ localTimeFrom: '09:00', localTimeTo: '09:00' }],
  [{ localTimeFrom: '9:00', localTimeTo: '17:00' }],
  [{ localTimeFrom: '24:00', localTimeTo: '17:00' }],
  [
    { localTimeFrom: '09:00', localTimeTo: '12:00' },
    { localTimeFrom: '11:00', localTimeTo: '13:00' },
  ],
  [{ localTimeFrom: '09:00' }],
];
const dayArb = fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun');

/** Entries that are mostly valid, with each field sometimes wrong in a plausible way. */
const entryArb = fc
  .record(
    {
      phone: mostly(
        fc.oneof(
          fc.constantFrom('+1 650 000-0000', '16500000000', '(650) 000.0000'),
          fc.integer({ min: 100, max: 10 ** 14 }),
        ),
        fc.oneof(fc.constantFrom('12', '+', 'abc', ''), fc.integer({ min: -5, max: 99 }), fc.anything()),
      ),
      payload: mostly(fc.oneof(fc.jsonValue(), fc.constant(undefined)), fc.anything()),
      startDateTime: mostly(
        fc.oneof(
          fc.constantFrom(
            '2024-03-10T02:30',
            '2024-03-10T02:30:00Z',
            '2024-03-10T02:30:00+05:30',
            '2024-03-10T02:30:00.5-0800',
          ),
          fc.integer({ min: 0, max: 2 * 10 ** 12 }),
        ),
        fc.constantFrom('2024-02-30T00:00', 'x', '2024-03-10', 1.5, null),
      ),
      finishDateTime: mostly(
        fc.constantFrom('2030-12-31T23:59', '2031-01-01T00:00:00.123Z'),
        fc.constantFrom('2024-13-01T00:00', {}),
      ),
      allowedDays: mostly(
        fc.array(dayArb, { minLength: 1, maxLength: 8 }),
        fc.oneof(fc.constant([]), fc.constant(['Mon']), fc.anything()),
      ),
      allowedTime: mostly(
        fc.dictionary(fc.oneof(dayArb, fc.constant('default')), fc.constantFrom(...validLists), {
          minKeys: 1,
          maxKeys: 3,
        }),
        fc.oneof(
          fc.dictionary(
            fc.constantFrom('mon', 'holiday', 'default'),
            fc.constantFrom(...badLists, ...validLists),
            { minKeys: 1, maxKeys: 2 },
          ),
          fc.anything(),
        ),
      ),
      retryIntervalInMinutes: mostly(
        fc.integer({ min: 1, max: 2880 }),
        fc.oneof(fc.constantFrom(0, 2881, 1.5, '5'), fc.anything()),
      ),
      maxAttempts: mostly(
        fc.integer({ min: 0, max: 50 }),
        fc.oneof(fc.constantFrom(-1, 51, 2.5, '3'), fc.anything()),
      ),
      gmtZone: mostly(
        fc.constantFrom('America/New_York', 'Z', '+05:30', 'GMT-5', 'Asia/Calcutta'),
        fc.constantFrom('EST', 'utc', '+5:30', 3),
      ),
      dialerPriority: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, 7, 2.5, '2', null)),
      allowedDay: fc.constant(['mon']),
    },
    { requiredKeys: [] },
  )
  .map((entry) => {
    // A misspelt field now and then; a phone nearly always.
    const { allowedDay, ...rest } = entry;
    // Objects (fc.anything() makes some without a prototype, which String() cannot convert) count as ''.
    const retry = rest.retryIntervalInMinutes;
    const text = typeof retry === 'object' && retry !== null ? '' : String(retry ?? 0);
    return text.length % 7 === 0 && allowedDay ? entry : rest;
  });

describe('parseEntryFast (the addPhones fast path)', () => {
  it('declines or equals the zod schema: same accept/reject, same parsed value', () => {
    let accepted = 0;
    fc.assert(
      fc.property(entryArb, fc.boolean(), (entry, strictPriority) => {
        const options = { strictPriority, maxPayloadBytes: 65_536 };
        const fast = parseEntryFast(entry as Record<string, unknown>, entryParsersFor(options));
        const slow = entrySchemaFor(options).safeParse(entry);
        if (fast !== undefined) {
          expect(slow.success).toBe(true);
          expect(fast).toEqual(slow.data);
        }
        // Only bodies the schema rejects may be declined here (this generator has no other reason).
        if (slow.success) {
          expect(fast).toEqual(slow.data);
          accepted++;
        }
      }),
      { numRuns: NUM_RUNS },
    );
    // The generator must reach valid entries, or the property says nothing.
    expect(accepted).toBeGreaterThan(NUM_RUNS / 50);
  });
});
