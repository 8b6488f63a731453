import OpeningHours from 'opening_hours';
import type { PolicyInput, TimeIntervalInput, Weekday } from '../../src/policy/types.js';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const OH_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const WHOLE_DAY = '00:00-24:00';
const CLOCK = /^([01]\d|2[0-4]):[0-5]\d$/;

/**
 * The OpenStreetMap `opening_hours` value of a policy's weekly calling hours (spec section 3): a weekday
 * left out of `allowedDays` is closed, else it takes `allowedTime[day]`, else `allowedTime.default`,
 * else the whole day. Days with equal times share one rule (`Mo-Fr 09:00-17:00`); rules are joined with
 * `, ` (opening_hours' additional-rule separator), not `;`, because a `;` rule for Tuesday would
 * override the after-midnight part of Monday's `20:00-03:00`, which the spec keeps whatever Tuesday's
 * rules are. Overnight intervals and `24:00` are written as they are: opening_hours reads them the same.
 *
 * Ignores `gmtZone`, `startDateTime` and `finishDateTime`: opening_hours has no zone (it reads the
 * process's) and the bench compares on policies without dates.
 *
 * @throws Error for a time that is not `HH:MM`.
 */
export function openingHoursRule(policy: PolicyInput): string {
  const groups = new Map<string, number[]>();
  WEEKDAYS.forEach((day, d) => {
    if (policy.allowedDays !== undefined && !policy.allowedDays.includes(day)) return;
    const times = timesOf(policy.allowedTime?.[day] ?? policy.allowedTime?.default);
    const days = groups.get(times);
    if (days === undefined) groups.set(times, [d]);
    else days.push(d);
  });
  if (groups.size === 0) return 'off';
  if (groups.get(WHOLE_DAY)?.length === 7) return '24/7';
  return [...groups].map(([times, days]) => `${daySelector(days)} ${times}`).join(', ');
}

function timesOf(intervals: readonly TimeIntervalInput[] | undefined): string {
  if (intervals === undefined) return WHOLE_DAY;
  return intervals
    .map(({ localTimeFrom, localTimeTo }) => {
      if (!CLOCK.test(localTimeFrom) || !CLOCK.test(localTimeTo))
        throw new Error(`opening_hours baseline: expected HH:MM, got ${localTimeFrom}-${localTimeTo}`);
      return `${localTimeFrom}-${localTimeTo}`;
    })
    .join(',');
}

/** `Mo-Fr` for a run of three or more days, else a list: `Mo,We,Fr`, `Sa,Su`. `days` ascend, Monday 0. */
function daySelector(days: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${OH_DAYS[days[i]!]}-${OH_DAYS[days[j]!]}`);
    else for (let k = i; k <= j; k++) parts.push(OH_DAYS[days[k]!]!);
    i = j + 1;
  }
  return parts.join(',');
}

const parsed = new Map<string, OpeningHours>();

/** The parsed opening_hours object of a rule, once per distinct rule (as our schedules are compiled once). */
export function openingHoursOf(rule: string): OpeningHours {
  let oh = parsed.get(rule);
  if (oh === undefined) {
    // No nominatim object (no holidays or sun times in these rules); mode 0: time ranges.
    oh = new OpeningHours(rule, null, 0);
    parsed.set(rule, oh);
  }
  return oh;
}

/**
 * The `nextCallWindow` question asked of opening_hours: if open at `fromMs`, `{ fromMs, next change }`,
 * else `{ next change, the change after }`; `Infinity` for no change, `null` when it never opens.
 * Uses the iterator that `getNextChange` itself is built on (`getNextChange(d)` is `getIterator(d)`,
 * then `advance()` until the state differs), so the two changes cost one iterator instead of two
 * `getNextChange` calls re-evaluating from scratch: the baseline's best use of its own API. Like
 * `getNextChange`, `advance()` looks at most 5 years ahead. Wall-clock rules are read in the process's
 * time zone, so only under TZ=UTC do they match a policy with `gmtZone: 'Z'`.
 */
export function openingHoursWindow(oh: OpeningHours, fromMs: number): { start: number; end: number } | null {
  const it = oh.getIterator(new Date(fromMs));
  // No comments or unknown states in these rules: every advance() is a change of open/closed.
  if (it.getState()) return { start: fromMs, end: it.advance() ? it.getDate().getTime() : Infinity };
  if (!it.advance()) return null;
  const start = it.getDate().getTime();
  return { start, end: it.advance() ? it.getDate().getTime() : Infinity };
}

/**
 * Switches this process's time zone to UTC (opening_hours reads wall-clock rules with the local-time
 * Date methods) and returns a function that switches it back.
 *
 * Why in-process rather than a child process started with TZ=UTC: opening_hours must be measured in the
 * same tinybench run as nextCallWindow, on the same objects, which a child process cannot share. Node
 * re-reads the zone when `process.env.TZ` is assigned on the main thread (it calls tzset and tells V8
 * and ICU), which is reliable on Node 20; in a worker thread `process.env` is a private copy and the
 * assignment changes nothing, so the switch is verified on January and July dates and throws rather
 * than letting a non-UTC zone count as mismatches.
 */
export function useUtcProcessZone(): () => void {
  const previous = process.env.TZ;
  process.env.TZ = 'UTC';
  for (const iso of ['2024-01-15T12:00:00Z', '2027-07-15T12:00:00Z']) {
    if (new Date(iso).getTimezoneOffset() !== 0 || new Date(iso).getUTCHours() !== new Date(iso).getHours()) {
      restoreZone(previous);
      throw new Error('opening_hours bench: could not switch the process time zone to UTC');
    }
  }
  return () => restoreZone(previous);
}

function restoreZone(previous: string | undefined): void {
  if (previous === undefined) delete process.env.TZ;
  else process.env.TZ = previous;
}
