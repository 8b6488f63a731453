import { describe, expect, it } from 'vitest';
import { type AsyncCampaign, asyncCampaign, Campaign, US_RULES } from '../../src/index.js';
import {
  type SimulationOptions,
  type SimulationProgress,
  type SimulationResult,
  simulate,
} from '../../src/sim/simulation.js';
import { summarize } from '../../src/sim/summary.js';
import { syntheticDefaults, syntheticEntries } from '../../src/sim/synthetic-campaign.js';

const START_MS = Date.parse('2024-03-09T00:00:00Z');

async function run(seed: number, numbers = 1500, lines = 6, more: Partial<SimulationOptions> = {}) {
  return await simulate({
    body: syntheticEntries({ numbers, seed, startMs: START_MS }),
    defaults: syntheticDefaults(START_MS),
    lines,
    days: 3,
    startMs: START_MS,
    seed,
    rules: US_RULES,
    ...more,
  });
}

/** A result without its wall time. */
function withoutWallTime({ wallMs: _wall, ...result }: SimulationResult) {
  return result;
}

/**
 * `campaign` with every call answered a few microtasks later, as a database backend answers: a loop that
 * relied on the in-memory adapter resolving at once would run differently.
 */
function answeringLater(campaign: AsyncCampaign): AsyncCampaign {
  const later = async () => {
    for (let k = 0; k < 3; k++) await Promise.resolve();
  };
  return new Proxy(campaign, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || key === 'on') return value;
      return async (...args: unknown[]) => {
        await later();
        return value.apply(target, args);
      };
    },
  });
}

/** The summary without the wall time, which is the one thing a run may not repeat. */
async function repeatable(seed: number) {
  const { wallSeconds: _wall, ...summary } = summarize(await run(seed));
  return summary;
}

