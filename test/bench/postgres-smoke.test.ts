import { describe, expect, it } from 'vitest';
import { benchPostgresCampaign, campaignRows } from '../../bench/postgres/campaign.js';
import { postgresUrl } from '../postgres/database.js';

// A smoke run of the PostgreSQL campaign benchmark with tiny sizes on the test run's server: it must run
// and produce figures; no timing is asserted.
describe('PostgreSQL campaign benchmark (smoke)', () => {
  it('loads, probes and measures the campaign, graphile-worker and held jobs at tiny sizes', async () => {
    const figures = await benchPostgresCampaign({
      serverUrl: postgresUrl(),
      // Enough jobs that neither system runs out in the boxes: a cycle takes about a millisecond.
      jobs: 3000,
      bodySize: 1000,
      concurrencies: [1, 2],
      seconds: 0.2,
      warmupSeconds: 0.05,
      latencySamples: 10,
      heldJobs: 20,
    });
    expect(figures.load.bodies.map((body) => body.entries)).toEqual([1000, 1000, 1000]);
    expect(figures.probes.map((probe) => probe.jobs)).toEqual([1000, 2000, 3000]);
    expect(figures.probes.every((probe) => probe.samples === 10 && probe.rssBytes > 0)).toBe(true);
    expect(figures.cycles.map((cycle) => cycle.concurrency)).toEqual([1, 2]);
    for (const cycle of figures.cycles) {
      expect(cycle.drained.campaign).toBe(false);
      expect(cycle.campaign.count).toBeGreaterThan(0);
      expect(cycle.campaignAndNext.count).toBeGreaterThan(0);
      expect(Number.isFinite(cycle.graphileWorker.perSecond)).toBe(true);
    }
    // The held jobs were held (benchHeldJobs checks the count) while 10 calls were timed.
    expect(figures.heldJobs).toMatchObject({ held: 20, samples: 10 });
    expect(campaignRows(figures).length).toBe(2 + 3 + 2 * 2 + 2);
  });
});
