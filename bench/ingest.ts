import { Campaign } from '../src/index.js';
import { syntheticBody, syntheticDefaults } from '../src/sim/synthetic-campaign.js';

/** Figures of the ingest scenario: ns per entry of addPhones and of JSON.parse of the same body. */
export interface IngestFigures {
  readonly entries: number;
  readonly nsPerEntry: number;
  readonly jsonParseNsPerEntry: number;
  readonly entriesPerSecond: number;
}

const NOW_MS = Date.parse('2025-06-02T12:00:00Z');

/**
 * `addPhones` of the simulation's synthetic body (with its campaign defaults) into a fresh campaign, against `JSON.parse` of the same body's text,
 * each the median of `rounds` runs.
 */
export function benchIngest(count = 100_000, rounds = 7): IngestFigures {
  const text = JSON.stringify(syntheticBody({ numbers: count, seed: 1, startMs: NOW_MS }));
  const defaults = syntheticDefaults(NOW_MS);
  const parseTimes: number[] = [];
  const ingestTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const body = JSON.parse(text) as unknown[];
    const t1 = performance.now();
    const campaign = new Campaign({ defaults, clock: () => NOW_MS });
    const t2 = performance.now();
    campaign.addPhones(body, { now: NOW_MS });
    const t3 = performance.now();
    parseTimes.push(t1 - t0);
    ingestTimes.push(t3 - t2);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const nsPerEntry = (median(ingestTimes) * 1e6) / count;
  return {
    entries: count,
    nsPerEntry,
    jsonParseNsPerEntry: (median(parseTimes) * 1e6) / count,
    entriesPerSecond: 1e9 / nsPerEntry,
  };
}
