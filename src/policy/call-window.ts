import { DialerError } from '../errors.js';
import type { CallingRule } from '../rules/rule-types.js';
import type { CallSchedule, CallWindow } from '../schedule/call-schedule.js';
import { checkInstant } from '../schedule/instant.js';
import { type CompiledRules, NO_RULES } from './compiled-rules.js';
import { parseRules } from './parse-rules.js';
import { compileRules, resolveSchedule } from './resolve.js';
import { callPolicySchema, campaignDefaultsSchema, issuesFromZod } from './schemas.js';
import type { PolicyFields, PolicyInput } from './types.js';

/** Options of the pure window functions. */
export interface CallWindowOptions {
  /** Campaign defaults: the policy layer below `policy` (spec section 3). @default none */
  readonly defaults?: PolicyInput;
  /**
   * Calling rules laid over the policy (spec section 12), validated as the campaign option `rules` is:
   * a call is allowed only when the policy and every rule allow it. With no phone to place, every rule
   * applies (`appliesTo` is not read), read in the policy's zone, else the defaults', else UTC;
   * `maxAttemptsPer24h` limits attempts, not windows, and changes nothing here. Compiled once per
   * array: do not mutate it afterwards. @default none
   */
  readonly rules?: readonly CallingRule[];
}

const NO_DEFAULTS: PolicyFields = {};
const parsedPolicies = new WeakMap<object, PolicyFields>();
const parsedDefaults = new WeakMap<object, PolicyFields>();
const compiledRules = new WeakMap<object, CompiledRules>();
/** Schedules of policies without defaults or rules, by policy object: the common case in one lookup. */
const schedulesWithoutDefaults = new WeakMap<object, CallSchedule>();
/** Schedules of policies without defaults, by rules array, then policy object. */
const schedulesByRules = new WeakMap<object, WeakMap<object, CallSchedule>>();
/** The rules array a policy object was last asked with, and its schedule: repeated queries in one lookup. */
const lastWithRules = new WeakMap<object, { readonly rules: unknown; readonly schedule: CallSchedule }>();
const schedules = new WeakMap<PolicyFields, WeakMap<PolicyFields, WeakMap<CompiledRules, CallSchedule>>>();

/**
 * The first maximal allowed interval `{ start, end }` at or after `fromMs` (spec section 3): `start` is
 * `fromMs` itself when a call is allowed then, `end` the first instant after `start` that is not allowed
 * (`Infinity` when none), or `null` when no allowed instant is left. Wall-clock rules are read in the
 * number's zone: times a DST gap skips are never allowed, times a fold repeats are allowed both times.
 * The timeline ends at `MAX_INSTANT_MS` (8.64e15, the range of Date): no window starts after it (`null`),
 * and a window still open at it has `end = Infinity`.
 *
 * `policy` is an entry-shaped object (its policy fields; `phone` and `payload` not needed). It is parsed
 * and compiled once per object: do not mutate it afterwards.
 *
 * @throws DialerError for an invalid policy, or `invalid.option` when `fromMs` is not an instant (a
 * finite number within ±8.64e15).
 * @example
 * nextCallWindow(
 *   { gmtZone: 'America/New_York', allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '17:00' }] } },
 *   Date.parse('2024-03-10T12:00:00Z'),
 * ) // { start: 2024-03-10T13:00:00Z, end: 2024-03-10T21:00:00Z } as epoch ms
 */
export function nextCallWindow(
  policy: PolicyInput,
  fromMs: number,
  options?: CallWindowOptions,
): CallWindow | null {
  checkInstant(fromMs, 'from');
  return scheduleOf(policy, options?.defaults, options?.rules).nextWindow(fromMs);
}

/**
 * Whether a call is allowed at `atMs` (spec section 3, the wall-clock rule): within
 * `[startDateTime, finishDateTime)` and in an interval of the rules of the local weekday, or in the
 * after-midnight part of an overnight interval of the day before.
 *
 * @throws DialerError for an invalid policy, or `invalid.option` when `atMs` is not an instant (a
 * finite number within ±8.64e15).
 */
export function isCallAllowed(policy: PolicyInput, atMs: number, options?: CallWindowOptions): boolean {
  checkInstant(atMs, 'atMs');
  return scheduleOf(policy, options?.defaults, options?.rules).isAllowed(atMs);
}

