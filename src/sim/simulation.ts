import TinyQueue from 'tinyqueue';
import {
  type CallTask,
  Campaign,
  type CampaignStats,
  DialerError,
  type EntryInput,
  type GmtZone,
  type Issue,
  type PolicyInput,
  parseGmtZone,
} from '../index.js';
import type { CallLogWriter } from './call-log.js';
import { EffectivePolicyTable } from './effective-policy.js';
import { SimulationMetrics, type SimulationSeries } from './metrics.js';
import { type DrawnCall, OutcomeModel, type OutcomeRates } from './outcome-model.js';
import { Random } from './random.js';
import { regionOfZone } from './synthetic-zones.js';
import { type WindowChecker, windowChecker } from './window-check.js';

/** What to simulate. */
export interface SimulationOptions {
  /** The addPhones body: an array is added in one atomic call; an iterable in bodies of `batchSize`. */
  readonly body: readonly unknown[] | Iterable<EntryInput>;
  /** Entries in `body`, when it is an iterable whose length is known (for progress only). */
  readonly bodySize?: number;
  /** Campaign defaults. @default {} */
  readonly defaults?: PolicyInput;
  /** Concurrent calls. */
  readonly lines: number;
  /** Simulated time, in days (fractions allowed). */
  readonly days: number;
  /** The simulated start instant, epoch ms: the body is added then. */
  readonly startMs: number;
  /** Seed of the outcome model. */
  readonly seed: number;
  /** Entries per addPhones call when `body` is an iterable. @default 10_000 */
  readonly batchSize?: number;
  /** The campaign's lease: unreported calls count as failed after it. @default 1_800_000 (30 minutes) */
  readonly leaseTimeoutMs?: number;
  /** How often queue depths are sampled, simulated ms. @default 900_000 (15 minutes) */
  readonly sampleEveryMs?: number;
  readonly rates?: Partial<OutcomeRates>;
  /** Receives one line per dial. */
  readonly log?: CallLogWriter;
  /** Called while the body is added and at every sample. */
  readonly onProgress?: (progress: SimulationProgress) => void;
}

/** Where a run is. */
export interface SimulationProgress {
  readonly phase: 'adding' | 'calling';
  /** Entries added so far (`adding`) or simulated ms elapsed (`calling`). */
  readonly done: number;
  /** What `done` goes up to; 0 when unknown. */
  readonly total: number;
  readonly dials: number;
}

/** Everything a run counted, and its time series. */
export interface SimulationResult {
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly lines: number;
  /** Entries in the body, duplicates included. */
  readonly numbers: number;
  /** Entries the campaign ignored as duplicates. */
  readonly duplicates: number;
  /** Warnings of the body (replaced priorities), `index` counted from the body's first entry. */
  readonly warnings: readonly Issue[];
  /** Distinct phones. */
  readonly phones: number;
  /** Redial jobs created for callbacks. */
  readonly redials: number;
  readonly dials: number;
  readonly outcomes: SimulationMetrics['outcomes'];
  /** Job states at the end of the run. */
  readonly final: CampaignStats;
  /** Attempts the campaign counted as failed when their lease expired (lost reports). */
  readonly leaseRecoveries: number;
  /** Reports the campaign refused because the lease had expired (should be 0: talk time < lease). */
  readonly lateReports: number;
  /** Dials that the independent checker finds outside the job's window (must be 0). */
  readonly dialsOutsideWindow: number;
  /** The first few of those, for the message. */
  readonly outsideExamples: readonly string[];
  readonly waitP50Ms: number;
  readonly waitP95Ms: number;
  /** Busy line time over all line time, 0..1. */
  readonly lineUtilisation: number;
  /** Dials per UTC hour bin from the start (a partial last hour is a bin): the average and the most. */
  readonly averageDialsPerHour: number;
  readonly peakDialsPerHour: number;
  /** Wall-clock time of the run (adding the body included), ms. */
  readonly wallMs: number;
  readonly series: SimulationSeries;
}

