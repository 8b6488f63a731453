import { DialerError, type Issue, quote } from '../errors.js';
import { unknownKeyMessage } from '../policy/closest.js';
import { parseRetryInterval } from '../policy/fields.js';
import { MAX_INSTANT_MS } from '../schedule/instant.js';

/** Job ID of job number `i`: decimal digits, increasing. */
export function jobIdOf(i: number): string {
  return String(i + 1);
}

export function reportError(code: Issue['code'], message: string): DialerError {
  return new DialerError([{ path: ['jobId'], code, message }]);
}

/** An instant as ISO text for messages; beyond the range of Date, the number. */
export function isoOf(ms: number): string {
  return Math.abs(ms) <= MAX_INSTANT_MS ? new Date(ms).toISOString() : String(ms);
}

/** `fail`'s `retryIntervalInMinutes` option: undefined, or an integer 1..2880 (`invalid.retry.interval`). */
export function readRetryMinutes(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  let message = '';
  const minutes = parseRetryInterval(value, (_path, _code, text) => {
    message = text;
  });
  if (minutes === undefined) {
    throw new DialerError([{ path: ['retryIntervalInMinutes'], code: 'invalid.retry.interval', message }]);
  }
  return minutes;
}

export function optionError(name: string, value: unknown, expected: string): DialerError {
  return new DialerError([
    {
      path: [name],
      code: 'invalid.option',
      message: `${name} ${quote(value)} is not valid: expected ${expected}.`,
    },
  ]);
}

const NO_OPTIONS: Record<string, unknown> = Object.freeze({});

/** Reads the options object of a call, rejecting unknown keys. */
export function readCallOptions(options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return NO_OPTIONS;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw optionError('options', options, `an object with ${known.join(', ')}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new DialerError([
        { path: [key], code: 'invalid.option', message: unknownKeyMessage('option', key, known) },
      ]);
    }
  }
  return options as Record<string, unknown>;
}

/**
 * Checks a `cancel` selection and returns copies of its lists, each read once (a getter cannot change
 * them between the check and their use).
 */
export function checkSelection(selection: unknown): {
  jobIds: readonly string[];
  phones: readonly (string | number)[];
} {
  const bad = (message: string): never => {
    throw new DialerError([{ path: [], code: 'invalid.body', message }]);
  };
  const expected = 'expected { jobIds?: string[], phones?: (string or number)[] }';
  if (typeof selection !== 'object' || selection === null || Array.isArray(selection))
    bad(`cancel selection ${quote(selection)} is not valid: ${expected}.`);
  const s = selection as Record<string, unknown>;
  for (const key of Object.keys(s))
    if (key !== 'jobIds' && key !== 'phones')
      bad(`cancel selection has an unknown field \`${key}\`: ${expected}.`);
  const jobIdsValue = s.jobIds;
  const phonesValue = s.phones;
  const jobIds = Array.isArray(jobIdsValue) ? [...jobIdsValue] : jobIdsValue;
  const phones = Array.isArray(phonesValue) ? [...phonesValue] : phonesValue;
  if (jobIds !== undefined && !(Array.isArray(jobIds) && jobIds.every((id) => typeof id === 'string'))) {
    bad(`cancel jobIds ${quote(jobIds)} is not valid: ${expected}.`);
  }
  if (
    phones !== undefined &&
    !(Array.isArray(phones) && phones.every((p) => typeof p === 'string' || typeof p === 'number'))
  ) {
    bad(`cancel phones ${quote(phones)} is not valid: ${expected}.`);
  }
  return {
    jobIds: (jobIds ?? []) as readonly string[],
    phones: (phones ?? []) as readonly (string | number)[],
  };
}
