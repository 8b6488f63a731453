import { describe, expect, it } from 'vitest';
import { DialerError } from '../../src/errors.js';
import { checkInstant, isInstant, MAX_INSTANT_MS } from '../../src/schedule/instant.js';

/** The issues `fn` throws as a DialerError. */
function issuesOf(fn: () => unknown): DialerError['issues'] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DialerError) return error.issues;
    throw error;
  }
  throw new Error('did not throw');
}

describe('isInstant', () => {
  it('accepts finite numbers within the range of Date, both ends included', () => {
    for (const value of [0, -1, 1.5, MAX_INSTANT_MS, -MAX_INSTANT_MS, MAX_INSTANT_MS - 1]) {
      expect(isInstant(value), String(value)).toBe(true);
      expect(new Date(value).getTime()).not.toBeNaN();
    }
  });

  it('rejects numbers beyond the range, non-finite numbers and non-numbers', () => {
    for (const value of [
      MAX_INSTANT_MS + 1,
      -MAX_INSTANT_MS - 1,
      1e16,
      2e24,
      -8.65e15,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      '0',
      null,
      undefined,
      0n,
    ]) {
      expect(isInstant(value), String(value)).toBe(false);
    }
  });
});

describe('checkInstant', () => {
  it('throws invalid.option quoting the value and the range when the instant is beyond it', () => {
    expect(issuesOf(() => checkInstant(2e24, 'from'))).toMatchInlineSnapshot(`
      [
        {
          "code": "invalid.option",
          "message": "from 2e+24 is not an instant: expected epoch milliseconds within ±8.64e15 (the range of Date).",
          "path": [
            "from",
          ],
        },
      ]
    `);
    expect(issuesOf(() => checkInstant(Number.NaN, 'now'))[0]?.message).toBe(
      'now NaN is not an instant: expected epoch milliseconds within ±8.64e15 (the range of Date).',
    );
    expect(issuesOf(() => checkInstant('12', 'atMs'))[0]?.message).toContain('atMs "12" is not an instant');
  });

  it('returns for an instant', () => {
    expect(() => checkInstant(-MAX_INSTANT_MS, 'from')).not.toThrow();
  });
});