interface CallInProgress {
  readonly endMs: number;
  readonly seq: number;
  readonly task: CallTask;
  readonly call: DrawnCall;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Runs a campaign on virtual time with `lines` concurrent calls, through the public API only: dials
 * what `next` serves while lines are free, reports each call when it ends (complete, fail, or redial
 * for a callback; lost reports are left to the lease), and jumps from one event to the next
 * (`nextReadyAt`, call ends, samples), so quiet nights cost nothing. Every dial is checked against the
 * job's effective policy by the independent luxon checker. Deterministic for a given body and seed.
 *
 * @throws DialerError when the defaults or the body are invalid (nothing is simulated).
 */
export function simulate(options: SimulationOptions): SimulationResult {
  const wallStartMs = performance.now();
  const { lines, startMs, seed, log, onProgress } = options;
  const defaults = options.defaults ?? {};
  const endMs = startMs + options.days * DAY_MS;
  const sampleEveryMs = options.sampleEveryMs ?? 15 * MINUTE_MS;
  const campaign = new Campaign({ defaults, leaseTimeoutMs: options.leaseTimeoutMs ?? 30 * MINUTE_MS });
  const policies = new EffectivePolicyTable(defaults);
  const metrics = new SimulationMetrics(startMs, endMs, lines, sampleEveryMs);
  const model = new OutcomeModel(Random.derive(seed, 2), options.rates);

  // Per job (index = job number - 1): its effective policy.
  const policyOfJob: number[] = [];
  let leaseRecoveries = 0;
  campaign.on('leaseExpired', () => {
    leaseRecoveries++;
  });
  const addJob = (jobId: string, own: PolicyInput, zone?: string) => {
    policyOfJob[Number(jobId) - 1] = policies.intern(own, zone);
  };

  // The body, added at the start.
  let numbers = 0;
  let duplicates = 0;
  const warnings: Issue[] = [];
  const addBody = (entries: readonly unknown[]) => {
    const result = campaign.addPhones(entries, { now: startMs });
    const ignored = new Set(result.duplicates);
    for (let k = 0; k < entries.length; k++) {
      const jobId = result.jobIds[k];
      if (jobId !== null && jobId !== undefined && !ignored.has(k)) {
        addJob(jobId, entries[k] as PolicyInput);
      }
    }
    for (const warning of result.warnings) {
      warnings.push(warning.index === undefined ? warning : { ...warning, index: numbers + warning.index });
    }
    numbers += entries.length;
    duplicates += result.duplicates.length;
    onProgress?.({ phase: 'adding', done: numbers, total: options.bodySize ?? 0, dials: 0 });
  };
  if (Array.isArray(options.body)) addBody(options.body);
  else {
    const batchSize = options.batchSize ?? 10_000;
    let batch: EntryInput[] = [];
    for (const entry of options.body as Iterable<EntryInput>) {
      batch.push(entry);
      if (batch.length >= batchSize) {
        addBody(batch);
        batch = [];
      }
    }
    if (batch.length > 0) addBody(batch);
  }

  // Per effective policy: the independent checker and the chart region, made on first use.
  const checkers: WindowChecker[] = [];
  const regionOfPolicy: number[] = [];
  const zones = new Map<string, GmtZone>();
  let dialsOutsideWindow = 0;
  const outsideExamples: string[] = [];
  let redials = 0;
  let lateReports = 0;

  const calls = new TinyQueue<CallInProgress>([], (a, b) => a.endMs - b.endMs || a.seq - b.seq);
  let seq = 0;
  let freeLines = lines;

  const dial = (task: CallTask, t: number) => {
    const i = Number(task.jobId) - 1;
    const policyId = policyOfJob[i]!;
    const record = policies.records[policyId]!;
    let checker = checkers[policyId];
    if (checker === undefined) {
      checker = windowChecker(record.policy);
      checkers[policyId] = checker;
    }
    const why = checker.violation(t);
    if (why !== undefined) {
      dialsOutsideWindow++;
      if (outsideExamples.length < 5) outsideExamples.push(`job ${task.jobId}: ${why}`);
    }
    let zone = zones.get(task.gmtZone);
    if (zone === undefined) {
      zone = parseGmtZone(task.gmtZone);
      zones.set(task.gmtZone, zone);
    }
    const localMs = t + zone.offsetSecondsAt(t) * 1000;
    const localHour = Math.floor((((localMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
    const call = model.draw(localHour);
    if (regionOfPolicy[policyId] === undefined) {
      const zoneId = parseGmtZone(record.policy.gmtZone).id;
      regionOfPolicy[policyId] = metrics.regionId(regionOfZone(record.policy.gmtZone) ?? zoneId);
      metrics.zone(zoneId);
    }
    const waitMs = t - task.readyAt;
    metrics.dial(t, regionOfPolicy[policyId]!, waitMs, call.outcome, call.durationMs);
    log?.write(task.jobId, task.phone, task.attempt, t, call.outcome, record.json);
    calls.push({ endMs: t + call.durationMs, seq: seq++, task, call });
    freeLines--;
  };

  const report = ({ task, call }: CallInProgress, t: number) => {
    try {
      switch (call.outcome) {
        case 'lost':
          return;
        case 'answered':
          campaign.complete(task, t);
          return;
        case 'callback': {
          const params: PolicyInput = {
            startDateTime: new Date(t + call.callbackAfterMs).toISOString(),
            maxAttempts: 2,
            dialerPriority: 1,
            ...(call.callbackEvenings
              ? { allowedTime: { default: [{ localTimeFrom: '18:00', localTimeTo: '21:00' }] } }
              : {}),
          };
          const childId = campaign.redial(task, params, t);
          if (childId !== null) {
            const parent = Number(task.jobId) - 1;
            const zone = policies.records[policyOfJob[parent]!]!.policy.gmtZone;
            addJob(childId, params, zone);
            redials++;
          }
          campaign.complete(task, t);
          return;
        }
        case 'busy':
        case 'noAnswer':
          campaign.fail(task, t);
          return;
        default: {
          const never: never = call.outcome;
          throw new Error(`unknown outcome ${String(never)}`);
        }
      }
    } catch (error) {
      if (!(error instanceof DialerError) || error.issues[0]?.code !== 'lease.expired') throw error;
      lateReports++;
    }
  };

  let t = startMs;
  let nextSampleMs = startMs;
  for (;;) {
    for (let top = calls.peek(); top !== undefined && top.endMs <= t; top = calls.peek()) {
      calls.pop();
      freeLines++;
      report(top, t);
    }
    while (freeLines > 0) {
      const task = campaign.next(t);
      if (task === undefined) break;
      dial(task, t);
    }
    if (t >= nextSampleMs) {
      // Bring the campaign to `t` even when no call touched it, then read its counts.
      campaign.nextReadyAt(t);
      metrics.sample(t, campaign.stats());
      onProgress?.({ phase: 'calling', done: t - startMs, total: endMs - startMs, dials: metrics.dials });
      nextSampleMs += sampleEveryMs;
    }
    let nextMs = Math.min(calls.peek()?.endMs ?? Number.POSITIVE_INFINITY, nextSampleMs);
    if (freeLines > 0) {
      const readyMs = campaign.nextReadyAt(t) ?? Number.POSITIVE_INFINITY;
      if (readyMs <= t) {
        throw new Error(
          `engine: nextReadyAt(${new Date(t).toISOString()}) says a job is ready, but next() served none`,
        );
      }
      nextMs = Math.min(nextMs, readyMs);
    }
    if (nextMs > endMs) break;
    t = nextMs;
  }
  campaign.nextReadyAt(endMs);
  const final = campaign.stats();
  const attempts = attemptsPerNumber(campaign, final.total);
  const waits = metrics.waitPercentilesMs();
  return {
    seed,
    startMs,
    endMs,
    lines,
    numbers,
    duplicates,
    warnings,
    phones: attempts.phones,
    redials,
    dials: metrics.dials,
    outcomes: { ...metrics.outcomes },
    final,
    leaseRecoveries,
    lateReports,
    dialsOutsideWindow,
    outsideExamples,
    waitP50Ms: waits.p50,
    waitP95Ms: waits.p95,
    lineUtilisation: metrics.utilisation(),
    averageDialsPerHour: metrics.averageDialsPerHour(),
    peakDialsPerHour: metrics.peakDialsPerHour(),
    wallMs: performance.now() - wallStartMs,
    series: metrics.series(attempts.histogram),
  };
}

/** Dials per phone over all its jobs, as a histogram, and the number of distinct phones. */
function attemptsPerNumber(campaign: Campaign, jobs: number): { histogram: number[]; phones: number } {
  const byPhone = new Map<string, number>();
  for (let n = 1; n <= jobs; n++) {
    const job = campaign.job(String(n))!;
    byPhone.set(job.phone, (byPhone.get(job.phone) ?? 0) + job.attempts);
  }
  const histogram: number[] = [];
  for (const attempts of byPhone.values()) {
    while (histogram.length <= attempts) histogram.push(0);
    histogram[attempts]!++;
  }
  return { histogram, phones: byPhone.size };
}
