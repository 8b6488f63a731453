import { type BlackoutDays, NO_BLACKOUT_DAYS } from './blackout-days.js';
import { CallSchedule } from './call-schedule.js';
import { LruCache } from './lru-cache.js';
import type { WeeklyWindows } from './weekly-windows.js';
import type { ZoneRules } from './zone-rules.js';

/**
 * Schedules by their parts, least recently used evicted beyond this many (a schedule is about 100 bytes
 * plus its shared zone and weekly windows): a campaign's few hundred distinct policies keep hitting,
 * while any number of short-lived or distinct policies keep memory bounded.
 */
export const SCHEDULE_CACHE_CAPACITY = 16_384;
const cache = new LruCache<string, CallSchedule>(SCHEDULE_CACHE_CAPACITY);

/** Entries in the schedule cache now (for tests of its bound). */
export function scheduleCacheSize(): number {
  return cache.size;
}

/**
 * The shared schedule of these parts: equal parts give the same object while it is among the
 * {@link SCHEDULE_CACHE_CAPACITY} most recently used, and an equal but distinct object after it was
 * evicted. Callers that need one identity per schedule intern by {@link scheduleKeyOf}.
 *
 * `zone` may be a list of zones (spec section 12, a number whose area spans several zones): the
 * schedule then allows an instant only when each zone's wall clock does (see {@link CallSchedule}); the
 * order and repeats of the list do not matter, and a list of one zone is that zone. `startMs` and
 * `finishMs` are then the latest start and the earliest finish of the policy read in each zone.
 *
 * @throws RangeError when `zone` is an empty list.
 * @example scheduleOfParts([zoneRulesOf('America/Denver'), zoneRulesOf('America/Chicago')], weekly, -Infinity, Infinity).zoneKey
 * // 'America/Chicago&America/Denver'
 */
export function scheduleOfParts(
  zone: ZoneRules | readonly ZoneRules[],
  weekly: WeeklyWindows,
  startMs: number,
  finishMs: number,
  blackout: BlackoutDays = NO_BLACKOUT_DAYS,
): CallSchedule {
  const key = scheduleKeyOfStored(zoneKeyOf(zone), startMs, finishMs, weekly.key, blackout.key);
  let schedule = cache.get(key);
  if (schedule === undefined) {
    schedule = new CallSchedule(zone, weekly, startMs, finishMs, blackout);
    cache.set(key, schedule);
  }
  return schedule;
}

/**
 * The text that identifies a schedule: equal for schedules that allow the same instants by the same
 * rules, its blackout days included (a schedule without any has the key it had before blackout days),
 * and every zone (`America/Chicago&America/Denver|...`; one zone gives the key it had before).
 */
export function scheduleKeyOf(schedule: CallSchedule): string {
  return scheduleKeyOfStored(
    schedule.zoneKey,
    schedule.startMs,
    schedule.finishMs,
    schedule.weekly.key,
    schedule.blackout.key,
  );
}

/**
 * {@link scheduleKeyOf} of a schedule stored as its zone ID (its {@link CallSchedule.zoneKey} with
 * several zones), bounds, weekly rule key and blackout key.
 */
export function scheduleKeyOfStored(
  zoneId: string,
  startMs: number,
  finishMs: number,
  weeklyKey: string,
  blackoutKey = '',
): string {
  const key = `${zoneId}|${startMs}|${finishMs}|${weeklyKey}`;
  return blackoutKey === '' ? key : `${key}|${blackoutKey}`;
}

/**
 * The {@link CallSchedule.zoneKey} a schedule of these zones has: the distinct IDs, sorted, joined by `&`.
 *
 * @throws RangeError when `zone` is an empty list.
 */
export function zoneKeyOf(zone: ZoneRules | readonly ZoneRules[]): string {
  if (!Array.isArray(zone)) return (zone as ZoneRules).id;
  const zones = zone as readonly ZoneRules[];
  if (zones.length === 1) return zones[0]!.id;
  if (zones.length === 0) throw new RangeError('Expected at least one zone, got an empty list.');
  return [...new Set(zones.map((z) => z.id))].sort().join('&');
}
