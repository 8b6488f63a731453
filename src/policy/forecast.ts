import { DialerError, type Issue, quote } from '../errors.js';
import type { CallingRule } from '../rules/rule-types.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { isInstant } from '../schedule/instant.js';
import { readCampaignLayers } from './campaign-layers.js';
import { unknownKeyMessage } from './closest.js';
import { type PolicyLayer, type PolicyReasonCode, zonedPolicyLayers } from './explain-layers.js';
import { type AcceptedEntry, parseEntries, type ZoneResolver } from './parse-entries.js';
import type { CampaignRules } from './phone-rules.js';
import type { PolicyFields, PolicyInput } from './types.js';

/** Options of {@link forecast}. */
export interface ForecastOptions {
  /** The first instant of the span looked at (epoch ms, inclusive). */
  readonly from: number;
  /** The end of the span (epoch ms, exclusive); after `from`. */
  readonly to: number;
  /** Campaign defaults, as `new Campaign` takes them. @default {} */
  readonly defaults?: PolicyInput;
  /** Calling rules, as `new Campaign` takes them: each applies to the phones of its `appliesTo`. @default [] */
  readonly rules?: readonly CallingRule[];
  /** Zone of numbers whose entry and defaults give none, as `new Campaign` takes it. @default undefined (UTC) */
  readonly zoneResolver?: ZoneResolver;
  /** As `new Campaign`'s: a `dialerPriority` outside 1..5 is an error. @default false */
  readonly strictPriority?: boolean;
}

/** The layers that leave some entries no allowed instant in the span, with how many and which. */
export interface ForecastReason {
  /** `entry`, `defaults`, `rule:<name>`, or `combined` when no layer alone blocks the whole span. */
  readonly layer: string;
  /** The layer's reason at `from` (as `explainCall` gives it), or `no.common.window` for `combined`. */
  readonly code: PolicyReasonCode | 'no.common.window';
  /** The entries this layer alone blocks throughout the span. */
  readonly count: number;
  /** The body indexes of the first {@link FORECAST_EXAMPLES} of them, ascending. */
  readonly examples: readonly number[];
}

/** What {@link forecast} tells of a body before a launch. */
export interface ForecastResult {
  /** Entries in the body. */
  readonly total: number;
  /** Valid entries with at least one allowed instant in `[from, to)`. */
  readonly callable: number;
  /** Valid entries with none. */
  readonly uncallable: number;
  /**
   * Per layer and code, the uncallable entries that layer alone blocks throughout `[from, to)`; an entry
   * blocked by several layers counts under each, one whose layers each allow some instant but never at
   * once counts under `combined`. Most entries first.
   */
  readonly byReason: readonly ForecastReason[];
  /** Entries with an error, as `addPhones` with `partial: true` rejects them (not counted above). */
  readonly rejectedEntries: number;
  /** Their issues (at most `MAX_ISSUES`), each with the entry's `index`. */
  readonly rejected: readonly Issue[];
  /** Warnings of the valid entries (a replaced `dialerPriority`). */
  readonly warnings: readonly Issue[];
}

/** Example indexes kept per reason. */
export const FORECAST_EXAMPLES = 10;

const OPTION_NAMES = ['from', 'to', 'defaults', 'rules', 'zoneResolver', 'strictPriority'];

/**
 * Before a launch: how many entries of an addPhones body have no allowed instant in `[from, to)`, and
 * why (spec section 12, "Explain"). Entries are validated as `addPhones` validates them: those with an
 * error are reported in `rejected`, not counted; every valid entry counts, duplicates included. Each
 * entry's schedule is the one a campaign with these options would give its job, the rules applying by
 * the phone's place (`appliesTo`) as in a campaign; the layers are those of `explainCall`, with the
 * rules that apply to the entry's phone.
 *
 * @throws DialerError `invalid.option` for bad options (`from`, `to` not instants or `to <= from`, an
 *   unknown option), the entry codes for bad `defaults`, the rule codes for bad `rules`, and
 *   `invalid.body` when `entries` is not an array.
 * @example
 * forecast(body, { from: Date.parse('2026-12-01T00:00:00Z'), to: Date.parse('2026-12-08T00:00:00Z'), rules: US_RULES })
 * // { total: 1000, callable: 990, uncallable: 10, byReason: [{ layer: 'entry', code: 'after.finish', count: 10, examples: [3, ...] }], ... }
 */
