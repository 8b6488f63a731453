import type { Issue } from '../errors.js';
import type { IssueSink } from './fields.js';
import { parsePhone } from './fields.js';
import { parsePayload } from './payload.js';
import { policyParsers, type RawPolicy, toPolicy, type ValidationOptions } from './schemas.js';
import type { JsonValue, ParsedEntry, PolicyFields } from './types.js';

type Parser = (value: unknown, sink: IssueSink) => unknown;

const parserTables = new Map<string, Map<string, Parser>>();

function parsersFor(options: Required<ValidationOptions>): Map<string, Parser> {
  const key = `${options.strictPriority}:${options.maxPayloadBytes}`;
  let table = parserTables.get(key);
  if (table === undefined) {
    table = new Map<string, Parser>(Object.entries(policyParsers(options.strictPriority)));
    table.set('phone', parsePhone);
    table.set('payload', (value, sink) => parsePayload(value, options.maxPayloadBytes, sink));
    parserTables.set(key, table);
  }
  return table;
}

/** Flags a failure; the fast path never builds messages. */
let failed = false;
const failingSink: IssueSink = () => {
  failed = true;
};

/**
 * Parses a valid entry with the same field parsers as `addPhonesEntrySchema`, without zod's machinery;
 * returns `undefined` at the first sign of trouble (an unknown field, a missing phone, a field parser's
 * issue), and the caller then runs the zod schema for the issues. For an entry the schema accepts, the
 * result equals the schema's output (a property test checks this).
 */
export function parseEntryFast(
  raw: Record<string, unknown>,
  options: Required<ValidationOptions>,
): ParsedEntry | undefined {
  const parsers = parsersFor(options);
  const parsed: Record<string, unknown> = {};
  failed = false;
  for (const key of Object.keys(raw)) {
    const parse = parsers.get(key);
    if (parse === undefined) return undefined;
    const value = raw[key];
    // An optional field given as undefined is absent, as in the schema.
    if (value === undefined) continue;
    const result = parse(value, failingSink);
    if (failed) return undefined;
    parsed[key] = result;
  }
  if (parsed.phone === undefined) return undefined;
  const warnings: Issue[] = [];
  const policy: PolicyFields = toPolicy(parsed as RawPolicy, warnings);
  const entry: { phone: string; payload?: JsonValue; policy: PolicyFields; warnings: Issue[] } = {
    phone: parsed.phone as string,
    policy,
    warnings,
  };
  if (parsed.payload !== undefined) entry.payload = parsed.payload as JsonValue;
  return entry;
}
