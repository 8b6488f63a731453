import type { CallSchedule } from '../schedule/call-schedule.js';
import { formatOffset, zoneRulesOf } from '../schedule/gmt-zone.js';
import { scheduleOfParts } from '../schedule/schedule-cache.js';
import { type TimeInterval, WEEKDAYS, WHOLE_DAY } from '../schedule/weekly-rules.js';
import {
  allowedMinutesOf,
  MINUTES_PER_WEEK,
  rulesOfKey,
  weeklyRulesOfMinutes,
  weeklyWindowsOfRules,
} from '../schedule/weekly-windows.js';
import type { ZoneRules } from '../schedule/zone-rules.js';
import type { CompiledRules } from './compiled-rules.js';
import type { ParsedRule } from './parse-rules.js';
import { compileRules, instantOf, UTC_ZONE_ID, weeklyRulesOf } from './resolve.js';
import type { PolicyFields } from './types.js';

/** Why one layer of a policy blocks an instant (spec section 12, "Explain"). */
export type PolicyReasonCode =
  | 'before.start'
  | 'after.finish'
  | 'outside.allowed.days'
  | 'outside.allowed.time'
  | 'blackout.date'
  | 'holiday';

/**
 * One layer of a call's policy on its own: the entry's own fields (`entry`), the fields it inherits
 * from the campaign defaults (`defaults`), or one calling rule (`rule:<name>`). A call is allowed
 * exactly when every layer allows it; each layer's schedule is exact, DST included.
 */
export interface PolicyLayer {
  readonly layer: string;
  /** The instants this layer alone allows. */
  readonly schedule: CallSchedule;
  /** Why the layer blocks `atMs`, which it must block: a code and a phrase for the message. */
  causeAt(atMs: number): { readonly code: PolicyReasonCode; readonly detail: string };
}

const DAY_MS = 86_400_000;
/** 1970-01-01 was a Thursday: Monday-based weekday 3. */
const EPOCH_WEEKDAY = 3;

/** How a layer treats one weekday's list: leaves the day out, sets its hours, or leaves it whole. */
type DayKind = 'excluded' | 'hours' | 'whole';

/**
 * The layers of a policy over campaign defaults and rules, for `explainCall`, `forecast` and a
 * campaign's `explain`. Their intersection is exactly what `resolveSchedule` makes of the same
 * arguments (the zone is the policy's, else the defaults', else `fallbackZoneId`):
 *
 * - `entry`: the policy's own `startDateTime` and `finishDateTime`; each weekday's intervals when the
 *   policy sets them and its own `allowedDays` keep the day, nothing on a day its own `allowedDays`
 *   leave out, the whole day otherwise.
 * - `defaults` (only when `defaults` is given): the same for the fields the policy inherits: the
 *   defaults' bounds where the policy sets none, their `allowedDays` when the policy sets none, their
 *   intervals on the days the policy sets no hours for.
 * - `rule:<name>`: the rule's days, hours, blackout dates and holidays, unbounded.
 *
 * An interval belongs with its after-midnight part to the day it starts on (spec section 3), and that
 * day's list comes from one layer: so that an inherited overnight interval is not blocked by the next
 * day's own hours, both policy layers also allow every minute of the week the policy as a whole allows.
 * Layers that allow every instant are left out.
 */
