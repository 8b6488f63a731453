import { createHash } from 'node:crypto';
import type { JsonValue } from '../policy/types.js';

/**
 * The duplicate key of an added entry (spec section 8) as 16 bytes of SHA-256 over its phone, its own
 * schedule fields (`scheduleKey`), its other own fields (`ownFieldsCode`) and its payload as canonical
 * JSON (object keys sorted, so key order aside): equal for the entries the in-memory engine calls the
 * same, and stored with the job so the database finds duplicates across processes.
 */
export function dedupKeyOf(
  phone: string,
  scheduleKey: string,
  ownFields: number,
  payload: JsonValue | undefined,
): Buffer {
  const payloadText = payload === undefined ? '-' : canonicalJson(payload);
  return createHash('sha256')
    .update(`${phone}\n${scheduleKey}\n${ownFields}\n${payloadText}`)
    .digest()
    .subarray(0, 16);
}

/** JSON text of `value` with every object's keys in sorted order. */
export function canonicalJson(value: JsonValue): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(canonicalJson).join(',')}]`;
  const record = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key]!)}`).join(',')}}`;
}
