import TinyQueue from 'tinyqueue';
import { Campaign } from '../src/index.js';
import { FlatHeap } from './baselines/flat-heap.js';

/** ns per serve cycle by queue size, for the engine and its two baselines. */
export interface ServeFigures {
  readonly nsPerCycle: Record<string, number>;
  readonly typedHeapFloorNsPerCycle: Record<string, number>;
  readonly tinyqueueNsPerCycle: Record<string, number>;
}

const START_MS = Date.parse('2025-06-02T00:00:00Z');
const RETRY_MS = 60_000;

/**
 * A campaign with `size` jobs that are always callable, served in steady state: each cycle is
 * `next(now)` then `fail(task, now)` (retry after 1 minute), with time advancing 60 s / size per cycle so
 * that one job comes back from its retry pause per cycle and the queue keeps its size.
 */
function campaignCycle(size: number, cycles: number): number {
  const campaign = new Campaign({
    defaults: { maxAttempts: 50, retryIntervalInMinutes: 1 },
    leaseTimeoutMs: 86_400_000,
  });
  const chunk = 10_000;
  for (let added = 0; added < size; added += chunk) {
    const body = Array.from({ length: Math.min(chunk, size - added) }, (_, k) => ({
      phone: String(10_000_000_000 + added + k),
    }));
    campaign.addPhones(body, { now: START_MS });
  }
  const stepMs = RETRY_MS / size;
  let now = START_MS + RETRY_MS;
  const run = (count: number) => {
    for (let c = 0; c < count; c++) {
      const task = campaign.next(now);
      if (task === undefined) throw new Error('serve bench: queue ran dry');
      campaign.fail(task, now);
      now += stepMs;
    }
  };
  run(Math.min(cycles, 20_000)); // warm-up
  const t0 = performance.now();
  run(cycles);
  return ((performance.now() - t0) * 1e6) / cycles;
}

/** The floor: pop + push on a minimal typed-array heap holding `size` entries. */
function flatHeapCycle(size: number, cycles: number): number {
  const heap = new FlatHeap(size + 1);
  for (let i = 0; i < size; i++) heap.push(i, START_MS + Math.random() * RETRY_MS);
  let now = START_MS + RETRY_MS;
  const stepMs = RETRY_MS / size;
  const t0 = performance.now();
  for (let c = 0; c < cycles; c++) {
    heap.push(heap.pop(), now + RETRY_MS);
    now += stepMs;
  }
  return ((performance.now() - t0) * 1e6) / cycles;
}

interface QueuedJob {
  readonly id: number;
  readonly priority: number;
  readonly windowEndMs: number;
  readonly readyAtMs: number;
}

/** tinyqueue of job objects with the engine's comparator: pop + push of a new object per cycle. */
function tinyqueueCycle(size: number, cycles: number): number {
  const compare = (a: QueuedJob, b: QueuedJob) =>
    a.priority - b.priority || a.windowEndMs - b.windowEndMs || a.readyAtMs - b.readyAtMs || a.id - b.id;
  const items: QueuedJob[] = [];
  for (let i = 0; i < size; i++)
    items.push({
      id: i,
      priority: 1 + (i % 5),
      windowEndMs: Infinity,
      readyAtMs: START_MS + Math.random() * RETRY_MS,
    });
  const queue = new TinyQueue(items, compare);
  let now = START_MS + RETRY_MS;
  const t0 = performance.now();
  for (let c = 0; c < cycles; c++) {
    const job = queue.pop()!;
    queue.push({ id: job.id, priority: job.priority, windowEndMs: Infinity, readyAtMs: now + RETRY_MS });
    now += RETRY_MS / size;
  }
  return ((performance.now() - t0) * 1e6) / cycles;
}

/** Serve cycles at each queue size, against the typed-heap floor and tinyqueue of objects. */
export function benchServe(
  sizes: readonly number[] = [10_000, 100_000, 1_000_000],
  cycles = 200_000,
): ServeFigures {
  const figures: ServeFigures = { nsPerCycle: {}, typedHeapFloorNsPerCycle: {}, tinyqueueNsPerCycle: {} };
  for (const size of sizes) {
    figures.nsPerCycle[size] = campaignCycle(size, cycles);
    figures.typedHeapFloorNsPerCycle[size] = flatHeapCycle(size, cycles);
    figures.tinyqueueNsPerCycle[size] = tinyqueueCycle(size, cycles);
  }
  return figures;
}
