/**
 * `PostgresCampaign` (spec section 13) at scale, against graphile-worker on the same server in the
 * same run, with durable commits:
 *
 * - loading N jobs (default 1,000,000) with `addPhones` in bodies of 100,000 entries, the first into
 *   a fresh campaign (the ingest figure);
 * - at N/10, N/2 and N jobs in the campaign: the latency of `next` (p50, p99) on one connection, and
 *   the process's RSS and heapUsed after gc, which must not grow with the jobs;
 * - serve + report cycles per second (`next` then `complete`) with 1, 4 and 16 connections (pool size
 *   = concurrency, as many loops), each time-boxed after a warm-up, beside graphile-worker's fetch +
 *   complete with N jobs queued, measured in turn at each concurrency;
 * - `next` with 5,000 ready jobs held by their phone's 24-hour cap, against a campaign that holds none
 *   (`held-jobs.ts`).
 *
 * Each system has its own fresh database, loaded once; VACUUM ANALYZE before every measurement. The
 * server is the one of DATABASE_URL, else an embedded one started here.
 *
 *   node --expose-gc --import tsx bench/postgres/campaign.ts [--jobs 1000000] [--seconds 10]
 *     [--warmup 2] [--concurrency 1,4,16] [--held 5000] [--json]
 */
import { loadavg } from 'node:os';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { withClient } from '../../test/postgres/server.js';
import { memoryAfterGc } from '../heap.js';
import {
  type BenchServerFigures,
  benchCommand,
  benchServer,
  type CpuReader,
  countArgument,
  headline,
  onFreshDatabase,
  percentile,
  rateOver,
  runAsScript,
  serverCpuReader,
  serverFigures,
  type TimedRate,
  vacuumAnalyze,
} from './bench-db.js';
import { graphileWorkerRate, graphileWorkerVersion, queueGraphileWorkerJobs } from './graphile-worker.js';
import { benchHeldJobs, type HeldJobsFigures } from './held-jobs.js';

/** Options of {@link benchPostgresCampaign}. */
export interface CampaignBenchOptions {
  /**
   * Jobs in the campaign (and queued for graphile-worker) before the cycles are measured.
   * @default 1_000_000
   */
  jobs?: number;
  /**
   * Entries per `addPhones` body while loading.
   * @default 100_000
   */
  bodySize?: number;
  /**
   * Connections (and concurrent loops) to measure, in order.
   * @default [1, 4, 16]
   */
  concurrencies?: readonly number[];
  /**
   * Seconds each cycle measurement counts, after the warm-up.
   * @default 10
   */
  seconds?: number;
  /**
   * Seconds of the same work before each cycle measurement starts counting.
   * @default 2
   */
  warmupSeconds?: number;
  /**
   * `next` calls timed at each probe (each followed by an untimed `complete`), at most; and at most 5%
   * of `jobs`.
   * @default 1_000
   */
  latencySamples?: number;
  /**
   * Seconds a probe may spend on its `next` calls: it stops early when they are slow (at least 10 are timed).
   * @default 10
   */
  latencySeconds?: number;
  /**
   * Ready jobs held by their phone's 24-hour cap while `next` is timed (`latencySamples` calls, at most
   * 1,000) against a campaign that holds none (`benchHeldJobs`); 0 skips it.
   * @default 5_000
   */
  heldJobs?: number;
  /**
   * The server to use; else DATABASE_URL, else an embedded server started and closed here.
   * @default undefined
   */
  serverUrl?: string;
  /**
   * Called with a one-line message as each step ends (the CLI prints them on stderr).
   * @default () => {}
   */
  onProgress?: (message: string) => void;
}

/** One `addPhones` body of the load. */
export interface LoadBody {
  /** Jobs in the campaign before this body. */
  jobsBefore: number;
  entries: number;
  ms: number;
  entriesPerSecond: number;
}

/** What the process and `next` look like with `jobs` jobs in the campaign. */
export interface CampaignProbe {
  jobs: number;
  /** `next` calls timed. */
  samples: number;
  nextP50Ms: number;
  nextP99Ms: number;
  /** Resident set size of this process after gc. */
  rssBytes: number;
  heapUsedBytes: number;
  /** Whether `global.gc` ran before the reading (node --expose-gc). */
  afterGc: boolean;
}

