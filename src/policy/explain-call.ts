import type { CallSchedule } from '../schedule/call-schedule.js';
import { checkInstant } from '../schedule/instant.js';
import {
  type CallWindowOptions,
  compiledRulesOf,
  defaultFieldsOf,
  policyFieldsOf,
  scheduleOf,
} from './call-window.js';
import type { CompiledRules } from './compiled-rules.js';
import { formatInstant, type PolicyLayer, type PolicyReasonCode, policyLayers } from './explain-layers.js';
import type { PolicyFields, PolicyInput } from './types.js';

export type { PolicyReasonCode } from './explain-layers.js';

/**
 * One layer that blocks a call at an instant (spec section 12, "Explain").
 *
 * @typeParam Code the reason codes: a policy's ({@link PolicyReasonCode}), or a campaign job's.
 */
export interface BlockReason<Code extends string = PolicyReasonCode> {
  /** Why: `before.start`, `after.finish`, `outside.allowed.days`, `outside.allowed.time`, `blackout.date`, `holiday` (and a job's own). */
  readonly code: Code;
  /** Which layer: `entry` (the policy's own fields), `defaults` (fields inherited from the defaults), `rule:<name>` (and a job's own). */
  readonly layer: string;
  /** One sentence naming the field and the local time, and when the layer next allows a call. */
  readonly message: string;
  /** The first instant at or after the one explained at which this layer alone allows a call; `null` when none. */
  readonly untilMs: number | null;
}

/** What `explainCall` tells of a policy at an instant. */
export interface CallExplanation {
  /** Whether a call is allowed at the instant (`isCallAllowed`). */
  readonly callable: boolean;
  /** The first instant at or after it that every layer allows (the instant itself when callable), or `null` when none is left. */
  readonly nextAttemptAt: number | null;
  /** Every layer that blocks the call at the instant, in order: `entry`, `defaults`, then the rules as given. Empty exactly when `callable`. */
  readonly reasons: readonly BlockReason[];
}

/**
 * Why a call is or is not allowed at `atMs` (spec section 12, "Explain"): every layer of the policy that
 * blocks it, each with when that layer alone next allows a call. The layers are the policy's own fields
 * (`entry`), the fields it inherits from `defaults` (`defaults`, only when defaults are given), and
 * each rule (`rule:<name>`; with no phone to place, every rule applies, as in `isCallAllowed`). A call
 * is allowed exactly when no layer blocks it; each layer's `untilMs` is exact, DST included.
 *
 * Weekday lists belong with their after-midnight part to the day they start on (spec section 3): both
 * policy layers allow every minute of the week the policy as a whole allows, so an inherited overnight
 * interval is never blamed on the next day's own hours.
 *
 * @throws DialerError for an invalid policy, defaults or rules, or `invalid.option` when `atMs` is not
 *   an instant (a finite number within ±8.64e15).
 * @example
 * explainCall(
 *   { gmtZone: 'America/New_York', allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '17:00' }] } },
 *   Date.parse('2026-12-01T20:30:00-05:00'),
 *   { rules: US_RULES },
 * ) // { callable: false, nextAttemptAt: 2026-12-02T09:00-05:00, reasons: [{ code: 'outside.allowed.time', layer: 'entry', ... }, { layer: 'rule:US federal calling hours', ... }] }
 */
export function explainCall(policy: PolicyInput, atMs: number, options?: CallWindowOptions): CallExplanation {
  checkInstant(atMs, 'atMs');
  const schedule = scheduleOf(policy, options?.defaults, options?.rules);
  const layers = layersOf(
    policyFieldsOf(policy),
    options?.defaults === undefined ? undefined : defaultFieldsOf(options.defaults),
    compiledRulesOf(options?.rules),
  );
  return explainWithLayers(schedule, layers, atMs);
}

/**
 * The explanation at `atMs` of a call whose schedule is `schedule` and whose layers are `layers` (their
 * intersection). Shared by `explainCall`, `forecast` and a campaign's `explain`.
 */
export function explainWithLayers(
  schedule: CallSchedule,
  layers: readonly PolicyLayer[],
  atMs: number,
): CallExplanation {
  const reasons: BlockReason[] = [];
  for (const layer of layers) {
    if (!layer.schedule.isAllowed(atMs)) reasons.push(reasonOf(layer, atMs));
  }
  const callable = schedule.isAllowed(atMs);
  return {
    callable,
    nextAttemptAt: callable ? atMs : (schedule.nextWindow(atMs)?.start ?? null),
    reasons,
  };
}

/** The reason a layer gives for blocking `atMs`. */
export function reasonOf(layer: PolicyLayer, atMs: number): BlockReason {
  const { code, detail } = layer.causeAt(atMs);
  const window = layer.schedule.nextWindow(atMs);
  const untilMs = window === null ? null : window.start;
  const next =
    untilMs === null
      ? 'it allows no later call'
      : `it next allows a call at ${formatInstant(layer.schedule.zone, untilMs)}`;
  return {
    code,
    layer: layer.layer,
    message: `${detail}; ${next}.`,
    untilMs,
  };
}

const NO_DEFAULTS_KEY: PolicyFields = {};
const layerCache = new WeakMap<
  PolicyFields,
  WeakMap<PolicyFields, WeakMap<CompiledRules, readonly PolicyLayer[]>>
>();

/** The layers of a parsed policy, cached per parsed objects (themselves cached per input object). */
function layersOf(
  fields: PolicyFields,
  defaults: PolicyFields | undefined,
  rules: CompiledRules,
): readonly PolicyLayer[] {
  let byDefaults = layerCache.get(fields);
  if (byDefaults === undefined) {
    byDefaults = new WeakMap();
    layerCache.set(fields, byDefaults);
  }
  const defaultsKey = defaults ?? NO_DEFAULTS_KEY;
  let byRules = byDefaults.get(defaultsKey);
  if (byRules === undefined) {
    byRules = new WeakMap();
    byDefaults.set(defaultsKey, byRules);
  }
  let layers = byRules.get(rules);
  if (layers === undefined) {
    layers = policyLayers(fields, defaults, { rules });
    byRules.set(rules, layers);
  }
  return layers;
}
