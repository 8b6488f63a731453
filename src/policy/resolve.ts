import { DialerError, type Issue } from '../errors.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { zoneRulesOf } from '../schedule/gmt-zone.js';
import { instantOfLocal } from '../schedule/local-time.js';
import { scheduleOfParts } from '../schedule/schedule-cache.js';
import {
  type TimeInterval,
  WEEKDAYS,
  type Weekday,
  type WeeklyRules,
  WHOLE_DAY,
} from '../schedule/weekly-rules.js';
import { weeklyWindowsOfRules } from '../schedule/weekly-windows.js';
import type { ZoneRules } from '../schedule/zone-rules.js';
import type { AllowedTime, DateTimeValue, PolicyFields } from './types.js';

/**
 * Inheritance (spec sections 3, 7 and 10) in one place: what a job's own fields, the campaign defaults
 * and the built-in values make of each policy field. Nothing else applies inheritance.
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
 * `fallbackZoneId` (a zone resolver's answer), else UTC; start and finish from the policy, else the
 * defaults (local date-times read in that zone); the day rules of section 3.
 *
 * @throws DialerError `invalid.date.time` when the effective start is not before the effective finish.
 */
export function resolveSchedule(
  policy: PolicyFields,
  defaults: PolicyFields = {},
  fallbackZoneId: string = UTC_ZONE_ID,
): CallSchedule {
  const zone = zoneRulesOf(policy.gmtZone ?? defaults.gmtZone ?? fallbackZoneId);
  const start = policy.startDateTime ?? defaults.startDateTime;
  const finish = policy.finishDateTime ?? defaults.finishDateTime;
  const startMs = start === undefined ? Number.NEGATIVE_INFINITY : instantOf(start, zone);
  const finishMs = finish === undefined ? Number.POSITIVE_INFINITY : instantOf(finish, zone);
  if (!(startMs < finishMs)) {
    const path =
      policy.finishDateTime !== undefined || policy.startDateTime === undefined
        ? 'finishDateTime'
        : 'startDateTime';
    throw new DialerError([
      {
        path: [path],
        code: 'invalid.date.time',
        message: `startDateTime ${new Date(startMs).toISOString()} is not before finishDateTime ${new Date(finishMs).toISOString()} (in zone ${zone.id}): the start must come first.`,
      },
    ]);
  }
  return scheduleOfParts(zone, weeklyWindowsOfRules(weeklyRulesOf(policy, defaults)), startMs, finishMs);
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
 * (not the entry), the zone the number's own (`zoneId`), the priority the parameters' or the number's
 * (`priority`), and at most {@link MAX_REDIAL_ATTEMPTS} attempts (a warning `max.attempts.clamped` when
 * more were given or inherited).
 *
 * @throws DialerError `invalid.date.time` when the effective start is not before the effective finish.
 */
export function resolveRedialJob(
  params: PolicyFields,
  defaults: PolicyFields,
  zoneId: string,
  priority: number,
): ResolvedJob {
  const schedule = resolveSchedule({ ...params, gmtZone: zoneId }, defaults);
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