/** Cycles per second at one concurrency, for the campaign and graphile-worker. */
export interface CycleFigures {
  concurrency: number;
  /** `next` then `complete`: two calls, two statements, two commits. */
  campaign: TimedRate;
  /** `completeAndNext`: one call, one statement and one commit a cycle when both apply at once. */
  campaignAndNext: TimedRate;
  graphileWorker: TimedRate;
  /** Campaign cycles per graphile-worker cycle (NaN, null in JSON, when graphile-worker did none). */
  ratio: number;
  /** The same for `completeAndNext` cycles. */
  andNextRatio: number;
  /** Whether a system ran out of jobs during the measurement (its figure is then too low). */
  drained: { campaign: boolean; graphileWorker: boolean };
}

/** What {@link benchPostgresCampaign} measured. */
export interface CampaignBenchFigures extends BenchServerFigures {
  jobs: number;
  bodySize: number;
  seconds: number;
  warmupSeconds: number;
  graphileWorkerVersion: string;
  load: {
    bodies: LoadBody[];
    totalMs: number;
    entriesPerSecond: number;
    /** The first body, into a fresh campaign. */
    firstBodyEntriesPerSecond: number;
    graphileWorkerMs: number;
  };
  probes: CampaignProbe[];
  cycles: CycleFigures[];
  /** `next` with jobs held by their phone's cap, against none held (null when skipped). */
  heldJobs: HeldJobsFigures | null;
  /** `os.loadavg()` when the benchmark started and ended. */
  loadAverage: { start: number[]; end: number[] };
}

/** Targets of spec section 13's PostgreSQL campaign, printed beside the figures. */
export const TARGETS = {
  /** Cycles per second with 16 connections. */
  cyclesPerSecondAt16: 1_000,
  /** `addPhones` entries per second into a fresh campaign. */
  ingestEntriesPerSecond: 25_000,
  /** BullMQ's adds per second on local Redis, measured on this machine earlier: the reference figure. */
  bullmqEntriesPerSecond: 17_400,
} as const;

const NAME = 'bench';
const START_MS = Date.parse('2025-06-02T12:00:00Z');
const PHONE_BASE = 10_000_000_000;

/**
 * Loads the campaign and graphile-worker's queue, each on a fresh database of one server, probes the
 * campaign as it grows, then measures both at every concurrency in turn.
 *
 * @example
 * const figures = await benchPostgresCampaign({ jobs: 10_000, seconds: 2, concurrencies: [1, 4] });
 * figures.cycles[0]?.ratio;
 */
