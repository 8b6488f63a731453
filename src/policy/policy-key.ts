import type { DateTimeValue, PolicyFields, TimeInterval, Weekday } from './types.js';

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

/** Whose own fields a job's policy key holds: an entry's (or test phone's), or a redial's parameters with the number's zone. */
export type PolicyOrigin = 'entry' | 'redial';

/**
 * The key of the own fields a job was resolved from, for its explanation (`explain`): an entry's
 * {@link scheduleKey} as it is (so a job added by addPhones shares its duplicate key's text), a
 * redial's with `r` first. Equal for jobs whose own fields make the same layers.
 */
export function originKey(origin: PolicyOrigin, policy: PolicyFields): string {
  return origin === 'entry' ? scheduleKey(policy) : `r${scheduleKey(policy)}`;
}

const KEY_PATTERN = /^(r?)s(|[il]-?\d+);f(|[il]-?\d+);d(-|[a-z,]+);t(-|(?:[a-z]+=[\d,-]+ )*);z(.*)$/;

/** The own fields and origin of an {@link originKey}, or `undefined` when the text is not one. */
export function policyOfOriginKey(
  key: string,
): { readonly origin: PolicyOrigin; readonly policy: PolicyFields } | undefined {
  const match = KEY_PATTERN.exec(key);
  if (match === null) return undefined;
  const [, letter, start, finish, days, time, zone] = match;
  const policy: { -readonly [K in keyof PolicyFields]: PolicyFields[K] } = {};
  const startValue = dateOfKey(start!);
  if (startValue !== undefined) policy.startDateTime = startValue;
  const finishValue = dateOfKey(finish!);
  if (finishValue !== undefined) policy.finishDateTime = finishValue;
  if (days !== '-') policy.allowedDays = days!.split(',') as Weekday[];
  if (time !== '-') {
    const allowedTime: Record<string, TimeInterval[]> = {};
    for (const part of time!.split(' ')) {
      if (part === '') continue;
      const [day, list] = part.split('=') as [string, string];
      allowedTime[day] = list.split(',').map((interval) => {
        const [from, to] = interval.split('-');
        return { fromMinute: Number(from), toMinute: Number(to) };
      });
    }
    policy.allowedTime = allowedTime;
  }
  if (zone !== '-') policy.gmtZone = zone!;
  return { origin: letter === 'r' ? 'redial' : 'entry', policy };
}

function dateOfKey(text: string): DateTimeValue | undefined {
  if (text === '') return undefined;
  const ms = Number(text.slice(1));
  return text[0] === 'i' ? { kind: 'instant', ms } : { kind: 'local', localMs: ms };
}