export function policyLayers(
  own: PolicyFields,
  defaults: PolicyFields | undefined,
  options: PolicyLayerOptions = {},
): readonly PolicyLayer[] {
  const { fallbackZoneId = UTC_ZONE_ID, rules, ownName = 'the entry' } = options;
  const zone = zoneRulesOf(own.gmtZone ?? defaults?.gmtZone ?? fallbackZoneId);
  const below = defaults ?? {};
  const whole = allowedMinutesOf(weeklyRulesOf(own, below));
  const layers: PolicyLayer[] = [];
  const entry = policyLayer('entry', ownName, zone, whole, entryDays(own, below), {
    start: own.startDateTime,
    finish: own.finishDateTime,
  });
  if (entry !== undefined) layers.push(entry);
  if (defaults !== undefined) {
    const inherited = policyLayer(
      'defaults',
      'the campaign defaults',
      zone,
      whole,
      defaultsDays(own, defaults),
      {
        start: own.startDateTime === undefined ? defaults.startDateTime : undefined,
        finish: own.finishDateTime === undefined ? defaults.finishDateTime : undefined,
      },
    );
    if (inherited !== undefined) layers.push(inherited);
  }
  for (const rule of rules?.rules ?? []) {
    const layer = ruleLayer(rule, zone);
    if (layer !== undefined) layers.push(layer);
  }
  return layers;
}

/**
 * The layers of a schedule read in given zones (its `zoneIds`): with one zone, {@link policyLayers} with
 * it as the fallback; with several (a number whose area spans zones, spec section 12), the layers of the
 * policy and the defaults read in each zone, their zones dropped, one after the other: a call is allowed
 * exactly when it is allowed in each zone, so when no layer of any zone blocks it.
 */
export function zonedPolicyLayers(
  own: PolicyFields,
  defaults: PolicyFields | undefined,
  zoneIds: readonly string[],
  options: Omit<PolicyLayerOptions, 'fallbackZoneId'> = {},
): readonly PolicyLayer[] {
  if (zoneIds.length === 1) return policyLayers(own, defaults, { ...options, fallbackZoneId: zoneIds[0]! });
  const { gmtZone: _own, ...ownFields } = own;
  let below: PolicyFields | undefined;
  if (defaults !== undefined) {
    const { gmtZone: _defaults, ...rest } = defaults;
    below = rest;
  }
  return zoneIds.flatMap((zoneId) => policyLayers(ownFields, below, { ...options, fallbackZoneId: zoneId }));
}

/** What {@link policyLayers} reads besides the policy and the defaults. */
export interface PolicyLayerOptions {
  /** The zone when neither the policy nor the defaults name one (a zone resolver's answer). @default UTC */
  readonly fallbackZoneId?: string;
  /** The rules that apply, each a layer of its own. @default none */
  readonly rules?: CompiledRules | undefined;
  /** How messages name the policy's own fields (a redial's are its parameters). @default 'the entry' */
  readonly ownName?: string;
}

/** One weekday's list in a layer: how the layer treats the day, and the intervals it sets. */
interface DayRule {
  readonly kind: DayKind;
  readonly intervals: readonly TimeInterval[];
  /** The layer's `allowedDays`, for the message of a day left out. */
  readonly days?: readonly string[];
}

function entryDays(own: PolicyFields, defaults: PolicyFields): readonly DayRule[] {
  return WEEKDAYS.map((day): DayRule => {
    if (own.allowedDays !== undefined && !own.allowedDays.includes(day))
      return { kind: 'excluded', intervals: [], days: own.allowedDays };
    // A day the defaults leave out is theirs to explain: the entry's hours do not reach into the next day.
    if (own.allowedDays === undefined && defaults.allowedDays?.includes(day) === false)
      return { kind: 'whole', intervals: WHOLE_DAY };
    const hours = own.allowedTime?.[day] ?? own.allowedTime?.default;
    return hours === undefined
      ? { kind: 'whole', intervals: WHOLE_DAY }
      : { kind: 'hours', intervals: hours };
  });
}

function defaultsDays(own: PolicyFields, defaults: PolicyFields): readonly DayRule[] {
  return WEEKDAYS.map((day): DayRule => {
    if (own.allowedDays !== undefined) {
      if (!own.allowedDays.includes(day)) return { kind: 'whole', intervals: WHOLE_DAY };
    } else if (defaults.allowedDays?.includes(day) === false) {
      return { kind: 'excluded', intervals: [], days: defaults.allowedDays };
    }
    if ((own.allowedTime?.[day] ?? own.allowedTime?.default) !== undefined)
      return { kind: 'whole', intervals: WHOLE_DAY };
    const hours = defaults.allowedTime?.[day] ?? defaults.allowedTime?.default;
    return hours === undefined
      ? { kind: 'whole', intervals: WHOLE_DAY }
      : { kind: 'hours', intervals: hours };
  });
}

