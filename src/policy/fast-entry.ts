import type { Issue } from '../errors.js';
import type { LazyIssueSink } from './fields.js';
import { type EntryParsers, type RawPolicy, toPolicy } from './schemas.js';
import type { JsonValue, ParsedEntry, PolicyFields } from './types.js';

/** Flags a failure; the fast path never builds messages. */
let failed = false;
const failingSink: LazyIssueSink = () => {
  failed = true;
};

/**
 * Parses a valid entry with the same table of field parsers as `addPhonesEntrySchema`
 * (`entryParsers`), without zod's machinery; returns `undefined` at the first sign of trouble (an
 * unknown field, a missing phone, a field parser's issue, an invalid priority in strict mode), and the
 * caller then runs the zod schema for the issues.
 * For an entry the schema accepts, the result equals the schema's output (a property test checks this).
 */
export function parseEntryFast(raw: Record<string, unknown>, parsers: EntryParsers): ParsedEntry | undefined {
  // One object of one shape, every field present from the start: no dictionary-mode objects.
  const fields: Record<keyof typeof parsers, unknown> = {
    phone: undefined,
    payload: undefined,
    startDateTime: undefined,
    finishDateTime: undefined,
    allowedDays: undefined,
    allowedTime: undefined,
    retryIntervalInMinutes: undefined,
    maxAttempts: undefined,
    gmtZone: undefined,
    dialerPriority: undefined,
  };
  failed = false;
  for (const key of Object.keys(raw)) {
    // An unknown field: the schema names it.
    if (!Object.hasOwn(parsers, key)) return undefined;
    const value = raw[key];
    if (value === undefined) continue;
    const name = key as keyof typeof parsers;
    fields[name] = parsers[name](value, failingSink);
    if (failed) return undefined;
  }
  const phone = fields.phone as string | undefined;
  const payload = fields.payload as JsonValue | undefined;
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
