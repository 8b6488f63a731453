import { DialerError, type Issue, quote } from '../errors.js';

/** Job ID of job number `i`: decimal digits, increasing. */
export function jobIdOf(i: number): string {
  return String(i + 1);
}

export function reportError(code: Issue['code'], message: string): DialerError {
  return new DialerError([{ path: ['jobId'], code, message }]);
}

export function isoOf(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
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

/** Reads the options object of a call, rejecting unknown keys. */
export function readCallOptions(options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw optionError('options', options, `an object with ${known.join(', ')}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw optionError(
        key,
        (options as Record<string, unknown>)[key],
        `no option \`${key}\` here: expected ${known.join(', ')}`,
      );
  }
  return options as Record<string, unknown>;
}

export function checkSelection(selection: unknown): void {
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
  if (
    s.jobIds !== undefined &&
    !(Array.isArray(s.jobIds) && s.jobIds.every((id) => typeof id === 'string'))
  ) {
    bad(`cancel jobIds ${quote(s.jobIds)} is not valid: ${expected}.`);
  }
  if (
    s.phones !== undefined &&
    !(Array.isArray(s.phones) && s.phones.every((p) => typeof p === 'string' || typeof p === 'number'))
  ) {
    bad(`cancel phones ${quote(s.phones)} is not valid: ${expected}.`);
  }
}
