import { DialerError } from '../errors.js';
import type { DateTimeValue, PolicyFields } from '../policy/types.js';
import { CallSchedule } from './call-schedule.js';
import { zoneRulesOf } from './gmt-zone.js';
import { instantOfLocal } from './local-time.js';
import { LruCache } from './lru-cache.js';
import { type WeeklyWindows, weeklyWindowsOf } from './weekly-windows.js';
import type { ZoneRules } from './zone-rules.js';

/** The zone of a number with no `gmtZone` anywhere and no resolver: UTC. */
export const UTC_ZONE_ID = '+00:00';

/**
 * Schedules by their parts, least recently used evicted beyond this many (a schedule is about 100 bytes
 * plus its shared zone and weekly windows): a campaign's few hundred distinct policies keep hitting,
 * while any number of short-lived or distinct policies keep memory bounded.
 */
export const SCHEDULE_CACHE_CAPACITY = 4096;
const cache = new LruCache<string, CallSchedule>(SCHEDULE_CACHE_CAPACITY);

/** Entries in the schedule cache now (for tests of its bound). */
export function scheduleCacheSize(): number {
  return cache.size;
}

/**
 * The schedule of a policy over campaign defaults, after inheritance: zone from the policy, else the
 * defaults, else `fallbackZoneId` (a zone resolver's answer), else UTC; local start/finish date-times
 * resolved in that zone. Equal effective policies share one schedule while it stays in the bounded
 * cache ({@link scheduleOfParts}).
 *
 * @throws DialerError `invalid.date.time` when the effective start is not before the effective finish.
 */
export function compileSchedule(
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
  return scheduleOfParts(zone, weeklyWindowsOf(policy, defaults), startMs, finishMs);
}

/**
 * The shared schedule of these parts: equal parts give the same object while it is among the
 * {@link SCHEDULE_CACHE_CAPACITY} most recently used, and an equal but distinct object after it was
 * evicted. Callers that need one identity per schedule intern by {@link scheduleKeyOf}.
 */
export function scheduleOfParts(
  zone: ZoneRules,
  weekly: WeeklyWindows,
  startMs: number,
  finishMs: number,
): CallSchedule {
  const key = scheduleKeyOfParts(zone, weekly, startMs, finishMs);
  let schedule = cache.get(key);
  if (schedule === undefined) {
    schedule = new CallSchedule(zone, weekly, startMs, finishMs);
    cache.set(key, schedule);
  }
  return schedule;
}

/** The text that identifies a schedule: equal for schedules that allow the same instants by the same rules. */
export function scheduleKeyOf(schedule: CallSchedule): string {
  return scheduleKeyOfParts(schedule.zone, schedule.weekly, schedule.startMs, schedule.finishMs);
}

function scheduleKeyOfParts(
  zone: ZoneRules,
  weekly: WeeklyWindows,
  startMs: number,
  finishMs: number,
): string {
  return `${zone.id}|${startMs}|${finishMs}|${weekly.key}`;
}

/** The instant of a parsed date-time in a zone. */
export function instantOf(value: DateTimeValue, zone: ZoneRules): number {
  return value.kind === 'instant' ? value.ms : instantOfLocal(zone, value.localMs);
}
