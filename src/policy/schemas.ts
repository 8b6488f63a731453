import * as z from 'zod';
import { type Issue, type IssueCode, quote } from '../errors.js';
import { closestName } from './closest.js';
import {
  dialerPriorityMessage,
  isDialerPriority,
  type LazyIssueSink,
  PHONE_EXPECTED,
  parseAllowedDays,
  parseAllowedTime,
  parseDateTime,
  parseMaxAttempts,
  parsePhone,
  parseRetryIntervalLazily,
  parseZoneId,
} from './fields.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, parsePayloadLazily } from './payload.js';
import type { JsonValue, ParsedEntry, PolicyFields } from './types.js';

/** Options that change how entries are validated. */
export interface ValidationOptions {
  /** A `dialerPriority` outside 1..5 is an error instead of a warning replaced by 5. @default false */
  readonly strictPriority?: boolean;
  /** The largest payload, in bytes of UTF-8 JSON. @default 65536 */
  readonly maxPayloadBytes?: number;
}

/** The policy field names, in the order of the spec. */
export const POLICY_FIELDS = [
  'startDateTime',
  'finishDateTime',
  'allowedDays',
  'allowedTime',
  'retryIntervalInMinutes',
  'maxAttempts',
  'gmtZone',
  'dialerPriority',
] as const;

/** Issue code for problems zod itself finds in a field (a missing `phone`, say). */
const FIELD_CODES: Record<string, IssueCode> = {
  phone: 'phone.bad.format',
  payload: 'payload.bad.format',
  startDateTime: 'invalid.date.time',
  finishDateTime: 'invalid.date.time',
  allowedDays: 'invalid.allowed.days',
  allowedTime: 'invalid.call.allowed.time',
  retryIntervalInMinutes: 'invalid.retry.interval',
  maxAttempts: 'invalid.max.attempts',
  gmtZone: 'phone.gmtZone.bad.format',
  dialerPriority: 'invalid.dialer_priority',
};

/** A `dialerPriority` outside 1..5 in lenient mode: replaced by 5 with a warning. */
export interface ReplacedPriority {
  readonly replaced: unknown;
}

/** A zod field that runs one of the field parsers and turns what it reports into custom issues. */
function field<T>(parse: (value: unknown, sink: LazyIssueSink) => T | undefined) {
  return z.unknown().transform((value, ctx): T => {
    let failed = false;
    const result = parse(value, (path, code, message) => {
      failed = true;
      ctx.issues.push({
        code: 'custom',
        message: message(),
        input: value,
        path: [...path],
        params: { code },
      });
    });
    return failed ? z.NEVER : (result as T);
  });
}

/** The parsers of the policy fields, by name: the one source of both the zod schemas and the fast path. */
export function policyParsers(strictPriority: boolean) {
  return {
    startDateTime: (v: unknown, sink: LazyIssueSink) => parseDateTime(v, 'startDateTime', sink),
    finishDateTime: (v: unknown, sink: LazyIssueSink) => parseDateTime(v, 'finishDateTime', sink),
    allowedDays: parseAllowedDays,
    allowedTime: parseAllowedTime,
    retryIntervalInMinutes: parseRetryIntervalLazily,
    maxAttempts: parseMaxAttempts,
    gmtZone: parseZoneId,
    dialerPriority: (value: unknown, sink: LazyIssueSink): number | ReplacedPriority | undefined => {
      if (isDialerPriority(value)) return value;
      if (!strictPriority) return { replaced: value };
      sink([], 'invalid.dialer_priority', () => dialerPriorityMessage(value, false));
      return undefined;
    },
  };
}

/** A field parser of the table: the value, and where its issues go; `undefined` when it reported one. */
type FieldParser = (value: unknown, sink: LazyIssueSink) => unknown;
type Parsed<P extends FieldParser> = Exclude<ReturnType<P>, undefined>;

/** The zod fields of a table of parsers, each optional. */
function optionalFields<P extends Record<string, FieldParser>>(
  parsers: P,
): { [K in keyof P]: z.ZodOptional<ReturnType<typeof field<Parsed<P[K]>>>> } {
  const shape: Record<string, unknown> = {};
  for (const [name, parse] of Object.entries(parsers)) shape[name] = field(parse).optional();
  return shape as { [K in keyof P]: z.ZodOptional<ReturnType<typeof field<Parsed<P[K]>>>> };
}

