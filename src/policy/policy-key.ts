import type { DateTimeValue, PolicyFields, TimeInterval } from './types.js';

/**
 * The parsed fields a schedule does not depend on (`retryIntervalInMinutes`, `maxAttempts`,
 * `dialerPriority`) as one integer, 0 for each absent field: with `scheduleKey` it tells entries that
 * spec section 8 calls the same (absent apart from present, a replaced priority as 5).
 */
export function ownFieldsCode(policy: PolicyFields): number {
  // 12 bits of retry interval (1..2880), 6 of attempts (1..50), 3 of priority (1..5).
  return (
    ((policy.retryIntervalInMinutes ?? 0) << 9) |
    ((policy.maxAttempts ?? 0) << 3) |
    (policy.dialerPriority ?? 0)
  );
}

/**
 * Canonical text of the parsed fields a schedule depends on (start, finish, allowedDays, allowedTime,
 * gmtZone), before inheritance: sets in a canonical order, a local date-time apart from an instant,
 * absent apart from present. Entries with equal keys share a compiled schedule (over the same defaults
 * and resolver zone), and it is half of the duplicate check (with `ownFieldsCode`).
 */
export function scheduleKey(policy: PolicyFields): string {
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
  return `${key};z${policy.gmtZone ?? '-'}`;
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