export function forecast(entries: readonly unknown[], options: ForecastOptions): ForecastResult {
  const { from, to, defaults, rules, zoneResolver, strictPriority } = readForecastOptions(options);
  const body = parseEntries(entries, {
    defaults,
    rules,
    zoneResolver,
    keepPolicies: true,
    ...(strictPriority === undefined ? {} : { strictPriority }),
  });
  const emptyInSpan = new Map<CallSchedule, boolean>();
  const isEmptyInSpan = (schedule: CallSchedule): boolean => {
    let empty = emptyInSpan.get(schedule);
    if (empty === undefined) {
      const window = schedule.nextWindow(from);
      empty = window === null || window.start >= to;
      emptyInSpan.set(schedule, empty);
    }
    return empty;
  };
  const layersByKey = new Map<string, readonly PolicyLayer[]>();
  const groups = new Map<
    string,
    { layer: string; code: ForecastReason['code']; count: number; examples: number[] }
  >();
  const count = (layer: string, code: ForecastReason['code'], index: number) => {
    const key = `${layer}\u0000${code}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { layer, code, count: 0, examples: [] };
      groups.set(key, group);
    }
    group.count++;
    if (group.examples.length < FORECAST_EXAMPLES) group.examples.push(index);
  };
  let callable = 0;
  let uncallable = 0;
  body.accepted.forEach((entry, index) => {
    if (entry === undefined) return;
    if (!isEmptyInSpan(entry.job.schedule)) {
      callable++;
      return;
    }
    uncallable++;
    let blamed = false;
    for (const layer of layersOfEntry(entry, defaults, layersByKey)) {
      if (!isEmptyInSpan(layer.schedule)) continue;
      blamed = true;
      // Blocked throughout from `from` on: it blocks `from` itself.
      count(layer.layer, layer.causeAt(from).code, index);
    }
    if (!blamed) count('combined', 'no.common.window', index);
  });
  const byReason = [...groups.values()].sort((a, b) => b.count - a.count || a.examples[0]! - b.examples[0]!);
  return {
    total: entries.length,
    callable,
    uncallable,
    byReason,
    rejectedEntries: body.accepted.length - callable - uncallable,
    rejected: body.errors,
    warnings: body.warnings,
  };
}

/** The layers of an accepted entry, shared by entries with the same own fields, zone and rules. */
function layersOfEntry(
  entry: AcceptedEntry,
  defaults: PolicyFields,
  cache: Map<string, readonly PolicyLayer[]>,
): readonly PolicyLayer[] {
  const { ruleSet } = entry;
  const schedule = entry.job.schedule;
  const key = `${ruleSet.key}|${schedule.zoneKey}|${entry.scheduleKey}`;
  let layers = cache.get(key);
  if (layers === undefined) {
    // The schedule's zones are the entry's, else the defaults', else the resolver's or the number's.
    // Parsed with `keepPolicies`: every accepted entry has its policy.
    layers = zonedPolicyLayers(entry.policy!, defaults, schedule.zoneIds, { rules: ruleSet.compiled });
    cache.set(key, layers);
  }
  return layers;
}

function readForecastOptions(options: unknown): {
  readonly from: number;
  readonly to: number;
  readonly defaults: PolicyFields;
  readonly rules: CampaignRules;
  readonly zoneResolver: ZoneResolver | undefined;
  readonly strictPriority: boolean | undefined;
} {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new DialerError([
      {
        path: [],
        code: 'invalid.option',
        message: `options ${quote(options)} are not valid: expected an object with from and to.`,
      },
    ]);
  }
  const o = options as Record<string, unknown>;
  const issues: Issue[] = [];
  const bad = (name: string, value: unknown, expected: string) =>
    issues.push({
      path: [name],
      code: 'invalid.option',
      message: `${name} ${quote(value)} is not valid: expected ${expected}.`,
    });
  for (const key of Object.keys(o)) {
    if (!OPTION_NAMES.includes(key))
      issues.push({
        path: [key],
        code: 'invalid.option',
        message: unknownKeyMessage('option', key, OPTION_NAMES),
      });
  }
  const { from, to, zoneResolver, strictPriority } = o;
  if (!isInstant(from)) bad('from', from, 'epoch milliseconds within ±8.64e15 (the range of Date)');
  if (!isInstant(to)) bad('to', to, 'epoch milliseconds within ±8.64e15 (the range of Date)');
  else if (isInstant(from) && !(to > from)) bad('to', to, `an instant after from (${from})`);
  if (zoneResolver !== undefined && typeof zoneResolver !== 'function')
    bad('zoneResolver', zoneResolver, 'a function of the phone');
  if (strictPriority !== undefined && typeof strictPriority !== 'boolean')
    bad('strictPriority', strictPriority, 'true or false');
  const { defaults, rules } = readCampaignLayers(o.defaults, o.rules, issues);
  if (issues.length > 0) throw new DialerError(issues);
  return {
    from: from as number,
    to: to as number,
    defaults,
    rules,
    zoneResolver: zoneResolver as ZoneResolver | undefined,
    strictPriority: strictPriority as boolean | undefined,
  };
}
