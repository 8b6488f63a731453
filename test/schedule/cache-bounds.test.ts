/**
 * The module-level caches stay within their capacities whatever the input, while a working set of a
 * few hundred policies keeps hitting.
 */
import { describe, expect, it } from 'vitest';
import { Campaign, nextCallWindow, parseGmtZone } from '../../src/index.js';
import {
  ENTRY_SCHEDULE_CACHE_CAPACITY,
  entryScheduleCacheSize,
  parseEntries,
} from '../../src/policy/parse-entries.js';
import { resolveSchedule as compileSchedule } from '../../src/policy/resolve.js';
import { callPolicySchema } from '../../src/policy/schemas.js';
import {
  FIXED_ZONE_CACHE_CAPACITY,
  ZONE_CACHE_CAPACITY,
  zoneCacheSizes,
} from '../../src/schedule/gmt-zone.js';
import { MAX_INSTANT_MS } from '../../src/schedule/instant.js';
import {
  SCHEDULE_CACHE_CAPACITY,
  scheduleCacheSize,
  scheduleKeyOf,
} from '../../src/schedule/schedule-cache.js';
import { WEEKLY_CACHE_CAPACITY, weeklyCacheSize } from '../../src/schedule/weekly-windows.js';
import { FAR_CHUNKS_PER_ZONE, RegionZoneRules } from '../../src/schedule/zone-rules.js';

const NOW_MS = Date.parse('2025-06-02T12:00:00Z');
const pad = (n: number) => String(n).padStart(2, '0');
/** The `i`-th of 1440 * 1439 distinct intervals. */
const interval = (i: number) => {
  const from = i % 1440;
  const to = (from + 1 + Math.floor(i / 1440)) % 1440;
  return {
    localTimeFrom: `${pad(Math.floor(from / 60))}:${pad(from % 60)}`,
    localTimeTo: `${pad(Math.floor(to / 60))}:${pad(to % 60)}`,
  };
};
/** The `i`-th of 129,600 distinct fixed offsets with seconds, as `+hh:mm:ss`. */
const offsetText = (i: number) => {
  const s = i % 64_800;
  return `${i < 64_800 ? '+' : '-'}${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
};

describe('module-level caches', () => {
  it('keep at most their capacity of schedules, weekly windows and zones for more distinct policies', () => {
    const count = Math.max(SCHEDULE_CACHE_CAPACITY, WEEKLY_CACHE_CAPACITY, ZONE_CACHE_CAPACITY) + 500;
    for (let i = 0; i < count; i++) {
      const policy = {
        gmtZone: offsetText(i),
        startDateTime: NOW_MS + i * 60_000,
        allowedTime: { default: [interval(i)] },
      };
      expect(nextCallWindow(policy, NOW_MS)).not.toBeNull();
    }
    expect(scheduleCacheSize()).toBe(SCHEDULE_CACHE_CAPACITY);
    expect(weeklyCacheSize()).toBe(WEEKLY_CACHE_CAPACITY);
    expect(zoneCacheSizes()).toEqual({ zones: ZONE_CACHE_CAPACITY, fixedZones: FIXED_ZONE_CACHE_CAPACITY });
  });

  it('keeps sharing one schedule per effective policy for a working set well below the capacity', () => {
    const working = Array.from({ length: 300 }, (_, i) =>
      callPolicySchema.parse({ gmtZone: 'Europe/Paris', allowedTime: { default: [interval(i)] } }),
    );
    const shared = working.map((fields) => compileSchedule(fields));
    // Interleaved with more distinct one-off policies than the capacity, the working set still hits.
    let oneOff = 0;
    for (let round = 0; round < 3 * (SCHEDULE_CACHE_CAPACITY / 150); round++) {
      for (let j = 0; j < 150; j++)
        compileSchedule({ startDateTime: { kind: 'instant', ms: NOW_MS + oneOff++ } });
      for (const [k, fields] of working.entries()) expect(compileSchedule(fields)).toBe(shared[k]);
    }
    expect(oneOff).toBeGreaterThan(2 * SCHEDULE_CACHE_CAPACITY);
  });

  it('gives an equal schedule (same key) once the shared one was evicted', () => {
    const fields = { startDateTime: { kind: 'instant' as const, ms: NOW_MS - 1 } };
    const before = compileSchedule(fields);
    for (let i = 0; i <= SCHEDULE_CACHE_CAPACITY; i++)
      compileSchedule({ startDateTime: { kind: 'instant', ms: NOW_MS + i } });
    const after = compileSchedule(fields);
    expect(after).not.toBe(before);
    expect(scheduleKeyOf(after)).toBe(scheduleKeyOf(before));
    expect(after.nextWindow(NOW_MS)).toEqual(before.nextWindow(NOW_MS));
  });

  it('keeps at most its capacity of schedules per defaults object in parseEntries', () => {
    const defaults = {};
    const count = ENTRY_SCHEDULE_CACHE_CAPACITY + 300;
    const body = Array.from({ length: count }, (_, i) => ({
      phone: String(16_500_000_000 + i),
      startDateTime: NOW_MS + i * 1000,
    }));
    const { accepted, errors } = parseEntries(body, { defaults });
    expect(errors).toEqual([]);
    expect(accepted.every((entry) => entry !== undefined)).toBe(true);
    expect(entryScheduleCacheSize(defaults)).toBe(ENTRY_SCHEDULE_CACHE_CAPACITY);
  });

  it('stay bounded over many short-lived campaigns with policies of their own', () => {
    for (let i = 0; i < 1500; i++) {
      const campaign = new Campaign({ defaults: { gmtZone: 'America/New_York' } });
      campaign.addPhones(
        [
          { phone: '16500000001', startDateTime: NOW_MS + i * 60_000 },
          { phone: '16500000002', startDateTime: NOW_MS + i * 60_000, allowedDays: ['mon', 'tue'] },
          {
            phone: '16500000003',
            startDateTime: NOW_MS + i * 60_000,
            allowedTime: { default: [interval(i)] },
          },
        ],
        { now: NOW_MS },
      );
    }
    expect(scheduleCacheSize()).toBeLessThanOrEqual(SCHEDULE_CACHE_CAPACITY);
    expect(weeklyCacheSize()).toBeLessThanOrEqual(WEEKLY_CACHE_CAPACITY);
  });
});

describe('RegionZoneRules chunks', () => {
  it('keeps the chunks of the present plus a bounded number of far ones, whatever the instants', () => {
    const rules = new RegionZoneRules('Europe/Berlin');
    for (
      let ms = Date.parse('2000-01-01T00:00:00Z');
      ms < Date.parse('2040-01-01T00:00:00Z');
      ms += 30 * 86_400_000
    )
      rules.offsetMsAt(ms);
    const present = rules.cachedChunks;
    expect(present).toBeGreaterThanOrEqual(36);
    const far = 3 * FAR_CHUNKS_PER_ZONE;
    for (let i = 0; i < far; i++) {
      const atMs = -MAX_INSTANT_MS + (i / far) * 2 * MAX_INSTANT_MS;
      expect(rules.offsetSecondsAt(atMs)).toBe(parseGmtZone('Europe/Berlin').offsetSecondsAt(atMs));
      expect(rules.cachedChunks).toBeLessThanOrEqual(present + FAR_CHUNKS_PER_ZONE + 1);
    }
    expect(rules.cachedChunks).toBeLessThanOrEqual(present + FAR_CHUNKS_PER_ZONE + 1);
  });
});
