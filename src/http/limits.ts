import { DialerError, quote } from '../errors.js';

/** The limits of one request (README "HTTP service"); each one broken is a clear error that changes nothing. */
export interface Limits {
  /** The largest request body, in bytes: past it, 413. @default 10_485_760 (10 MiB) */
  readonly bodyBytes: number;
  /** The most entries in one addPhones body: past it, 400 `invalid.body`. @default 100_000 */
  readonly entriesPerBody: number;
  /** The deepest nesting of arrays and objects in a JSON body: past it, 400 `invalid.body`. @default 64 */
  readonly jsonDepth: number;
}

export const DEFAULT_LIMITS: Limits = { bodyBytes: 10 * 1024 * 1024, entriesPerBody: 100_000, jsonDepth: 64 };

const LIMIT_RANGES: { readonly [K in keyof Limits]: readonly [number, number] } = {
  bodyBytes: [1024, 1024 * 1024 * 1024],
  entriesPerBody: [1, 10_000_000],
  jsonDepth: [4, 1024],
};

/** The limits of `given` over the defaults; a bad or unknown one is `invalid.option` naming it. */
export function readLimits(given: unknown): Limits {
  if (given === undefined) return DEFAULT_LIMITS;
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw limitError([], given, 'an object with bodyBytes, entriesPerBody, jsonDepth');
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(given)) {
    const range = LIMIT_RANGES[name as keyof Limits];
    if (range === undefined) throw limitError([name], name, 'one of bodyBytes, entriesPerBody, jsonDepth');
    if (!Number.isInteger(value) || value < range[0] || value > range[1])
      throw limitError([name], value, `an integer from ${range[0]} to ${range[1]}`);
    limits[name] = value;
  }
  return limits as unknown as Limits;
}

function limitError(path: string[], value: unknown, expected: string): DialerError {
  return new DialerError([
    {
      path: ['limits', ...path],
      code: 'invalid.option',
      message: `limits${path.length > 0 ? `.${path[0]}` : ''} ${quote(value)} is not valid: expected ${expected}.`,
    },
  ]);
}

/**
 * Whether JSON text nests arrays and objects deeper than `maxDepth`, by one pass over its characters
 * (brackets inside strings do not count). Run before `JSON.parse`, whose recursion a deep body could
 * otherwise exhaust.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}
