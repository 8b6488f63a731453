import { DialerError, type Issue, quote } from '../errors.js';
import { closestName } from '../policy/closest.js';
import type { ZoneResolver } from '../policy/parse-entries.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../policy/payload.js';
import { campaignDefaultsSchema, issuesFromZod } from '../policy/schemas.js';
import type { PolicyFields, PolicyInput } from '../policy/types.js';
import { compileSchedule } from '../schedule/compile.js';

/** Options of `new Campaign(options)` (spec section 10). */
export interface CampaignOptions {
  /** Policy fields at campaign level, validated like an entry (a bad `dialerPriority` is an error). @default {} */
  readonly defaults?: PolicyInput;
  /** A `dialerPriority` outside 1..5 is an error instead of a warning (replaced by 5). @default false */
  readonly strictPriority?: boolean;
  /** How long a served call may go unreported before it counts as a failed attempt. @default 3_600_000 (1 hour) */
  readonly leaseTimeoutMs?: number;
  /** How long an added entry is remembered for the duplicate check. @default 86_400_000 (24 hours) */
  readonly dedupWindowMs?: number;
  /** Cap on the attempts of one phone over all its series. @default undefined (none) */
  readonly maxTotalAttempts?: number;
  /** Largest payload, in bytes of UTF-8 JSON. @default 65536 */
  readonly maxPayloadBytes?: number;
  /** Zone of numbers whose entry and defaults give no `gmtZone`; else UTC. @default undefined */
  readonly zoneResolver?: ZoneResolver;
  /** The clock read when a call passes no `now`. @default Date.now */
  readonly clock?: () => number;
}

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  readonly defaultsInput: PolicyInput;
  readonly defaults: PolicyFields;
  readonly strictPriority: boolean;
  readonly leaseTimeoutMs: number;
  readonly dedupWindowMs: number;
  readonly maxTotalAttempts: number | undefined;
  readonly maxPayloadBytes: number;
  readonly zoneResolver: ZoneResolver | undefined;
  readonly clock: () => number;
}

const OPTION_NAMES = [
  'defaults',
  'strictPriority',
  'leaseTimeoutMs',
  'dedupWindowMs',
  'maxTotalAttempts',
  'maxPayloadBytes',
  'zoneResolver',
  'clock',
];

/** Built-in campaign values of policy fields that no level sets. */
export const BUILT_IN = { maxAttempts: 1, retryIntervalInMinutes: 60, dialerPriority: 5 } as const;

/** Validates campaign options and fills in defaults; throws one DialerError with every issue. */
export function resolveOptions(options: unknown): ResolvedOptions {
  const issues: Issue[] = [];
  const bad = (name: string, value: unknown, expected: string) =>
    issues.push({
      path: [name],
      code: 'invalid.option',
      message: `${name} ${quote(value)} is not valid: expected ${expected}.`,
    });
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new DialerError([
      {
        path: [],
        code: 'invalid.option',
        message: `options ${quote(options)} are not valid: expected an object.`,
      },
    ]);
  }
  const o = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OPTION_NAMES.includes(key)) {
      const near = closestName(key, OPTION_NAMES);
      issues.push({
        path: [key],
        code: 'invalid.option',
        message: `unknown option \`${key.length > 60 ? `${key.slice(0, 57)}...` : key}\`; ${near === undefined ? `expected one of ${OPTION_NAMES.join(', ')}` : `did you mean \`${near}\`?`}`,
      });
    }
  }
  const strictPriority = o.strictPriority ?? false;
  if (typeof strictPriority !== 'boolean') bad('strictPriority', strictPriority, 'true or false');
  const leaseTimeoutMs = o.leaseTimeoutMs ?? 3_600_000;
  if (!isPositiveNumber(leaseTimeoutMs))
    bad('leaseTimeoutMs', leaseTimeoutMs, 'a finite number of milliseconds > 0');
  const dedupWindowMs = o.dedupWindowMs ?? 86_400_000;
  if (typeof dedupWindowMs !== 'number' || !Number.isFinite(dedupWindowMs) || dedupWindowMs < 0) {
    bad('dedupWindowMs', dedupWindowMs, 'a finite number of milliseconds >= 0');
  }
  const maxTotalAttempts = o.maxTotalAttempts;
  if (
    maxTotalAttempts !== undefined &&
    !(Number.isInteger(maxTotalAttempts) && (maxTotalAttempts as number) >= 1)
  ) {
    bad('maxTotalAttempts', maxTotalAttempts, 'an integer >= 1, or undefined for no cap');
  }
  const maxPayloadBytes = o.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (!(Number.isInteger(maxPayloadBytes) && (maxPayloadBytes as number) >= 2)) {
    bad('maxPayloadBytes', maxPayloadBytes, 'an integer >= 2');
  }
  const zoneResolver = o.zoneResolver;
  if (zoneResolver !== undefined && typeof zoneResolver !== 'function')
    bad('zoneResolver', zoneResolver, 'a function of the phone');
  const clock = o.clock ?? Date.now;
  if (typeof clock !== 'function') bad('clock', clock, 'a function returning epoch milliseconds');

  const defaultsInput = (o.defaults ?? {}) as PolicyInput;
  let defaults: PolicyFields = {};
  const parsed = campaignDefaultsSchema.safeParse(defaultsInput);
  if (!parsed.success) issues.push(...issuesFromZod(parsed.error, undefined, ['defaults']));
  else {
    defaults = parsed.data;
    try {
      // Start before finish on the defaults alone, local date-times read in the defaults' zone, else UTC.
      compileSchedule(defaults);
    } catch (error) {
      if (!(error instanceof DialerError)) throw error;
      issues.push(...error.issues.map((issue) => ({ ...issue, path: ['defaults', ...issue.path] })));
    }
  }
  if (issues.length > 0) throw new DialerError(issues);
  return {
    defaultsInput,
    defaults,
    strictPriority: strictPriority as boolean,
    leaseTimeoutMs: leaseTimeoutMs as number,
    dedupWindowMs: dedupWindowMs as number,
    maxTotalAttempts: maxTotalAttempts as number | undefined,
    maxPayloadBytes: maxPayloadBytes as number,
    zoneResolver: zoneResolver as ZoneResolver | undefined,
    clock: clock as () => number,
  };
}

function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
