import { DateTime } from 'luxon';
import type { PolicyInput, TimeIntervalInput } from '../../src/policy/types.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * The straightforward way to find the next calling window with luxon: for each local day from the day
 * before `fromMs` on, build each interval's start and end as zoned DateTimes and take the first that
 * reaches past `fromMs`. A baseline for speed, not a reference: it does not merge touching windows.
 */
export function luxonNextWindow(policy: PolicyInput, fromMs: number): { start: number; end: number } | null {
  const zone = luxonZone(policy.gmtZone);
  const startMs = policy.startDateTime === undefined ? -Infinity : toMs(policy.startDateTime, zone);
  const finishMs = policy.finishDateTime === undefined ? Infinity : toMs(policy.finishDateTime, zone);
  const from = Math.max(fromMs, startMs);
  const day0 = DateTime.fromMillis(from, { zone }).startOf('day');
  for (let k = -1; k <= 8; k++) {
    const day = day0.plus({ days: k });
    const key = DAYS[day.weekday - 1]!;
    if (policy.allowedDays !== undefined && !policy.allowedDays.includes(key)) continue;
    const intervals: readonly TimeIntervalInput[] = policy.allowedTime?.[key] ??
      policy.allowedTime?.default ?? [{ localTimeFrom: '00:00', localTimeTo: '24:00' }];
    for (const { localTimeFrom, localTimeTo } of intervals) {
      const [fh, fm] = localTimeFrom.split(':').map(Number);
      const [th, tm] = localTimeTo.split(':').map(Number);
      const start = day.set({ hour: fh!, minute: fm! });
      let end = day.set({ hour: 0, minute: 0 }).plus({ hours: th!, minutes: tm! });
      if (end <= start) end = end.plus({ days: 1 });
      const s = Math.max(start.toMillis(), from);
      const e = Math.min(end.toMillis(), finishMs);
      if (e > s && e > from) return s >= finishMs ? null : { start: s, end: e };
    }
  }
  return null;
}

function luxonZone(gmtZone: string | undefined): string {
  if (gmtZone === undefined || gmtZone === 'Z') return 'utc';
  const m = /^(?:UTC|GMT|UT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(gmtZone);
  if (m) return `UTC${m[1]}${Number(m[2])}${m[3] && m[3] !== '00' ? `:${m[3]}` : ''}`;
  return gmtZone;
}

function toMs(value: string | number, zone: string): number {
  return typeof value === 'number' ? value : DateTime.fromISO(value, { zone }).toMillis();
}
