import { describe, expect, it } from 'vitest';
import { benchHostileInput } from '../../bench/hostile-input.js';
import { benchHttp, httpRows } from '../../bench/http.js';
import { benchIngest } from '../../bench/ingest.js';
import { benchLongCampaign } from '../../bench/long-campaign.js';
import { benchNextCallWindow } from '../../bench/next-call-window.js';
import { benchNextCallWindowRules } from '../../bench/next-call-window-rules.js';
import { benchServe } from '../../bench/serve.js';
import { benchSimulation } from '../../bench/simulation.js';
import { benchZoneOffset } from '../../bench/zone-offset.js';

// A smoke run of the benchmark code with tiny sizes: it must run and produce figures; no timing is asserted.
describe('benchmarks (smoke)', () => {
  it('runs nextCallWindow, ingest and serve scenarios at tiny sizes', async () => {
    const window = await benchNextCallWindow(50, 10);
    expect(window.policies).toBe(50);
    expect(Number.isFinite(window.nsPerOp) && Number.isFinite(window.luxonNsPerOp)).toBe(true);
    const ingest = benchIngest(200, 1);
    expect(ingest.entries).toBe(200);
    const serve = benchServe([500], 2_000);
    expect(Object.keys(serve.nsPerCycle)).toEqual(['500']);
  });

  it('runs the opening_hours baseline and restores the process time zone when nextCallWindow runs', async () => {
    const zoneBefore = process.env.TZ;
    const window = await benchNextCallWindow(40, 10);
    expect(Number.isFinite(window.utcNsPerOp) && Number.isFinite(window.openingHoursNsPerOp)).toBe(true);
    expect(window.openingHoursQueries).toBe(40);
    expect(typeof window.openingHoursMismatches).toBe('number');
    expect(typeof window.openingHoursBoundaryMismatches).toBe('number');
    expect(process.env.TZ).toBe(zoneBefore);
  });

  it('runs the calling-rules scenario at a tiny size', async () => {
    const rules = await benchNextCallWindowRules(50, 10);
    expect(rules.policies).toBe(50);
    expect(Number.isFinite(rules.usRulesNsPerOp) && Number.isFinite(rules.nsPerOp)).toBe(true);
    expect(Number.isFinite(rules.usRulesIsCallAllowedNsPerOp)).toBe(true);
  });

  it('runs the zone offset scenario at a tiny size', async () => {
    const offsets = await benchZoneOffset(200, 10);
    expect(offsets.queries).toBe(200);
    expect(Number.isFinite(offsets.nsPerOp) && Number.isFinite(offsets.luxonNsPerOp)).toBe(true);
    expect(typeof offsets.mismatches).toBe('number');
  });

  it('runs the hostile-input and long-campaign scenarios at tiny sizes', () => {
    const hostile = benchHostileInput(200, 50);
    expect(hostile.onePhoneEntries).toBe(200);
    expect(Number.isFinite(hostile.jumpSeconds) && Number.isFinite(hostile.microsecondNowSeconds)).toBe(true);
    const long = benchLongCampaign(2, 200, 5, [1, 2]);
    expect(Object.keys(long.bytesAtDay)).toEqual(['1', '2']);
    expect(long.dials).toBeGreaterThan(0);
  });

  it('runs a tiny whole simulation', async () => {
    const simulation = await benchSimulation(300, 0.25, 20);
    expect(simulation.numbers).toBe(300);
    expect(Number.isFinite(simulation.seconds)).toBe(true);
    expect(simulation.dials).toBeGreaterThan(0);
  });

  it('runs the HTTP service scenarios for a second each, in memory, with no error answer', async () => {
    const figures = await benchHttp({ seconds: 1, postgres: false });
    for (const scenario of [figures.memory.addPhones, figures.memory.cycles]) {
      expect(scenario.errors).toBe(0);
      expect(scenario.http.perSecond).toBeGreaterThan(0);
      expect(scenario.direct.perSecond).toBeGreaterThan(0);
      expect(Number.isFinite(scenario.http.p99Ms)).toBe(true);
    }
    expect(httpRows(figures)).toHaveLength(2);
    // The service stopped on SIGTERM after the load run (autocannon leaves a connection open).
    expect(figures.killedServices).toBe(0);
  });
});
