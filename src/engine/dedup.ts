import type { JsonValue } from '../policy/types.js';

/**
 * Whether two payloads are the same for the duplicate check (spec section 8): both absent, or deep-equal
 * as JSON values, key order aside.
 */
export function samePayload(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a === b || canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so that deep-equal values give equal text. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const record = value as Record<string, JsonValue>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k]!)}`).join(',')}}`;
}
