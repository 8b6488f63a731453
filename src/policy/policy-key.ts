import type { DateTimeValue, PolicyFields, TimeInterval } from './types.js';

/**
 * Canonical text of parsed policy fields, before inheritance: equal for entries that spec section 8
 * calls the same (sets in a canonical order, a local date-time apart from an instant, absent apart from
 * present), so it serves both the duplicate check and the schedule cache.
 */
export function policyKey(policy: PolicyFields): string {
  let key = `s${dateKey(policy.startDateTime)};f${dateKey(policy.finishDateTime)};d${policy.allowedDays?.join(',') ?? '-'};t`;
  const allowedTime = policy.allowedTime;
  if (allowedTime === undefined) key += '-';
  else {
    // Keys in a fixed order, each list as a sorted set of intervals.
    for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'default'] as const) {
      const list = allowedTime[day];
      if (list !== undefined) key += `${day}=${intervalsKey(list)} `;
    }
  }
  return `${key};r${policy.retryIntervalInMinutes ?? '-'};m${policy.maxAttempts ?? '-'};z${policy.gmtZone ?? '-'};p${policy.dialerPriority ?? '-'}`;
}

function dateKey(value: DateTimeValue | undefined): string {
  if (value === undefined) return '';
  return value.kind === 'instant' ? `i${value.ms}` : `l${value.localMs}`;
}

function intervalsKey(list: readonly TimeInterval[]): string {
  if (list.length === 1) return `${list[0]!.fromMinute}-${list[0]!.toMinute}`;
  return list
    .map((i) => `${i.fromMinute}-${i.toMinute}`)
    .sort()
    .join(',');
}
