import { describe, expect, it } from 'vitest';
import { type SimulationProgress, simulate } from '../../src/sim/simulation.js';
import { summarize } from '../../src/sim/summary.js';
import { syntheticDefaults, syntheticEntries } from '../../src/sim/synthetic-campaign.js';

const START_MS = Date.parse('2024-03-09T00:00:00Z');

function run(seed: number, numbers = 1500, lines = 6) {
  return simulate({
    body: syntheticEntries({ numbers, seed, startMs: START_MS }),
    defaults: syntheticDefaults(START_MS),
    lines,
    days: 3,
    startMs: START_MS,
    seed,
  });
}

/** The summary without the wall time, which is the one thing a run may not repeat. */
function repeatable(seed: number) {
  const { wallSeconds: _wall, ...summary } = summarize(run(seed));
  return summary;
}

describe('simulate', () => {
  it('gives the same summary for the same seed, and another for another seed', () => {
    const first = repeatable(1);
    expect(repeatable(1)).toEqual(first);
    expect(repeatable(2)).not.toEqual(first);
  });

  it('never dials outside a window, and exercises retries, callbacks and lost reports', () => {
    const result = run(3);
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

  it('fills the series the report draws', () => {
    const { series, dials } = run(4, 800, 4);
    expect(series.hourStartsMs).toHaveLength(72);
    expect(series.dialsByRegion.flat().reduce((a, b) => a + b, 0)).toBe(dials);
    expect(series.regions).toContain('US East');
    expect(series.samples).toHaveLength(3 * 24 * 4 + 1);
    expect(series.attemptsPerNumber.reduce((a, b) => a + b, 0)).toBeGreaterThan(700);
    expect(series.utilisationBySlot.every((u) => u >= 0 && u <= 1)).toBe(true);
  });

  it('jumps over quiet time: a 400-day campaign with one call dials once and samples only on schedule', () => {
    const progress: SimulationProgress[] = [];
    const result = simulate({
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

  it('adds an array body in one atomic call: a bad entry stops the run with the library issues', () => {
    expect(() =>
      simulate({
        body: [{ phone: '+1 212 000 0001' }, { phone: 'x', allowedDay: ['mon'] }],
        lines: 1,
        days: 1,
        startMs: START_MS,
        seed: 1,
      }),
    ).toThrow(/phone\.bad\.format[\s\S]*unknown\.field/);
  });
});