/** The compiled schedule of an entry-shaped policy over optional defaults and rules, cached per object. */
export function scheduleOf(policy: PolicyInput, defaults?: PolicyInput, rules?: unknown): CallSchedule {
  if (defaults !== undefined || typeof policy !== 'object' || policy === null)
    return scheduleOfParsed(policy, defaults, rules);
  // The common cases in one lookup: no rules, or the rules this policy was last asked with.
  if (rules === undefined) {
    const cached = schedulesWithoutDefaults.get(policy);
    if (cached !== undefined) return cached;
    const schedule = scheduleOfParsed(policy, undefined, undefined);
    schedulesWithoutDefaults.set(policy, schedule);
    return schedule;
  }
  const last = lastWithRules.get(policy);
  if (last !== undefined && last.rules === rules) return last.schedule;
  let byPolicy = typeof rules === 'object' && rules !== null ? schedulesByRules.get(rules) : undefined;
  if (byPolicy === undefined) {
    // Rules that are not valid throw here, before anything is kept.
    compiledRulesOf(rules);
    byPolicy = new WeakMap();
    schedulesByRules.set(rules as object, byPolicy);
  }
  let schedule = byPolicy.get(policy);
  if (schedule === undefined) {
    schedule = scheduleOfParsed(policy, undefined, rules);
    byPolicy.set(policy, schedule);
  }
  lastWithRules.set(policy, { rules, schedule });
  return schedule;
}

/** An entry-shaped policy parsed, cached per object. @throws DialerError for an invalid policy. */
export function policyFieldsOf(policy: PolicyInput): PolicyFields {
  return parseCached(policy, parsedPolicies, (value) => {
    const result = callPolicySchema.safeParse(value);
    if (!result.success) throw new DialerError(issuesFromZod(result.error, undefined));
    return result.data;
  });
}

/** Campaign defaults parsed (none: `{}`), cached per object. @throws DialerError with paths from `'defaults'`. */
export function defaultFieldsOf(defaults: PolicyInput | undefined): PolicyFields {
  if (defaults === undefined) return NO_DEFAULTS;
  return parseCached(defaults, parsedDefaults, (value) => {
    const result = campaignDefaultsSchema.safeParse(value);
    if (!result.success) throw new DialerError(issuesFromZod(result.error, undefined, ['defaults']));
    return result.data;
  });
}

function scheduleOfParsed(
  policy: PolicyInput,
  defaults: PolicyInput | undefined,
  rulesInput: unknown,
): CallSchedule {
  const fields = policyFieldsOf(policy);
  const defaultFields = defaultFieldsOf(defaults);
  const rules = compiledRulesOf(rulesInput);
  let byDefaults = schedules.get(fields);
  if (byDefaults === undefined) {
    byDefaults = new WeakMap();
    schedules.set(fields, byDefaults);
  }
  let byRules = byDefaults.get(defaultFields);
  if (byRules === undefined) {
    byRules = new WeakMap();
    byDefaults.set(defaultFields, byRules);
  }
  let schedule = byRules.get(rules);
  if (schedule === undefined) {
    schedule = resolveSchedule(fields, defaultFields, undefined, rules);
    byRules.set(rules, schedule);
  }
  return schedule;
}

/** The `rules` option validated and combined, every rule applying; cached per array. */
export function compiledRulesOf(value: unknown): CompiledRules {
  if (value === undefined) return NO_RULES;
  // Not an object: not an array either, so parseRules throws.
  if (typeof value !== 'object' || value === null) return compileRules(parseRules(value));
  let rules = compiledRules.get(value);
  if (rules === undefined) {
    rules = compileRules(parseRules(value));
    compiledRules.set(value, rules);
  }
  return rules;
}

function parseCached(
  value: unknown,
  cache: WeakMap<object, PolicyFields>,
  parse: (value: unknown) => PolicyFields,
): PolicyFields {
  if (typeof value !== 'object' || value === null) return parse(value);
  let fields = cache.get(value);
  if (fields === undefined) {
    fields = parse(value);
    cache.set(value, fields);
  }
  return fields;
}