describe('simulate', () => {
  it('gives the same summary for the same seed, and another for another seed', async () => {
    const first = await repeatable(1);
    expect(await repeatable(1)).toEqual(first);
    expect(await repeatable(2)).not.toEqual(first);
  });

  it('gives the pinned figures of seed 3 with the US rules (1,500 numbers, 6 lines, 3 days) (§12)', async () => {
    const result = await run(3);
    const { wallSeconds: _wall, warningList: _warnings, ruleFigures, ...summary } = summarize(result);
    expect(summary).toEqual({
      seed: 3,
      start: '2024-03-09T00:00:00.000Z',
      end: '2024-03-12T00:00:00.000Z',
      lines: 6,
      numbers: 1500,
      duplicates: 47,
      warnings: 26,
      phones: 1440,
      jobs: 1580,
      dials: 3210,
      connects: 973,
      outcomes: { answered: 846, callback: 127, busy: 328, noAnswer: 1866, lost: 43 },
      completed: 844,
      exhausted: 536,
      expired: 23,
      redialed: 127,
      redials: 127,
      open: 50,
      leaseRecoveries: 43,
      lateReports: 0,
      dialsOutsideWindow: 0,
      rules: '13 rules',
      jobsRuled: 778,
      jobsHeldBack: 28,
      jobsWithoutInstant: 19,
      dialsOutsideRules: 0,
      dialsOverCap: 0,
      waitP50Seconds: 15.9,
      waitP95Seconds: 2963.6,
      lineUtilisationPercent: 12.2,
      dialsPerHour: 44.6,
      peakDialsPerHour: 305,
    });
    expect(ruleFigures.find((r) => r.name === 'us-fl-calling-hours')).toEqual({
      name: 'us-fl-calling-hours',
      jobs: 57,
      dials: 115,
      heldBack: 2,
      overCap: 0,
    });
    expect(ruleFigures.reduce((sum, r) => sum + r.heldBack, 0)).toBeGreaterThanOrEqual(summary.jobsHeldBack);
    expect(result.series.attemptsPerNumber).toEqual([25, 486, 329, 440, 85, 48, 25, 1, 0, 1]);
    expect(result.series.samples).toHaveLength(289);
    expect(result.series.samples.at(-1)).toEqual({
      atMs: Date.parse('2024-03-12T00:00:00Z'),
      waiting: 45,
      ready: 0,
      dialing: 5,
      completed: 844,
      exhausted: 536,
      expired: 23,
      redialed: 127,
    });
  });

  it('gives the same result whether the campaign answers at once or some microtasks later', async () => {
    const opened: AsyncCampaign[] = [];
    const later = await run(5, 800, 4, {
      openCampaign: async (options) => {
        const campaign = answeringLater(asyncCampaign(new Campaign(options)));
        opened.push(campaign);
        return campaign;
      },
    });
    expect(opened).toHaveLength(1);
    expect(later.dials).toBeGreaterThan(800);
    expect(withoutWallTime(later)).toEqual(withoutWallTime(await run(5, 800, 4)));
  });

  it('never dials outside a window, and exercises retries, callbacks and lost reports', async () => {
    const result = await run(3);
    const summary = summarize(result);
    expect(summary.dialsOutsideWindow).toBe(0);
    expect(summary.dials).toBeGreaterThan(summary.numbers);
    expect(summary.redials).toBeGreaterThan(0);
    expect(summary.redialed).toBe(summary.redials);
    expect(summary.leaseRecoveries).toBeGreaterThan(0);
    expect(summary.leaseRecoveries).toBeLessThanOrEqual(summary.outcomes.lost);
    expect(summary.lateReports).toBe(0);
    expect(summary.completed + summary.exhausted + summary.expired + summary.redialed + summary.open).toBe(
      summary.jobs,
    );
    expect(summary.lineUtilisationPercent).toBeGreaterThan(0);
    expect(summary.lineUtilisationPercent).toBeLessThanOrEqual(100);
    expect(summary.waitP95Seconds).toBeGreaterThanOrEqual(summary.waitP50Seconds);
  });

  it('fills the series the report draws', async () => {
    const { series, dials } = await run(4, 800, 4);
    expect(series.hourStartsMs).toHaveLength(72);
    expect(series.dialsByRegion.flat().reduce((a, b) => a + b, 0)).toBe(dials);
    expect(series.regions).toContain('US East');
    expect(series.samples).toHaveLength(3 * 24 * 4 + 1);
    expect(series.attemptsPerNumber.reduce((a, b) => a + b, 0)).toBeGreaterThan(700);
    expect(series.utilisationBySlot.every((u) => u >= 0 && u <= 1)).toBe(true);
  });

  it('jumps over quiet time: a 400-day campaign with one call dials once and samples only on schedule', async () => {
    const progress: SimulationProgress[] = [];
    const result = await simulate({
      body: [
        {
          phone: '+1 212 000 0001',
          gmtZone: 'America/New_York',
          allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '09:30' }] },
          startDateTime: '2024-04-01T00:00:00Z',
        },
      ],
      lines: 1,
      days: 400,
      startMs: START_MS,
      seed: 1,
      sampleEveryMs: 30 * 86_400_000,
      onProgress: (p) => progress.push(p),
    });
    expect(result.dials).toBe(1);
    // Samples at 0, 30, ..., 390 days and nothing else: the quiet months between them add no samples.
    const calling = progress.filter((p) => p.phase === 'calling');
    expect(calling.map((p) => p.done / 86_400_000)).toEqual(Array.from({ length: 14 }, (_, i) => i * 30));
    expect(result.series.samples).toHaveLength(14);
  });

  it('checks calls in the zone of the number when no level gives one (§12)', async () => {
    const { gmtZone: _zone, ...defaults } = syntheticDefaults(START_MS);
    const body = [...syntheticEntries({ numbers: 400, seed: 5, startMs: START_MS })].map(
      ({ gmtZone: _z, ...entry }) => entry,
    );
    const result = await simulate({ body, defaults, lines: 4, days: 2, startMs: START_MS, seed: 5 });
    expect(result.dials).toBeGreaterThan(50);
    expect(summarize(result).dialsOutsideWindow).toBe(0);
  });

  it('checks a number whose area spans several zones in each of them (§12)', async () => {
    // +1 907: Alaska, America/Adak and America/Anchorage, an hour apart. 09:00-11:00 in both is
    // 10:00-11:00 in Anchorage; the log's policy names both zones, so the checker reads both.
    const policies: string[] = [];
    const log = { write: (...args: unknown[]) => void policies.push(String(args[5])) };
    const body = [
      {
        phone: '+1 907 555 0100',
        allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '11:00' }] },
      },
    ];
    const result = await simulate({ body, defaults: {}, lines: 1, days: 1, startMs: START_MS, seed: 1, log });
    expect(result.dials).toBeGreaterThan(0);
    expect(JSON.parse(policies[0]!).gmtZone).toEqual(['America/Adak', 'America/Anchorage']);
    expect(summarize(result).dialsOutsideWindow).toBe(0);
  });

  it('adds an array body in one atomic call: a bad entry stops the run with the library issues', async () => {
    await expect(
      simulate({
        body: [{ phone: '+1 212 000 0001' }, { phone: 'x', allowedDay: ['mon'] }],
        lines: 1,
        days: 1,
        startMs: START_MS,
        seed: 1,
      }),
    ).rejects.toThrow(/phone\.bad\.format[\s\S]*unknown\.field/);
  });
});