function policyShape(strictPriority: boolean) {
  return optionalFields(policyParsers(strictPriority));
}

/**
 * The parsers of an entry's fields, by name (`phone`, `payload` and the policy fields): the one table
 * that both `addPhonesEntrySchema` and the zod-free fast path (fast-entry.ts) run.
 */
export function entryParsers(options: Required<ValidationOptions>) {
  return {
    phone: parsePhone,
    payload: (v: unknown, sink: LazyIssueSink) => parsePayloadLazily(v, options.maxPayloadBytes, sink),
    ...policyParsers(options.strictPriority),
  };
}

/** The entry parsers for these options (cached). */
export type EntryParsers = ReturnType<typeof entryParsers>;
const parserTables = new Map<string, EntryParsers>();
export function entryParsersFor(options: Required<ValidationOptions>): EntryParsers {
  const key = `${options.strictPriority}:${options.maxPayloadBytes}`;
  let parsers = parserTables.get(key);
  if (parsers === undefined) {
    parsers = entryParsers(options);
    parserTables.set(key, parsers);
  }
  return parsers;
}

/** Parsed policy fields before `toPolicy`. */
export type RawPolicy = {
  [K in keyof ReturnType<typeof policyParsers>]?: ReturnType<ReturnType<typeof policyParsers>[K]>;
};

/** Builds PolicyFields from the parsed fields: `maxAttempts: 0` as absent, a replaced priority as 5. */
export function toPolicy(raw: RawPolicy, warnings: Issue[]): PolicyFields {
  const policy: { -readonly [K in keyof PolicyFields]: PolicyFields[K] } = {};
  if (raw.startDateTime !== undefined) policy.startDateTime = raw.startDateTime;
  if (raw.finishDateTime !== undefined) policy.finishDateTime = raw.finishDateTime;
  if (raw.allowedDays !== undefined) policy.allowedDays = raw.allowedDays;
  if (raw.allowedTime !== undefined) policy.allowedTime = raw.allowedTime;
  if (raw.retryIntervalInMinutes !== undefined) policy.retryIntervalInMinutes = raw.retryIntervalInMinutes;
  if (raw.maxAttempts !== undefined && raw.maxAttempts !== null) policy.maxAttempts = raw.maxAttempts;
  if (raw.gmtZone !== undefined) policy.gmtZone = raw.gmtZone;
  if (typeof raw.dialerPriority === 'number') policy.dialerPriority = raw.dialerPriority;
  else if (raw.dialerPriority !== undefined) {
    policy.dialerPriority = 5;
    warnings.push({
      path: ['dialerPriority'],
      code: 'invalid.dialer_priority',
      message: dialerPriorityMessage(raw.dialerPriority.replaced, true),
    });
  }
  return policy;
}

function buildEntrySchema(options: Required<ValidationOptions>) {
  return z
    .strictObject(
      (({ phone, ...optional }) => ({ phone: field(phone), ...optionalFields(optional) }))(
        entryParsers(options),
      ),
    )
    .transform((raw): ParsedEntry => {
      const warnings: Issue[] = [];
      const policy = toPolicy(raw, warnings);
      const entry: { phone: string; payload?: JsonValue; policy: PolicyFields; warnings: Issue[] } = {
        phone: raw.phone,
        policy,
        warnings,
      };
      if (raw.payload !== undefined) entry.payload = raw.payload;
      return entry;
    });
}

/** Parsed redial params: the policy fields but `gmtZone`, with warnings of replaced values. */
export interface ParsedRedialParams {
  readonly policy: PolicyFields;
  readonly warnings: readonly Issue[];
}

function buildRedialSchema(options: Required<ValidationOptions>) {
  const { gmtZone: _zone, ...shape } = policyShape(options.strictPriority);
  return z
    .strictObject({
      ...shape,
      gmtZone: field((value, sink) => {
        sink(
          [],
          'invalid.redial',
          () => `a redial keeps the number's zone: gmtZone ${quote(value)} is not allowed here.`,
        );
        return undefined;
      }).optional(),
    })
    .superRefine((raw, ctx) => {
      if (raw.startDateTime === undefined && raw.allowedTime === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'a redial needs startDateTime or allowedTime: say when the number may be called again.',
          path: [],
          params: { code: 'invalid.redial' },
        });
      }
    })
    .transform((raw): ParsedRedialParams => {
      const warnings: Issue[] = [];
      return { policy: toPolicy(raw, warnings), warnings };
    });
}