/** A policy layer, or `undefined` when it allows every instant. */
function policyLayer(
  layer: string,
  whose: string,
  zone: ZoneRules,
  policyMinutes: Uint8Array,
  days: readonly DayRule[],
  bounds: { readonly start: PolicyFields['startDateTime']; readonly finish: PolicyFields['finishDateTime'] },
): PolicyLayer | undefined {
  const startMs = bounds.start === undefined ? Number.NEGATIVE_INFINITY : instantOf(bounds.start, zone);
  const finishMs = bounds.finish === undefined ? Number.POSITIVE_INFINITY : instantOf(bounds.finish, zone);
  const allowed = allowedMinutesOf(days.map((day) => day.intervals));
  for (let m = 0; m < MINUTES_PER_WEEK; m++) allowed[m]! |= policyMinutes[m]!;
  const weekly = weeklyWindowsOfRules(weeklyRulesOfMinutes(allowed));
  if (weekly.isAlways && startMs === Number.NEGATIVE_INFINITY && finishMs === Number.POSITIVE_INFINITY)
    return undefined;
  const schedule = scheduleOfParts(zone, weekly, startMs, finishMs);
  return {
    layer,
    schedule,
    causeAt(atMs) {
      if (atMs < startMs)
        return {
          code: 'before.start',
          detail: `the startDateTime of ${whose} is ${formatInstant(zone, startMs)}`,
        };
      if (atMs >= finishMs)
        return {
          code: 'after.finish',
          detail: `the finishDateTime of ${whose} was ${formatInstant(zone, finishMs)}`,
        };
      return weeklyCause(whose, zone, days, atMs);
    },
  };
}

