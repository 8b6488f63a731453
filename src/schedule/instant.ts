import { DialerError, quote } from '../errors.js';

/** The largest instant a `Date` can hold, in epoch ms; instants and durations live within ±this. */
export const MAX_INSTANT_MS = 8.64e15;

/** Whether `value` is an instant: a finite number of epoch ms within the range of `Date`. */
export function isInstant(value: unknown): value is number {
  return typeof value === 'number' && value >= -MAX_INSTANT_MS && value <= MAX_INSTANT_MS;
}

/** Throws `invalid.option` unless `value` is an instant. */
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