function buildDefaultsSchema() {
  return z.strictObject(policyShape(true)).transform((raw): PolicyFields => toPolicy(raw, []));
}

function buildPolicySchema() {
  return z
    .strictObject({ phone: z.unknown().optional(), payload: z.unknown().optional(), ...policyShape(false) })
    .transform((raw): PolicyFields => toPolicy(raw, []));
}

const defaultOptions: Required<ValidationOptions> = {
  strictPriority: false,
  maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
};

/** Schema of one addPhones entry (spec section 2) with the built-in options; output is a ParsedEntry. */
export const addPhonesEntrySchema = buildEntrySchema(defaultOptions);
/** Schema of redial params (spec section 7) with the built-in options; output is ParsedRedialParams. */
export const redialParamsSchema = buildRedialSchema(defaultOptions);
/** Schema of campaign `defaults` (spec section 10): policy fields, a bad `dialerPriority` is an error. */
export const campaignDefaultsSchema = buildDefaultsSchema();
/** Schema of the `policy` argument of the pure window functions: an entry whose `phone` and `payload` are optional. */
export const callPolicySchema = buildPolicySchema();

const entrySchemas = new Map<string, ReturnType<typeof buildEntrySchema>>();
const redialSchemas = new Map<string, ReturnType<typeof buildRedialSchema>>();

export function resolveOptions(options: ValidationOptions): Required<ValidationOptions> {
  return {
    strictPriority: options.strictPriority ?? defaultOptions.strictPriority,
    maxPayloadBytes: options.maxPayloadBytes ?? defaultOptions.maxPayloadBytes,
  };
}

/** The entry schema for these options (cached). */
export function entrySchemaFor(options: ValidationOptions = {}): typeof addPhonesEntrySchema {
  const resolved = resolveOptions(options);
  const key = `${resolved.strictPriority}:${resolved.maxPayloadBytes}`;
  let schema = entrySchemas.get(key);
  if (schema === undefined) {
    schema = buildEntrySchema(resolved);
    entrySchemas.set(key, schema);
  }
  return schema;
}

/** The redial params schema for these options (cached). */
export function redialSchemaFor(options: ValidationOptions = {}): typeof redialParamsSchema {
  const resolved = resolveOptions(options);
  const key = `${resolved.strictPriority}`;
  let schema = redialSchemas.get(key);
  if (schema === undefined) {
    schema = buildRedialSchema(resolved);
    redialSchemas.set(key, schema);
  }
  return schema;
}

/** The known fields of an entry, for `unknown.field` suggestions. */
const ENTRY_FIELDS: readonly string[] = ['phone', 'payload', ...POLICY_FIELDS];

/**
 * Turns a zod error of one of these schemas into issues: custom issues keep their code, unknown keys
 * become `unknown.field` naming the closest known field, anything else takes the code of its field.
 * `prefix` is put before every path (`['defaults']` for campaign defaults).
 */
export function issuesFromZod(
  error: z.ZodError,
  index: number | undefined,
  prefix: readonly (string | number)[] = [],
): Issue[] {
  const issues: Issue[] = [];
  const at = (path: readonly PropertyKey[], code: IssueCode, message: string) => {
    const fullPath = [...prefix, ...path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    issues.push(
      index === undefined ? { path: fullPath, code, message } : { index, path: fullPath, code, message },
    );
  };
  for (const issue of error.issues) {
    if (issue.code === 'custom' && typeof issue.params?.code === 'string') {
      at(issue.path, issue.params.code as IssueCode, issue.message);
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const near = closestName(key, ENTRY_FIELDS);
        const hint =
          near === undefined ? `expected one of ${ENTRY_FIELDS.join(', ')}` : `did you mean \`${near}\`?`;
        const shown = key.length > 60 ? `${key.slice(0, 57)}...` : key;
        at([...issue.path, key], 'unknown.field', `unknown field \`${shown}\`; ${hint}`);
      }
    } else if (issue.path.length === 0) {
      at([], 'invalid.body', `expected a plain object of fields: ${issue.message}.`);
    } else {
      const name = String(issue.path[0]);
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      const expected = name === 'phone' ? `: ${PHONE_EXPECTED}` : '';
      const message = missing ? `${name} is missing${expected}.` : `${name}: ${issue.message}.`;
      at(issue.path, FIELD_CODES[name] ?? 'invalid.body', message);
    }
  }
  return issues;
}