export async function benchPostgresCampaign(
  options: CampaignBenchOptions = {},
): Promise<CampaignBenchFigures> {
  const jobs = options.jobs ?? 1_000_000;
  const bodySize = options.bodySize ?? 100_000;
  const concurrencies = options.concurrencies ?? [1, 4, 16];
  const seconds = options.seconds ?? 10;
  const warmupSeconds = options.warmupSeconds ?? 2;
  const latencySamples = options.latencySamples ?? 1_000;
  const latencySeconds = options.latencySeconds ?? 10;
  const heldJobs = options.heldJobs ?? 5_000;
  const progress = options.onProgress ?? (() => {});
  for (const [name, value] of Object.entries({ jobs, bodySize, latencySamples })) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`Expected \`${name}\` to be an integer >= 1, got ${value}`);
  }
  if (!Number.isInteger(heldJobs) || heldJobs < 0)
    throw new Error(`Expected \`heldJobs\` to be an integer >= 0, got ${heldJobs}`);
  for (const [name, value] of Object.entries({ seconds, warmupSeconds, latencySeconds })) {
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`Expected \`${name}\` to be a number of seconds >= 0, got ${value}`);
  }
  for (const concurrency of concurrencies) {
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
      throw new Error(`Expected each concurrency to be an integer from 1 to 64, got ${concurrency}`);
  }
  const loadAverageAtStart = loadavg();
  // The campaign's time: real time from here on, so leases and the stored clock move as in production.
  const origin = performance.now();
  const clock = () => START_MS + Math.floor(performance.now() - origin);

  const server = await benchServer(options.serverUrl);
  try {
    const base = await serverFigures(server, 'on');
    const version = await graphileWorkerVersion();
    return await onFreshDatabase(server.url, 'bench_campaign', 'on', (campaignUrl) =>
      onFreshDatabase(server.url, 'bench_gw', 'on', async (workerUrl) => {
        const loaded = await loadCampaign(
          campaignUrl,
          jobs,
          bodySize,
          { samples: latencySamples, seconds: latencySeconds },
          clock,
          progress,
        );
        const graphileWorkerMs = await queueGraphileWorkerJobs(workerUrl, jobs);
        progress(`graphile-worker: ${count(jobs)} jobs queued in ${secondsOf(graphileWorkerMs)}`);
        const serverCpu = await serverCpuReader(server.url);
        const cycles: CycleFigures[] = [];
        // Jobs each system has left: a measurement that reaches 0 is marked drained.
        let workerLeft = jobs;
        let campaignLeft = jobs - loaded.served;
        for (const concurrency of concurrencies) {
          const rate = async (andNext: boolean) => {
            await vacuumAnalyze(campaignUrl);
            return campaignRate(campaignUrl, concurrency, warmupSeconds, seconds, clock, serverCpu, andNext);
          };
          const [ours, andNext] = [await rate(false), await rate(true)];
          campaignLeft -= ours.total + andNext.total;
          await vacuumAnalyze(workerUrl);
          const before = workerLeft;
          const theirs = await graphileWorkerRate(
            workerUrl,
            concurrency,
            warmupSeconds * 1000,
            seconds * 1000,
            serverCpu,
          );
          workerLeft = await queuedGraphileWorkerJobs(workerUrl);
          const figures: CycleFigures = {
            concurrency,
            campaign: ours.rate,
            campaignAndNext: andNext.rate,
            graphileWorker: theirs,
            ratio: theirs.count === 0 ? Number.NaN : ours.rate.perSecond / theirs.perSecond,
            andNextRatio: theirs.count === 0 ? Number.NaN : andNext.rate.perSecond / theirs.perSecond,
            drained: {
              campaign: ours.drained || andNext.drained || campaignLeft <= 0,
              graphileWorker: workerLeft === 0,
            },
          };
          cycles.push(figures);
          progress(
            `${concurrency} connection(s): campaign ${count(Math.round(ours.rate.perSecond))} cycles/s ` +
              `(${cpuText(ours.rate)}), completeAndNext ${count(Math.round(andNext.rate.perSecond))} ` +
              `(${cpuText(andNext.rate)}), graphile-worker ${count(Math.round(theirs.perSecond))} ` +
              `(${cpuText(theirs)}; ${count(before - workerLeft)} jobs taken), ` +
              `ratios ${times(figures.ratio)} and ${times(figures.andNextRatio)}`,
          );
        }
        const totalMs = loaded.bodies.reduce((sum, body) => sum + body.ms, 0);
        const held =
          heldJobs === 0 ? null : await benchHeldJobs(server.url, heldJobs, Math.min(latencySamples, 1_000));
        if (held !== null) {
          progress(
            `${count(held.held)} jobs held by their cap: next p50 ${held.heldP50Ms.toFixed(2)} ms, ` +
              `none held ${held.noneHeldP50Ms.toFixed(2)} ms; nextReadyAt p50 ` +
              `${held.nextReadyAtHeldP50Ms.toFixed(2)} ms, none held ${held.nextReadyAtNoneHeldP50Ms.toFixed(2)} ms`,
          );
        }
        return {
          jobs,
          bodySize,
          seconds,
          warmupSeconds,
          ...base,
          graphileWorkerVersion: version,
          load: {
            bodies: loaded.bodies,
            totalMs,
            entriesPerSecond: (jobs * 1000) / totalMs,
            firstBodyEntriesPerSecond: loaded.bodies[0]!.entriesPerSecond,
            graphileWorkerMs,
          },
          probes: loaded.probes,
          cycles,
          heldJobs: held,
          loadAverage: { start: loadAverageAtStart, end: loadavg() },
        };
      }),
    );
  } finally {
    await server.close();
  }
}

