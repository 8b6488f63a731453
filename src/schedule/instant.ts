import { DialerError, quote } from '../errors.js';

/**
 * The largest instant the library accepts, in epoch ms: the range of `Date` (±100,000,000 days around
 * 1970, years -271821 to 275760). The timeline ends there: no window starts after `MAX_INSTANT_MS`, and
 * a window still open at `MAX_INSTANT_MS` has `end = Infinity`, like one that never closes.
 */
export const MAX_INSTANT_MS = 8.64e15;

/** Whether `value` is an instant: a finite number of epoch ms within ±{@link MAX_INSTANT_MS}. */
export function isInstant(value: unknown): value is number {
  return typeof value === 'number' && value >= -MAX_INSTANT_MS && value <= MAX_INSTANT_MS;
}

/**
 * Throws unless `value` is an instant ({@link isInstant}); `name` is the option or argument it came
 * from, for the message and the path.
 *
 * @throws DialerError `invalid.option`: "from 2e+24 is not an instant: expected epoch milliseconds
 * within ±8.64e15 (the range of Date)."
 */
export function checkInstant(value: unknown, name: string): asserts value is number {
  if (!isInstant(value)) {
    throw new DialerError([
      {
        path: [name],
        code: 'invalid.option',
        message: `${name} ${quote(value)} is not an instant: expected epoch milliseconds within ±8.64e15 (the range of Date).`,
      },
    ]);
  }
}
