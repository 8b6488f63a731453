import { describe, expect, it } from 'vitest';
import { benchPostgresCampaign, campaignRows } from '../../bench/postgres/campaign.js';
import { postgresUrl } from '../postgres/database.js';

// A smoke run of the PostgreSQL campaign benchmark with tiny sizes on the test run's server: it must run
// and produce figures; no timing is asserted.
describe('PostgreSQL campaign benchmark (smoke)', () => {
  it('loads, probes and measures the campaign and graphile-worker at tiny sizes', async () => {
    const figures = await benchPostgresCampaign({
      serverUrl: postgresUrl(),
      jobs: 300,
      bodySize: 100,
      concurrencies: [1, 2],
      seconds: 0.2,
      warmupSeconds: 0.05,
      latencySamples: 10,
    });
    expect(figures.load.bodies.map((body) => body.entries)).toEqual([100, 100, 100]);
    expect(figures.probes.map((probe) => probe.jobs)).toEqual([100, 200, 300]);
    expect(figures.probes.every((probe) => probe.samples === 10 && probe.rssBytes > 0)).toBe(true);
    expect(figures.cycles.map((cycle) => cycle.concurrency)).toEqual([1, 2]);
    for (const cycle of figures.cycles) {
      expect(cycle.campaign.count).toBeGreaterThan(0);
      expect(Number.isFinite(cycle.graphileWorker.perSecond)).toBe(true);
    }
    expect(campaignRows(figures).length).toBe(2 + 3 + 2);
  });
});