/**
 * Creates the campaign on `url` and adds `jobs` always-callable jobs (distinct phones, a small
 * payload) in bodies of `bodySize`, probing `next` and the process's memory at N/10, N/2 and N jobs.
 */
async function loadCampaign(
  url: string,
  jobs: number,
  bodySize: number,
  latency: { readonly samples: number; readonly seconds: number },
  clock: () => number,
  progress: (message: string) => void,
): Promise<{ bodies: LoadBody[]; probes: CampaignProbe[]; served: number }> {
  // The probes take at most 5% of the jobs each, so that the cycles have jobs to serve.
  const probeLatency = { ...latency, samples: Math.min(latency.samples, Math.max(1, Math.floor(jobs / 20))) };
  const probeAt = new Set(
    [jobs / 10, jobs / 2, jobs].map((n) => Math.min(jobs, Math.ceil(n / bodySize) * bodySize)),
  );
  const campaign = await PostgresCampaign.open({ connectionString: url, name: NAME, poolSize: 1 });
  const bodies: LoadBody[] = [];
  const probes: CampaignProbe[] = [];
  let served = 0;
  try {
    for (let added = 0; added < jobs; ) {
      const body = Array.from({ length: Math.min(bodySize, jobs - added) }, (_, k) => ({
        phone: String(PHONE_BASE + added + k),
        payload: { n: added + k },
      }));
      const start = performance.now();
      const result = await campaign.addPhones(body, { now: clock() });
      const ms = performance.now() - start;
      if (result.duplicates.length > 0) throw new Error('campaign bench: entries taken for duplicates');
      bodies.push({
        jobsBefore: added,
        entries: body.length,
        ms,
        entriesPerSecond: (body.length * 1000) / ms,
      });
      added += body.length;
      progress(
        `addPhones of ${count(body.length)} entries at ${count(added - body.length)} jobs: ${secondsOf(ms)} ` +
          `(${count(Math.round((body.length * 1000) / ms))} entries/s)`,
      );
      if (!probeAt.has(added)) continue;
      // As the cycle measurements: the statistics of a loaded table, as autovacuum soon gives them.
      await vacuumAnalyze(url);
      const probe = await probeCampaign(campaign, added, probeLatency, clock);
      served += probe.samples;
      probes.push(probe);
      progress(
        `${count(added)} jobs: next p50 ${probe.nextP50Ms.toFixed(2)} ms, p99 ${probe.nextP99Ms.toFixed(2)} ms ` +
          `(${count(probe.samples)} calls), ` +
          `RSS ${mb(probe.rssBytes)}, heapUsed ${mb(probe.heapUsedBytes)}`,
      );
    }
  } finally {
    await campaign.close();
  }
  return { bodies, probes, served };
}

/**
 * The latency of calls of `next` (each task then completed, untimed), `latency.samples` of them or as
 * many as `latency.seconds` allow, and the process's memory.
 */
async function probeCampaign(
  campaign: PostgresCampaign,
  jobs: number,
  latency: { readonly samples: number; readonly seconds: number },
  clock: () => number,
): Promise<CampaignProbe> {
  const latencies: number[] = [];
  const deadline = performance.now() + latency.seconds * 1000;
  const minimum = Math.min(10, latency.samples);
  for (let k = 0; k < latency.samples && (k < minimum || performance.now() < deadline); k++) {
    const start = performance.now();
    const task = await campaign.next(clock());
    latencies.push(performance.now() - start);
    if (task === undefined) throw new Error(`campaign bench: no job to serve with ${jobs} jobs added`);
    await campaign.complete(task, clock());
  }
  latencies.sort((a, b) => a - b);
  const afterGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const memory = memoryAfterGc(false);
  return {
    jobs,
    samples: latencies.length,
    nextP50Ms: percentile(latencies, 0.5),
    nextP99Ms: percentile(latencies, 0.99),
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    afterGc,
  };
}

