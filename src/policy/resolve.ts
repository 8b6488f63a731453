import { DialerError, type Issue } from '../errors.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { zoneRulesOf } from '../schedule/gmt-zone.js';
import { MAX_INSTANT_MS } from '../schedule/instant.js';
import { instantOfLocal } from '../schedule/local-time.js';
import { scheduleOfParts, zoneKeyOf } from '../schedule/schedule-cache.js';
import {
  type TimeInterval,
  WEEKDAYS,
  type Weekday,
  type WeeklyRules,
  WHOLE_DAY,
} from '../schedule/weekly-rules.js';
import {
  allowedMinutesOf,
  intersectWeeklyRules,
  MINUTES_PER_WEEK,
  weeklyWindowsOfRules,
} from '../schedule/weekly-windows.js';
import type { ZoneRules } from '../schedule/zone-rules.js';
import { CompiledRules, NO_RULES } from './compiled-rules.js';
import type { ParsedRule } from './parse-rules.js';
import type { AllowedTime, DateTimeValue, PolicyFields } from './types.js';

/**
 * Inheritance (spec sections 3, 7 and 10) in one place: what a job's own fields, the campaign defaults
 * and the built-in values make of each policy field, and the calling rules (section 12) laid over the
 * result. Nothing else applies inheritance or rules.
 */

/** The zone of a number with no `gmtZone` anywhere and no resolver: UTC. */
export const UTC_ZONE_ID = '+00:00';

/** Built-in campaign values of policy fields that no level sets. */
export const BUILT_IN = { maxAttempts: 1, retryIntervalInMinutes: 60, dialerPriority: 5 } as const;

/** A redial series has at most this many attempts (spec section 7). */
export const MAX_REDIAL_ATTEMPTS = 5;

const NO_WARNINGS: readonly Issue[] = Object.freeze([]);

/** Everything a job needs from its policy, resolved. */
export interface ResolvedJob {
  readonly schedule: CallSchedule;
  /** 1..5. */
  readonly priority: number;
  readonly maxAttempts: number;
  /** The pause between attempts, in minutes. */
  readonly retryMinutes: number;
  /** Issues of the resolution (a clamped redial `maxAttempts`), paths inside the job's own fields. */
  readonly warnings: readonly Issue[];
}

/**
 * The schedule of a policy over campaign defaults: zone from the policy, else the defaults, else
 * `fallbackZoneId` (a zone resolver's answer, or the zones of the phone number: spec section 12), else
 * UTC; start and finish from the policy, else the defaults (local date-times read in that zone); the day
 * rules of section 3; then the calling rules that apply to the job (section 12, {@link compileRules}):
 * the exact intersection, on the same wall clock, of the weekly minutes the policy allows with those
 * every rule allows, and without the local days some rule blacks out in the years the schedule spans.
 * With several fallback zones (a number whose area spans zones), the policy is read in each and the
 * schedule allows only what each allows (see {@link scheduleInZones}).
 *
 * @throws DialerError `invalid.date.time` when the effective start is not before the effective finish.
 */
export function resolveSchedule(
  policy: PolicyFields,
  defaults: PolicyFields = {},
  fallbackZoneId: string | readonly string[] = UTC_ZONE_ID,
  rules: CompiledRules = NO_RULES,
): CallSchedule {
  const zoneText = policy.gmtZone ?? defaults.gmtZone;
  const zones =
    zoneText !== undefined
      ? zoneRulesOf(zoneText)
      : typeof fallbackZoneId === 'string'
        ? zoneRulesOf(fallbackZoneId)
        : fallbackZoneId.map((id) => zoneRulesOf(id));
  return scheduleInZones(policy, defaults, zones, rules);
}

/**
 * {@link resolveSchedule} in given zones, whatever the policy and defaults say of the zone: one zone, or
 * several (the policy, its dates and the rules read in each: the start the latest and the finish the
 * earliest of the zones', the blackout days those of every local year some zone spans).
 *
 * @throws DialerError `invalid.date.time` when the effective start is not before the effective finish.
 */
export function scheduleInZones(
  policy: PolicyFields,
  defaults: PolicyFields,
  zone: ZoneRules | readonly ZoneRules[],
  rules: CompiledRules = NO_RULES,
): CallSchedule {
  const zones: readonly ZoneRules[] = Array.isArray(zone) ? zone : [zone as ZoneRules];
  const start = policy.startDateTime ?? defaults.startDateTime;
  const finish = policy.finishDateTime ?? defaults.finishDateTime;
  let startMs = Number.NEGATIVE_INFINITY;
  let finishMs = Number.POSITIVE_INFINITY;
  for (const z of zones) {
    if (start !== undefined) startMs = Math.max(startMs, instantOf(start, z));
    if (finish !== undefined) finishMs = Math.min(finishMs, instantOf(finish, z));
  }
  const parts = zones.length === 1 ? zones[0]! : zones;
  if (!(startMs < finishMs)) {
    const path =
      policy.finishDateTime !== undefined || policy.startDateTime === undefined
        ? 'finishDateTime'
        : 'startDateTime';
    throw new DialerError([
      {
        path: [path],
        code: 'invalid.date.time',
        message: `startDateTime ${new Date(startMs).toISOString()} is not before finishDateTime ${new Date(finishMs).toISOString()} (in zone ${zoneKeyOf(parts)}): the start must come first.`,
      },
    ]);
  }
  const own = weeklyRulesOf(policy, defaults);
  if (rules.isEmpty) return scheduleOfParts(parts, weeklyWindowsOfRules(own), startMs, finishMs);
  const weekly = weeklyWindowsOfRules(
    rules.allowedMinutes === undefined ? own : intersectWeeklyRules(own, rules.allowedMinutes),
  );
  let firstYear = Number.POSITIVE_INFINITY;
  let lastYear = Number.NEGATIVE_INFINITY;
  for (const z of zones) {
    firstYear = Math.min(firstYear, localYearAt(z, startMs));
    lastYear = Math.max(lastYear, localYearAt(z, finishMs - 1));
  }
  const blackout = rules.blackoutDays(firstYear, lastYear);
  return scheduleOfParts(parts, weekly, startMs, finishMs, blackout);
}

