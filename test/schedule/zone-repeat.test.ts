/**
 * The runtime facts that end the search for a window common to several zones (CallSchedule.nextWindow,
 * spec section 12): from YEARLY_RULES_FROM_MS on, every zone of the runtime's tz data follows yearly
 * calendar rules, so its offset changes repeat every 28 years within a century and every 400 years.
 */
import { describe, expect, it } from 'vitest';
import { RegionZoneRules, YEARLY_RULES_FROM_MS, ZONES_REPEAT_MS } from '../../src/schedule/zone-rules.js';

const DAY_MS = 86_400_000;
/** 28 years of leap years every 4: 10,227 days, 1,461 weeks. */
const JULIAN_CYCLE_MS = 10_227 * DAY_MS;

/** The offset changes in [fromMs, toMs), each as `instant:offset after`. */
function changesIn(zone: RegionZoneRules, fromMs: number, toMs: number, shiftMs: number): string[] {
  const found: string[] = [];
  let offset = zone.offsetMsAt(fromMs);
  for (let t = zone.periodEndAfter(fromMs); t < toMs; t = zone.periodEndAfter(t)) {
    const next = zone.offsetMsAt(t);
    if (next !== offset) found.push(`${new Date(t - shiftMs).toISOString()}:${next}`);
    offset = next;
  }
  return found;
}

/** A zone's offset from Intl directly (`GMT-05:00`), in ms. */
function intlOffsetMs(format: Intl.DateTimeFormat, atMs: number): number {
  const name = format.formatToParts(atMs).find((part) => part.type === 'timeZoneName')!.value;
  const match = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name)!;
  const sign = match[1] === '-' ? -1 : 1;
  return sign * ((Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0)) * 60 + Number(match[4] ?? 0)) * 1000;
}

describe('zone rules from YEARLY_RULES_FROM_MS on (spec §4 tz data, §12 several zones)', () => {
  it('repeat every 28 years within a century and every 400 years, in every zone of the runtime', () => {
    expect(YEARLY_RULES_FROM_MS).toBe(Date.UTC(2101, 0, 1));
    const year2102 = Date.UTC(2102, 0, 1);
    // 2199..2201 holds 2200, a century year that is not a leap year.
    const year2199 = Date.UTC(2199, 0, 1);
    const spans = [
      { fromMs: year2102, toMs: year2102 + 365 * DAY_MS, shiftMs: JULIAN_CYCLE_MS },
      { fromMs: year2199, toMs: year2199 + 3 * 365 * DAY_MS, shiftMs: ZONES_REPEAT_MS },
    ];
    const mismatches: string[] = [];
    for (const id of Intl.supportedValuesOf('timeZone')) {
      const format = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'longOffset' });
      // Weekly samples first: most zones keep one offset, and then the exact walk is not needed.
      let changes = false;
      let first: number | undefined;
      for (const { fromMs, toMs, shiftMs } of spans) {
        for (let t = fromMs + 3_600_000 * 11; t < toMs; t += 7 * DAY_MS) {
          const offset = intlOffsetMs(format, t);
          if (offset !== intlOffsetMs(format, t + shiftMs))
            mismatches.push(`${id} ${new Date(t).toISOString()}`);
          first ??= offset;
          if (offset !== first) changes = true;
        }
      }
      if (!changes) continue;
      const zone = new RegionZoneRules(id);
      for (const { fromMs, toMs, shiftMs } of spans) {
        const later = changesIn(zone, fromMs + shiftMs, toMs + shiftMs, shiftMs);
        if (changesIn(zone, fromMs, toMs, 0).join() !== later.join())
          mismatches.push(`${id} from ${new Date(fromMs).toISOString()}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