/**
 * Serve + report cycles per second of the campaign on `url`: `concurrency` loops of `next` then
 * `complete` (with `andNext`, of `completeAndNext` after a first `next`) on a pool of `concurrency`
 * connections, counted over `seconds` after `warmupSeconds`. A loop's last task is completed when
 * the measurement stops.
 */
async function campaignRate(
  url: string,
  concurrency: number,
  warmupSeconds: number,
  seconds: number,
  clock: () => number,
  serverCpu: CpuReader | undefined,
  andNext: boolean,
): Promise<{ rate: TimedRate; total: number; drained: boolean }> {
  const campaign = await PostgresCampaign.open({ connectionString: url, name: NAME, poolSize: concurrency });
  let done = 0;
  let stopped = false;
  let drained = false;
  const loop = async () => {
    let task = await campaign.next(clock());
    while (task !== undefined) {
      if (stopped) {
        await campaign.complete(task, clock());
        return;
      }
      task = andNext
        ? await campaign.completeAndNext(task, clock())
        : await campaign.complete(task, clock()).then(() => campaign.next(clock()));
      done += 1;
    }
    drained = true;
  };
  try {
    const loops = Array.from({ length: concurrency }, loop);
    const counting = rateOver(
      () => done,
      warmupSeconds * 1000,
      seconds * 1000,
      serverCpu,
      () => !drained,
    ).finally(() => {
      stopped = true;
    });
    const [rate] = await Promise.all([counting, ...loops]);
    return { rate, total: done, drained };
  } finally {
    stopped = true;
    await campaign.close();
  }
}

async function queuedGraphileWorkerJobs(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM graphile_worker._private_jobs',
    );
    return rows[0]!.n;
  });
}

const count = (n: number) => n.toLocaleString('en-US');
const secondsOf = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** A ratio as `1.23x`, or with two significant digits below 0.1 (`0.0025x`). */
const times = (ratio: number) => `${ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)}x`;
/** CPU per cycle of this process and of the server. */
const cpuText = (rate: TimedRate) =>
  rate.count === 0
    ? 'no cycles'
    : `CPU/cycle ${rate.clientCpuMs.toFixed(2)} ms here${rate.serverCpuMs === null ? '' : ` + ${rate.serverCpuMs.toFixed(2)} ms server`}`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The figures as table rows: the campaign, the baseline in the same run, and the target. */