/** A rule's layer, or `undefined` when the rule narrows no window (`maxAttemptsPer24h` alone). */
function ruleLayer(rule: ParsedRule, zone: ZoneRules): PolicyLayer | undefined {
  const alone = compiledRuleOf(rule);
  if (alone.isEmpty) return undefined;
  const days = weeklyRulesOf(rule);
  const blackout = alone.blackoutDays(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  const schedule = scheduleOfParts(
    zone,
    weeklyWindowsOfRules(days),
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    blackout,
  );
  const dayRules = WEEKDAYS.map((day, d): DayRule => {
    if (rule.allowedDays !== undefined && !rule.allowedDays.includes(day))
      return { kind: 'excluded', intervals: [], days: rule.allowedDays };
    const intervals = days[d]!;
    return rule.allowedTime === undefined ? { kind: 'whole', intervals } : { kind: 'hours', intervals };
  });
  const whose = `rule ${JSON.stringify(rule.name)}`;
  return {
    layer: `rule:${rule.name}`,
    schedule,
    causeAt(atMs) {
      const localMs = atMs + zone.offsetMsAt(atMs);
      const day = Math.floor(localMs / DAY_MS);
      const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      if (rule.blackoutDays.includes(day))
        return {
          code: 'blackout.date',
          detail: `${date} in ${zone.id} is one of the blackoutDates of ${whose}`,
        };
      if (!blackout.isEmpty && blackout.isBlocked(day)) {
        const { country, region, types } = rule.holidays!;
        const place = region ?? country;
        const inYears = day >= blackout.openFromDay && day < blackout.openUntilDay;
        return {
          code: 'holiday',
          detail: inYears
            ? `${date} in ${zone.id} is a ${types.join(' or ')} holiday in ${place}, which ${whose} blacks out`
            : `${date} in ${zone.id} lies outside 2000 to 2099, the years ${whose} reads holidays for`,
        };
      }
      return weeklyCause(whose, zone, dayRules, atMs);
    },
  };
}

const compiledRules = new WeakMap<ParsedRule, CompiledRules>();

/** One rule compiled alone, kept per rule object (its blackout days are read once). */
function compiledRuleOf(rule: ParsedRule): CompiledRules {
  let compiled = compiledRules.get(rule);
  if (compiled === undefined) {
    compiled = compileRules([rule]);
    compiledRules.set(rule, compiled);
  }
  return compiled;
}

/** Why a layer's days or hours block `atMs`: its local weekday left out, or a time outside its hours. */
function weeklyCause(
  whose: string,
  zone: ZoneRules,
  days: readonly DayRule[],
  atMs: number,
): { readonly code: PolicyReasonCode; readonly detail: string } {
  const localMs = atMs + zone.offsetMsAt(atMs);
  const dayNumber = Math.floor(localMs / DAY_MS);
  const weekday = (((dayNumber + EPOCH_WEEKDAY) % 7) + 7) % 7;
  const name = WEEKDAYS[weekday]!;
  const rule = days[weekday]!;
  if (rule.kind === 'excluded') {
    return {
      code: 'outside.allowed.days',
      detail: `${name} in ${zone.id} is not one of the allowedDays of ${whose} (${(rule.days ?? []).join(', ')})`,
    };
  }
  const time = new Date(localMs).toISOString().slice(11, 16);
  return {
    code: 'outside.allowed.time',
    detail: `${time} on ${name} in ${zone.id} is outside the hours of ${whose} for ${name} (${intervalsText(rule.intervals)})`,
  };
}

function intervalsText(intervals: readonly TimeInterval[]): string {
  const hhmm = (minute: number) =>
    `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return intervals.map((i) => `${hhmm(i.fromMinute)}-${hhmm(i.toMinute)}`).join(', ');
}

/**
 * An instant as an ISO 8601 local date-time with the zone's offset then, to the second
 * (`2026-12-02T09:00:00-05:00`); `-Infinity`/`Infinity` as `the beginning`/`never`.
 */
export function formatInstant(zone: ZoneRules, atMs: number): string {
  if (atMs === Number.NEGATIVE_INFINITY) return 'the beginning';
  if (atMs === Number.POSITIVE_INFINITY) return 'never';
  const offsetMs = zone.offsetMsAt(atMs);
  const local = new Date(atMs + offsetMs).toISOString().slice(0, 19);
  return `${local}${formatOffset(Math.round(offsetMs / 1000))}`;
}

/**
 * A compiled schedule as one layer `entry`, for a job whose own fields are not known (restored from a
 * snapshot that does not hold them): its bounds, blackout days, days and hours, rules included.
 */
export function scheduleLayer(schedule: CallSchedule): PolicyLayer {
  const { zone, startMs, finishMs, blackout } = schedule;
  const whose = "the job's schedule";
  const days = weeklyRulesOfKeyOrWhole(schedule.weekly.key).map(
    (intervals): DayRule =>
      intervals.length === 0 ? { kind: 'excluded', intervals, days: [] } : { kind: 'hours', intervals },
  );
  return {
    layer: 'entry',
    schedule,
    causeAt(atMs) {
      if (atMs < startMs)
        return { code: 'before.start', detail: `the start of ${whose} is ${formatInstant(zone, startMs)}` };
      if (atMs >= finishMs)
        return {
          code: 'after.finish',
          detail: `the finish of ${whose} was ${formatInstant(zone, finishMs)}`,
        };
      const day = Math.floor((atMs + zone.offsetMsAt(atMs)) / DAY_MS);
      if (!blackout.isEmpty && blackout.isBlocked(day)) {
        const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
        return { code: 'blackout.date', detail: `${date} in ${zone.id} is a blackout day of ${whose}` };
      }
      return weeklyCause(whose, zone, days, atMs);
    },
  };
}

function weeklyRulesOfKeyOrWhole(key: string): readonly (readonly TimeInterval[])[] {
  return rulesOfKey(key) ?? WEEKDAYS.map(() => WHOLE_DAY);
}
