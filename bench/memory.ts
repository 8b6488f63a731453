import { Campaign } from '../src/index.js';
import { usedBytes } from './heap.js';

/** Bytes per queued job without payload. */
export interface MemoryFigures {
  readonly jobs: number;
  readonly bytesPerJob: number;
}

const NOW_MS = Date.parse('2025-06-02T12:00:00Z');

/**
 * `heapUsed + external` (typed arrays live outside the JS heap) after `global.gc()`, before and after
 * adding `count` jobs without payload (distinct phones, a few policies) to a campaign, per job.
 */
export function benchMemory(count = 1_000_000): MemoryFigures {
  const before = usedBytes();
  const campaign = new Campaign({
    defaults: { gmtZone: 'America/New_York' },
    dedupWindowMs: Number(process.env.DEDUP ?? 86_400_000),
  });
  const policies = [
    { allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '20:00' }] } },
    { allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, gmtZone: 'America/Chicago' },
    { dialerPriority: 2, maxAttempts: 3 },
  ];
  const chunk = 10_000;
  for (let added = 0; added < count; added += chunk) {
    const body = Array.from({ length: Math.min(chunk, count - added) }, (_, k) => ({
      phone: String(10_000_000_000 + added + k),
      ...policies[k % policies.length],
    }));
    campaign.addPhones(body, { now: NOW_MS });
  }
  const after = usedBytes();
  if (campaign.stats().total !== count) throw new Error('memory bench: jobs missing');
  return { jobs: count, bytesPerJob: (after - before) / count };
}