export function campaignRows(figures: CampaignBenchFigures): Record<string, string>[] {
  const first = figures.load.firstBodyEntriesPerSecond;
  const rows: Record<string, string>[] = [
    {
      scenario: `PostgresCampaign addPhones, ${count(figures.load.bodies[0]!.entries)} entries, fresh campaign`,
      ours: `${count(Math.round(first))} entries/s`,
      baseline: `BullMQ on local Redis ${count(TARGETS.bullmqEntriesPerSecond)}/s (earlier)`,
      'ours vs baseline': `${(first / TARGETS.bullmqEntriesPerSecond).toFixed(2)}x; target ${count(TARGETS.ingestEntriesPerSecond)}/s ${first >= TARGETS.ingestEntriesPerSecond ? 'met' : 'missed'}`,
    },
    {
      scenario: `PostgresCampaign load, ${count(figures.jobs)} jobs in bodies of ${count(figures.bodySize)}`,
      ours: `${secondsOf(figures.load.totalMs)} (${count(Math.round(figures.load.entriesPerSecond))}/s, last body ${count(Math.round(figures.load.bodies.at(-1)!.entriesPerSecond))}/s)`,
      baseline: `graphile-worker addJobs ${secondsOf(figures.load.graphileWorkerMs)}`,
      'ours vs baseline': `${(figures.load.totalMs / figures.load.graphileWorkerMs).toFixed(2)}x the time`,
    },
  ];
  for (const probe of figures.probes) {
    rows.push({
      scenario: `PostgresCampaign, ${count(probe.jobs)} jobs: next latency, process memory`,
      ours: `next p50 ${probe.nextP50Ms.toFixed(2)} ms, p99 ${probe.nextP99Ms.toFixed(2)} ms (${count(probe.samples)} calls)`,
      baseline: `RSS ${mb(probe.rssBytes)}, heapUsed ${mb(probe.heapUsedBytes)}${probe.afterGc ? '' : ' (no gc)'}`,
      'ours vs baseline': `RSS ${(probe.rssBytes / figures.probes[0]!.rssBytes).toFixed(2)}x the first probe`,
    });
  }
  for (const cycle of figures.cycles) {
    const drained = [
      ...(cycle.drained.campaign ? ['campaign'] : []),
      ...(cycle.drained.graphileWorker ? ['graphile-worker'] : []),
    ];
    const ranOut = drained.length > 0 ? `; ${drained.join(' and ')} ran out of jobs` : '';
    const kinds = [
      { calls: 'next + complete', rate: cycle.campaign, ratio: cycle.ratio },
      { calls: 'completeAndNext', rate: cycle.campaignAndNext, ratio: cycle.andNextRatio },
    ];
    for (const { calls, rate, ratio } of kinds) {
      const targets = [`${ratio >= 1 ? 'met' : 'missed'} >= graphile-worker`];
      if (cycle.concurrency === 16) {
        const met = rate.perSecond >= TARGETS.cyclesPerSecondAt16;
        targets.push(`${met ? 'met' : 'missed'} >= ${count(TARGETS.cyclesPerSecondAt16)}/s`);
      }
      rows.push({
        scenario: `PostgresCampaign ${calls}, ${count(figures.jobs)} jobs, ${cycle.concurrency} connection(s)`,
        ours: `${count(Math.round(rate.perSecond))} cycles/s, ${cpuText(rate)}`,
        baseline: `graphile-worker fetch + complete ${count(Math.round(cycle.graphileWorker.perSecond))}/s, ${cpuText(cycle.graphileWorker)}`,
        'ours vs baseline': `${times(ratio)}; ${targets.join(', ')}${ranOut}`,
      });
    }
  }
  const held = figures.heldJobs;
  if (held !== null) {
    rows.push({
      scenario: `PostgresCampaign next with ${count(held.held)} ready jobs held by their 24-hour cap`,
      ours: `p50 ${held.heldP50Ms.toFixed(2)} ms, p99 ${held.heldP99Ms.toFixed(2)} ms (${count(held.samples)} calls)`,
      baseline: `none held: p50 ${held.noneHeldP50Ms.toFixed(2)} ms, p99 ${held.noneHeldP99Ms.toFixed(2)} ms`,
      'ours vs baseline': `${times(held.heldP50Ms / held.noneHeldP50Ms)} the time`,
    });
    rows.push({
      scenario: `PostgresCampaign nextReadyAt with ${count(held.held)} jobs held, nothing else to serve`,
      ours: `p50 ${held.nextReadyAtHeldP50Ms.toFixed(2)} ms (20 calls)`,
      baseline: `none held: p50 ${held.nextReadyAtNoneHeldP50Ms.toFixed(2)} ms`,
      'ours vs baseline': `${times(held.nextReadyAtHeldP50Ms / held.nextReadyAtNoneHeldP50Ms)} the time`,
    });
  }
  return rows;
}

function printFigures(figures: CampaignBenchFigures): void {
  const loads = (averages: number[]) => averages.map((n) => n.toFixed(2)).join(' ');
  console.log(
    `${headline(figures)}, load average ${loads(figures.loadAverage.start)} at start, ` +
      `${loads(figures.loadAverage.end)} at end`,
  );
  console.table(campaignRows(figures));
}

runAsScript(import.meta.url, () =>
  benchCommand<CampaignBenchOptions, CampaignBenchFigures>(
    process.argv.slice(2),
    (options) => {
      // The memory probes read the heap after gc: fail now rather than report heaps full of garbage.
      memoryAfterGc(true);
      return benchPostgresCampaign(options);
    },
    {
      withValue: {
        '--body': (options, value) => {
          options.bodySize = countArgument(value);
        },
        '--seconds': (options, value) => {
          options.seconds = Number(value);
        },
        '--warmup': (options, value) => {
          options.warmupSeconds = Number(value);
        },
        '--held': (options, value) => {
          options.heldJobs = countArgument(value);
        },
      },
    },
    printFigures,
  ),
);
