import { DialerError, type Issue, quote } from '../errors.js';
import { readCampaignLayers } from '../policy/campaign-layers.js';
import { unknownKeyMessage } from '../policy/closest.js';
import type { ZoneResolver } from '../policy/parse-entries.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../policy/payload.js';
import type { CampaignRules } from '../policy/phone-rules.js';
import type { PolicyFields, PolicyInput } from '../policy/types.js';
import type { CallingRule } from '../rules/rule-types.js';
import { MAX_INSTANT_MS } from '../schedule/instant.js';
import type { DoNotCall } from './do-not-call.js';

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
  /**
   * Calling rules laid over every job's own policy (spec section 12), such as `US_RULES`; each applies
   * to the phones of the places its `appliesTo` names. @default [] (none)
   */
  readonly rules?: readonly CallingRule[];
  /** Zone of numbers whose entry and defaults give no `gmtZone`; else UTC. @default undefined */
  readonly zoneResolver?: ZoneResolver;
  /**
   * An outside do-not-call list (spec section 12): asked about each phone (digits) a job would be added
   * for, by `addPhones`, `addTestPhone` and `redial`; `true` keeps the job out, as `blockPhones` does.
   * A function: not in snapshots, given again to `restore`. @default undefined (none)
   */
  readonly doNotCall?: DoNotCall;
  /**
   * How long a finished job is kept after it ends; then `job()` returns `undefined` and its memory is
   * released (a job is kept at least `dedupWindowMs` after its add, for the duplicate check).
   * @default 604_800_000 (7 days)
   */
  readonly retentionMs?: number;
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
  readonly retentionMs: number;
  readonly zoneResolver: ZoneResolver | undefined;
  readonly doNotCall: DoNotCall | undefined;
  /** The `rules` option as given (a copy), for snapshots. */
  readonly rulesInput: readonly CallingRule[];
  readonly rules: CampaignRules;
  readonly clock: () => number;
}

const OPTION_NAMES = [
  'defaults',
  'strictPriority',
  'leaseTimeoutMs',
  'dedupWindowMs',
  'maxTotalAttempts',
  'maxPayloadBytes',
  'retentionMs',
  'zoneResolver',
  'doNotCall',
  'rules',
  'clock',
];

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
      issues.push({
        path: [key],
        code: 'invalid.option',
        message: unknownKeyMessage('option', key, OPTION_NAMES),
      });
    }
  }
  const strictPriority = o.strictPriority ?? false;
  if (typeof strictPriority !== 'boolean') bad('strictPriority', strictPriority, 'true or false');
  const leaseTimeoutMs = o.leaseTimeoutMs ?? 3_600_000;
  if (!isDuration(leaseTimeoutMs) || leaseTimeoutMs === 0)
    bad('leaseTimeoutMs', leaseTimeoutMs, `milliseconds > 0 and at most ${MAX_INSTANT_MS}`);
  const dedupWindowMs = o.dedupWindowMs ?? 86_400_000;
  if (!isDuration(dedupWindowMs))
    bad('dedupWindowMs', dedupWindowMs, `milliseconds from 0 to ${MAX_INSTANT_MS}`);
  const retentionMs = o.retentionMs ?? DEFAULT_RETENTION_MS;
  if (!isDuration(retentionMs)) bad('retentionMs', retentionMs, `milliseconds from 0 to ${MAX_INSTANT_MS}`);
  const maxTotalAttempts = o.maxTotalAttempts;
  if (
    maxTotalAttempts !== undefined &&
    !(
      Number.isInteger(maxTotalAttempts) &&
      (maxTotalAttempts as number) >= 1 &&
      (maxTotalAttempts as number) <= MAX_COUNT
    )
  ) {
    bad('maxTotalAttempts', maxTotalAttempts, `an integer from 1 to ${MAX_COUNT}, or undefined for no cap`);
  }
  const maxPayloadBytes = o.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (
    !(
      Number.isInteger(maxPayloadBytes) &&
      (maxPayloadBytes as number) >= 2 &&
      (maxPayloadBytes as number) <= MAX_COUNT
    )
  ) {
    bad('maxPayloadBytes', maxPayloadBytes, `an integer from 2 to ${MAX_COUNT}`);
  }
  const zoneResolver = o.zoneResolver;
  if (zoneResolver !== undefined && typeof zoneResolver !== 'function')
    bad('zoneResolver', zoneResolver, 'a function of the phone');
  const doNotCall = o.doNotCall;
  if (doNotCall !== undefined && typeof doNotCall !== 'function')
    bad('doNotCall', doNotCall, 'a function of the phone returning true or false');
  const clock = o.clock ?? Date.now;
  if (typeof clock !== 'function') bad('clock', clock, 'a function returning epoch milliseconds');

  const { defaults, defaultsValid, rules } = readCampaignLayers(o.defaults, o.rules, issues);
  // Copies: the caller may change its objects afterwards; the campaign (and its snapshots) must not.
  const defaultsInput = defaultsValid ? (JSON.parse(JSON.stringify(o.defaults ?? {})) as PolicyInput) : {};
  const rulesInput: readonly CallingRule[] = rules.isEmpty
    ? []
    : (JSON.parse(JSON.stringify(o.rules)) as CallingRule[]);
  if (issues.length > 0) throw new DialerError(issues);
  return {
    defaultsInput,
    defaults,
    strictPriority: strictPriority as boolean,
    leaseTimeoutMs: leaseTimeoutMs as number,
    dedupWindowMs: dedupWindowMs as number,
    maxTotalAttempts: maxTotalAttempts as number | undefined,
    maxPayloadBytes: maxPayloadBytes as number,
    retentionMs: retentionMs as number,
    zoneResolver: zoneResolver as ZoneResolver | undefined,
    doNotCall: doNotCall as DoNotCall | undefined,
    rulesInput,
    rules,
    clock: clock as () => number,
  };
}

/** The built-in `retentionMs`: 7 days. */
export const DEFAULT_RETENTION_MS = 604_800_000;
/** The largest count an option may hold (attempts, bytes): a 32-bit integer. */
const MAX_COUNT = 2 ** 31 - 1;

/** A duration in ms within the range of instants, so that `instant + duration` stays representable as a Date bound. */
function isDuration(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_INSTANT_MS;
}
