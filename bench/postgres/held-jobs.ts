/**
 * `next` on PostgreSQL while many ready jobs are held by their phone's 24-hour cap (spec section 12's
 * `maxAttemptsPer24h`, section 13's "serving stays an index lookup"), against the same calls in a
 * campaign that holds none, on one server in the same run. Held jobs are parked out of the serve index
 * (migration 9): without that, each `next` stepped over every one of them.
 */
import { PostgresCampaign } from '../../src/postgres/index.js';
import { onFreshDatabase, percentile, vacuumAnalyze } from './bench-db.js';

/** What {@link benchHeldJobs} measured. */
export interface HeldJobsFigures {
  /** Ready jobs held by their phone's cap while `next` was timed. */
  held: number;
  /** `next` calls timed in each campaign. */
  samples: number;
  heldP50Ms: number;
  heldP99Ms: number;
  /** The same calls in a campaign that holds no job. */
  noneHeldP50Ms: number;
  noneHeldP99Ms: number;
  /** `nextReadyAt` once nothing else is left to serve (the held jobs' first instant), p50 of 20 calls. */
  nextReadyAtHeldP50Ms: number;
  /** The same in the campaign that holds none (nothing left at all). */
  nextReadyAtNoneHeldP50Ms: number;
}

const START_MS = Date.parse('2025-06-02T12:00:00Z');
const PHONE_BASE = 20_000_000_000;
const RULES = [{ name: 'one a day', maxAttemptsPer24h: 1 }];
const DEFAULTS = { maxAttempts: 3, retryIntervalInMinutes: 1 };

/**
 * On fresh databases of the server of `serverUrl`: a campaign whose `held` phones each had their one
 * attempt of the day fail (their retries ready a minute later, held), then `samples` calls of `next`
 * on phones added after them, each task completed untimed; and the same calls on a campaign of the
 * `samples` phones alone.
 *
 * @example
 * const figures = await benchHeldJobs(url, 5_000, 200);
 * figures.heldP50Ms / figures.noneHeldP50Ms;
 */
export async function benchHeldJobs(
  serverUrl: string,
  held: number,
  samples: number,
): Promise<HeldJobsFigures> {
  const withHeld = await onFreshDatabase(serverUrl, 'bench_held', 'on', (url) =>
    timedCalls(url, held, samples),
  );
  const noneHeld = await onFreshDatabase(serverUrl, 'bench_none_held', 'on', (url) =>
    timedCalls(url, 0, samples),
  );
  return {
    held,
    samples,
    heldP50Ms: percentile(withHeld.next, 0.5),
    heldP99Ms: percentile(withHeld.next, 0.99),
    noneHeldP50Ms: percentile(noneHeld.next, 0.5),
    noneHeldP99Ms: percentile(noneHeld.next, 0.99),
    nextReadyAtHeldP50Ms: percentile(withHeld.nextReadyAt, 0.5),
    nextReadyAtNoneHeldP50Ms: percentile(noneHeld.nextReadyAt, 0.5),
  };
}

/**
 * The sorted latencies of `samples` calls of `next` with `held` jobs held (see `benchHeldJobs`), then of
 * 20 calls of `nextReadyAt` with nothing else left.
 */
async function timedCalls(
  url: string,
  held: number,
  samples: number,
): Promise<{ next: number[]; nextReadyAt: number[] }> {
  const campaign = await PostgresCampaign.open({
    connectionString: url,
    name: 'held',
    rules: RULES,
    defaults: DEFAULTS,
  });
  try {
    const phones = (from: number, n: number) =>
      Array.from({ length: n }, (_, k) => ({
        phone: String(PHONE_BASE + from + k),
        payload: { n: from + k },
      }));
    if (held > 0) await campaign.addPhones(phones(0, held), { now: START_MS });
    for (let k = 0; k < held; k++) {
      const task = await campaign.next(START_MS);
      if (task === undefined) throw new Error(`held-jobs bench: no job to serve at ${k} of ${held}`);
      await campaign.fail(task, START_MS);
    }
    const atMs = START_MS + 5 * 60_000;
    await campaign.addPhones(phones(held, samples), { now: atMs });
    await vacuumAnalyze(url);
    const latencies: number[] = [];
    for (let k = 0; k < samples; k++) {
      const start = performance.now();
      const task = await campaign.next(atMs);
      latencies.push(performance.now() - start);
      if (task === undefined) throw new Error(`held-jobs bench: no job to serve at sample ${k}`);
      await campaign.complete(task, atMs);
    }
    const stats = await campaign.stats();
    if (stats.waiting !== held)
      throw new Error(`held-jobs bench: ${stats.waiting} jobs held, expected ${held}`);
    const readyAt: number[] = [];
    for (let k = 0; k < 20; k++) {
      const start = performance.now();
      const next = await campaign.nextReadyAt(atMs);
      readyAt.push(performance.now() - start);
      if ((next === undefined) !== (held === 0)) throw new Error(`held-jobs bench: nextReadyAt gave ${next}`);
    }
    return { next: latencies.sort((a, b) => a - b), nextReadyAt: readyAt.sort((a, b) => a - b) };
  } finally {
    await campaign.close();
  }
}