/**
 * The rules that apply to a job, combined for {@link resolveSchedule}: their days and hours read as
 * section 3 reads a policy's (absent: the whole week), intersected. The engine passes the rules that
 * apply to the phone; the pure functions pass every rule.
 */
export function compileRules(rules: readonly ParsedRule[]): CompiledRules {
  if (rules.length === 0) return NO_RULES;
  let allowed: Uint8Array | undefined;
  for (const rule of rules) {
    if (rule.allowedDays === undefined && rule.allowedTime === undefined) continue;
    const own = allowedMinutesOf(weeklyRulesOf(rule));
    if (allowed === undefined) allowed = own;
    else for (let m = 0; m < MINUTES_PER_WEEK; m++) allowed[m]! &= own[m]!;
  }
  return new CompiledRules(rules, allowed);
}

/** The local calendar year of an instant in a zone; `±Infinity` for an unbounded end. */
function localYearAt(zone: ZoneRules, atMs: number): number {
  if (!Number.isFinite(atMs)) return atMs;
  // The wall clock at an edge of the timeline may lie just beyond the range of Date.
  const localMs = Math.min(Math.max(atMs + zone.offsetMsAt(atMs), -MAX_INSTANT_MS), MAX_INSTANT_MS);
  return new Date(localMs).getUTCFullYear();
}

/**
 * The rules of each weekday (spec section 3): none if `allowedDays` (the policy's, else the defaults')
 * leaves the day out, else the first of `allowedTime[day]`, `allowedTime.default`, the defaults'
 * `allowedTime[day]`, the defaults' `allowedTime.default`, else the whole day.
 */
export function weeklyRulesOf(policy: PolicyFields, defaults: PolicyFields = {}): WeeklyRules {
  const days = policy.allowedDays ?? defaults.allowedDays;
  return WEEKDAYS.map((day) =>
    days !== undefined && !days.includes(day)
      ? []
      : rulesOfDay(day, policy.allowedTime, defaults.allowedTime),
  );
}

function rulesOfDay(
  day: Weekday,
  own: AllowedTime | undefined,
  inherited: AllowedTime | undefined,
): readonly TimeInterval[] {
  return own?.[day] ?? own?.default ?? inherited?.[day] ?? inherited?.default ?? WHOLE_DAY;
}

/** The instant of a parsed date-time in a zone (a local one read as java.time does: spec section 2). */
export function instantOf(value: DateTimeValue, zone: ZoneRules): number {
  return value.kind === 'instant' ? value.ms : instantOfLocal(zone, value.localMs);
}

/** The numeric fields of an entry's job: its own, else the defaults', else the built-in values. */
export function resolveEntryJob(
  own: PolicyFields,
  defaults: PolicyFields,
  schedule: CallSchedule,
): ResolvedJob {
  return {
    schedule,
    priority: own.dialerPriority ?? defaults.dialerPriority ?? BUILT_IN.dialerPriority,
    maxAttempts: own.maxAttempts ?? defaults.maxAttempts ?? BUILT_IN.maxAttempts,
    retryMinutes:
      own.retryIntervalInMinutes ?? defaults.retryIntervalInMinutes ?? BUILT_IN.retryIntervalInMinutes,
    warnings: NO_WARNINGS,
  };
}

/**
 * A redial's job (spec section 7): its fields from the redial parameters, else the campaign defaults
 * (not the entry), the zones the number's own (`zoneIds`, every zone of its job's schedule), the calling rules that apply to the number,
 * the priority the parameters' or the number's (`priority`), and at most {@link MAX_REDIAL_ATTEMPTS} attempts (a warning `max.attempts.clamped` when
 * more were given or inherited).
 *
 * @throws DialerError `invalid.date.time` when the effective start is not before the effective finish.
 */
export function resolveRedialJob(
  params: PolicyFields,
  defaults: PolicyFields,
  zoneIds: readonly string[],
  priority: number,
  rules: CompiledRules = NO_RULES,
): ResolvedJob {
  const zones = zoneIds.length === 1 ? zoneRulesOf(zoneIds[0]) : zoneIds.map((id) => zoneRulesOf(id));
  const schedule = scheduleInZones(params, defaults, zones, rules);
  let maxAttempts = params.maxAttempts ?? defaults.maxAttempts ?? BUILT_IN.maxAttempts;
  const warnings: Issue[] = [];
  if (maxAttempts > MAX_REDIAL_ATTEMPTS) {
    warnings.push({
      path: ['maxAttempts'],
      code: 'max.attempts.clamped',
      message: `maxAttempts ${maxAttempts} is more than a redial series may have; it was clamped to ${MAX_REDIAL_ATTEMPTS}.`,
    });
    maxAttempts = MAX_REDIAL_ATTEMPTS;
  }
  return {
    schedule,
    priority: params.dialerPriority ?? priority,
    maxAttempts,
    retryMinutes:
      params.retryIntervalInMinutes ?? defaults.retryIntervalInMinutes ?? BUILT_IN.retryIntervalInMinutes,
    warnings,
  };
}
