import type { Issue } from '../errors.js';
import {
  isDialerPriority,
  type LazyIssueSink,
  parseAllowedDays,
  parseAllowedTime,
  parseDateTime,
  parseMaxAttempts,
  parsePhone,
  parseRetryIntervalLazily,
  parseZoneId,
} from './fields.js';
import { parsePayloadLazily } from './payload.js';
import { type RawPolicy, toPolicy, type ValidationOptions } from './schemas.js';
import type { JsonValue, ParsedEntry, PolicyFields } from './types.js';

/** Flags a failure; the fast path never builds messages. */
let failed = false;
const failingSink: LazyIssueSink = () => {
  failed = true;
};

/**
 * Parses a valid entry with the same field parsers as `addPhonesEntrySchema`, without zod's machinery;
 * returns `undefined` at the first sign of trouble (an unknown field, a missing phone, a field parser's
 * issue, an invalid priority in strict mode), and the caller then runs the zod schema for the issues.
 * For an entry the schema accepts, the result equals the schema's output (a property test checks this).
 */
export function parseEntryFast(
  raw: Record<string, unknown>,
  options: Required<ValidationOptions>,
): ParsedEntry | undefined {
  // Fixed locals rather than a record keyed by field: one shape, no dictionary-mode objects.
  let phone: string | undefined;
  let payload: JsonValue | undefined;
  const fields = {
    startDateTime: undefined as RawPolicy['startDateTime'],
    finishDateTime: undefined as RawPolicy['finishDateTime'],
    allowedDays: undefined as RawPolicy['allowedDays'],
    allowedTime: undefined as RawPolicy['allowedTime'],
    retryIntervalInMinutes: undefined as RawPolicy['retryIntervalInMinutes'],
    maxAttempts: undefined as RawPolicy['maxAttempts'],
    gmtZone: undefined as RawPolicy['gmtZone'],
    dialerPriority: undefined as RawPolicy['dialerPriority'],
  };
  failed = false;
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    switch (key) {
      case 'phone':
        if (value !== undefined) phone = parsePhone(value, failingSink);
        break;
      case 'payload':
        if (value !== undefined) payload = parsePayloadLazily(value, options.maxPayloadBytes, failingSink);
        break;
      case 'startDateTime':
        if (value !== undefined) fields.startDateTime = parseDateTime(value, key, failingSink);
        break;
      case 'finishDateTime':
        if (value !== undefined) fields.finishDateTime = parseDateTime(value, key, failingSink);
        break;
      case 'allowedDays':
        if (value !== undefined) fields.allowedDays = parseAllowedDays(value, failingSink);
        break;
      case 'allowedTime':
        if (value !== undefined) fields.allowedTime = parseAllowedTime(value, failingSink);
        break;
      case 'retryIntervalInMinutes':
        if (value !== undefined) fields.retryIntervalInMinutes = parseRetryIntervalLazily(value, failingSink);
        break;
      case 'maxAttempts':
        if (value !== undefined) fields.maxAttempts = parseMaxAttempts(value, failingSink);
        break;
      case 'gmtZone':
        if (value !== undefined) fields.gmtZone = parseZoneId(value, failingSink);
        break;
      case 'dialerPriority':
        if (value === undefined) break;
        if (isDialerPriority(value)) fields.dialerPriority = value;
        else if (options.strictPriority) return undefined;
        else fields.dialerPriority = { replaced: value };
        break;
      default:
        return undefined;
    }
    if (failed) return undefined;
  }
  if (phone === undefined) return undefined;
  const warnings: Issue[] = [];
  const policy: PolicyFields = toPolicy(fields as RawPolicy, warnings);
  const entry: { phone: string; payload?: JsonValue; policy: PolicyFields; warnings: Issue[] } = {
    phone,
    policy,
    warnings,
  };
  if (payload !== undefined) entry.payload = payload;
  return entry;
}
