import {
  type AsyncCampaign,
  asyncCampaign,
  type CallingRule,
  Campaign,
  type CampaignStats,
  type EntryInput,
  type Issue,
  type PolicyInput,
  parseGmtZone,
  type ZoneResolver,
} from '../index.js';
import { phoneZones } from '../rules/phone-place.js';
import type { DialSink } from './call-log.js';
import { DialerLines, type DialerLinesListener, type LineGroup, outcomeRandom } from './dialer-lines.js';
import { EffectivePolicyTable } from './effective-policy.js';
import { LocalHourTable } from './local-hours.js';
import { SimulationMetrics, type SimulationSeries } from './metrics.js';
import { OutcomeModel, type OutcomeRates } from './outcome-model.js';
import { RuleWatch, type RunRuleFigures } from './rule-watch.js';
import { regionOfZone } from './synthetic-zones.js';
import {
  type WindowChecker,
  wallClock,
  windowChecker,
  type Zone,
  zoneOf,
  zoneTexts,
} from './window-check.js';

/** What to simulate. */
export interface SimulationOptions {
  /** The addPhones body: an array is added in one atomic call; an iterable in bodies of `batchSize`. */
  readonly body: readonly unknown[] | Iterable<EntryInput>;
  /** Entries in `body`, when it is an iterable whose length is known (for progress only). */
  readonly bodySize?: number;
  /** Campaign defaults. @default {} */
  readonly defaults?: PolicyInput;
  /** The campaign's calling rules (spec section 12), such as `US_RULES`. @default [] (none) */
  readonly rules?: readonly CallingRule[];
  /**
   * The campaign's `zoneResolver`: the zone of a number whose entry and defaults give none.
   * @default none: the campaign takes the zones of the number's area (spec section 12)
   */
  readonly zoneResolver?: ZoneResolver | undefined;
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
  /** Receives every dial (the call log). */
  readonly log?: DialSink;
  /** Called while the body is added and at every sample. */
  readonly onProgress?: (progress: SimulationProgress) => void;
  /**
   * Opens the campaign the run drives, with the options the run needs; the run closes it at the end.
   * @default an in-memory `Campaign` behind `asyncCampaign`
   */
  readonly openCampaign?: (options: SimulationCampaignOptions) => Promise<AsyncCampaign>;
  /**
   * Makes the lines that dial, after the body is added: for worker processes that dial a shared
   * campaign. They must hold `plan.lines` lines in all and tell `plan.listener` every dial and redial.
   * @default all lines in this process, on the campaign of `openCampaign`
   */
  readonly lineGroups?: (plan: LinePlan) => Promise<readonly LineGroup[]>;
}

/** The campaign options of a run: what {@link SimulationOptions.openCampaign} receives. */
export interface SimulationCampaignOptions {
  readonly defaults: PolicyInput;
  readonly leaseTimeoutMs: number;
  readonly rules: readonly CallingRule[];
  readonly zoneResolver?: ZoneResolver;
}

/** What {@link SimulationOptions.lineGroups} receives. */
export interface LinePlan {
  /** Lines in all, over every group. */
  readonly lines: number;
  /** The run's seed: the outcomes of the first group's lines are drawn as in a run in one process. */
  readonly seed: number;
  readonly rates?: Partial<OutcomeRates>;
  readonly listener: DialerLinesListener;
}

interface RunPlan extends SimulationCampaignOptions {
  readonly endMs: number;
  readonly sampleEveryMs: number;
  readonly wallStartMs: number;
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
  /** The calling rules' figures, by the independent rule checker (spec section 12). */
  readonly ruleFigures: RunRuleFigures;
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

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Runs a campaign on virtual time with `lines` concurrent calls, through the public API only: dials
 * what `next` serves while lines are free, reports each call when it ends (complete, fail, or redial
 * for a callback; lost reports are left to the lease), and jumps from one event to the next
 * (`nextReadyAt`, call ends, samples), so quiet nights cost nothing. Every dial is checked against the
 * job's effective policy by the independent luxon checker, and against the calling rules of its phone
 * by the independent rule checker (rule-watch.ts), which also counts the jobs the rules held back.
 * Deterministic for a given body and seed.
 *
 * The campaign is an {@link AsyncCampaign}: the in-memory one by default, or what `openCampaign`
 * opens. Every campaign call is awaited before the next one is made, so the calls (and the draws of
 * the outcome model) come in the same order on every backend. The lines are in this process, or in
 * the groups `lineGroups` makes (worker processes on a shared campaign): at each instant every group
 * reports the calls that ended, then every group dials, before time moves on.
 *
 * @throws DialerError when the defaults or the body are invalid (nothing is simulated).
 */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const wallStartMs = performance.now();
  const defaults = options.defaults ?? {};
  const endMs = options.startMs + options.days * DAY_MS;
  const sampleEveryMs = options.sampleEveryMs ?? 15 * MINUTE_MS;
  const zoneResolver = options.zoneResolver;
  const campaignOptions: SimulationCampaignOptions = {
    defaults,
    leaseTimeoutMs: options.leaseTimeoutMs ?? 30 * MINUTE_MS,
    rules: options.rules ?? [],
    ...(zoneResolver !== undefined && { zoneResolver }),
  };
  const campaign = await (options.openCampaign ?? openMemoryCampaign)(campaignOptions);
  try {
    return await run(options, campaign, { ...campaignOptions, endMs, sampleEveryMs, wallStartMs });
  } finally {
    await campaign.close();
  }
}

/** The default campaign of {@link simulate}: an in-memory `Campaign` behind the promise interface. */
async function openMemoryCampaign(options: SimulationCampaignOptions): Promise<AsyncCampaign> {
  return asyncCampaign(new Campaign(options));
}

async function run(
  options: SimulationOptions,
  campaign: AsyncCampaign,
  { defaults, rules, zoneResolver, endMs, sampleEveryMs, wallStartMs }: RunPlan,
): Promise<SimulationResult> {
  const { lines, startMs, seed, log, onProgress } = options;
  const policies = new EffectivePolicyTable(defaults);
  const metrics = new SimulationMetrics(startMs, endMs, lines, sampleEveryMs);
  const ruleWatch = new RuleWatch(rules);
  const localHours = new LocalHourTable();
  let t = startMs;

  // Per job (index = job number - 1): its effective policy.
  const policyOfJob: number[] = [];
  let leaseRecoveries = 0;
  campaign.on('leaseExpired', () => {
    leaseRecoveries++;
  });
  const addJob = (
    jobId: string,
    own: PolicyInput,
    phone: string,
    zone?: string | readonly string[],
    parent?: number,
  ) => {
    const job = Number(jobId) - 1;
    const policyId = policies.intern(own, zone);
    policyOfJob[job] = policyId;
    ruleWatch.addJob(job, phone, policies.records[policyId]!.policy, t, parent);
  };
  // The zone of an entry: its own, the defaults', the resolver's, else the number's zones (spec section
  // 12), all of them when its area spans several: the window checker requires each to allow a dial.
  const zoneOfEntry = (entry: PolicyInput, phone: string): string | readonly string[] | undefined => {
    const zone = entry.gmtZone ?? defaults.gmtZone ?? zoneResolver?.(phone);
    if (zone !== undefined || zoneResolver !== undefined) return zone;
    const zones = phoneZones(phone);
    return zones.length > 1 ? zones : zones[0];
  };

  // The body, added at the start.
  let numbers = 0;
  let duplicates = 0;
  const warnings: Issue[] = [];
  const addBody = async (entries: readonly unknown[]) => {
    const result = await campaign.addPhones(entries, { now: startMs });
    const ignored = new Set(result.duplicates);
    for (let k = 0; k < entries.length; k++) {
      const jobId = result.jobIds[k];
      if (jobId !== null && jobId !== undefined && !ignored.has(k)) {
        const entry = entries[k] as EntryInput;
        const phone = String(entry.phone).replace(/\D/g, '');
        addJob(jobId, entry, phone, zoneOfEntry(entry, phone));
      }
    }
    for (const warning of result.warnings) {
      warnings.push(warning.index === undefined ? warning : { ...warning, index: numbers + warning.index });
    }
    numbers += entries.length;
    duplicates += result.duplicates.length;
    onProgress?.({ phase: 'adding', done: numbers, total: options.bodySize ?? 0, dials: 0 });
  };
  if (Array.isArray(options.body)) await addBody(options.body);
  else {
    const batchSize = options.batchSize ?? 10_000;
    let batch: EntryInput[] = [];
    for (const entry of options.body as Iterable<EntryInput>) {
      batch.push(entry);
      if (batch.length >= batchSize) {
        await addBody(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await addBody(batch);
  }

  // Per effective policy: the independent checker, its zones and the chart region, made on first use.
  const checkers: WindowChecker[] = [];
  const zonesOfPolicy: { zones: readonly Zone[]; texts: readonly string[]; label: string }[] = [];
  const regionOfPolicy: number[] = [];
  let dialsOutsideWindow = 0;
  const outsideExamples: string[] = [];
  let redials = 0;

  const listener: DialerLinesListener = {
    dialed(task, t, call) {
      const policyId = policyOfJob[Number(task.jobId) - 1]!;
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
      let zones = zonesOfPolicy[policyId];
      if (zones === undefined) {
        const texts = zoneTexts(record.policy.gmtZone);
        zones = { zones: texts.map(zoneOf), texts, label: texts.join(' & ') };
        zonesOfPolicy[policyId] = zones;
      }
      const job = Number(task.jobId) - 1;
      ruleWatch.dial(job, task.phone, zones.zones, zones.texts, t);
      const row = localHours.rowId(
        ruleWatch.places[ruleWatch.placeOf(job)]!,
        zones.label,
        ruleWatch.isRuled(job),
      );
      localHours.dial(row, wallClock(zones.zones[0]!, t).hour);
      if (regionOfPolicy[policyId] === undefined) {
        // Charts place a number of several zones in its first.
        const first = zones.texts[0]!;
        const zoneId = parseGmtZone(first).id;
        regionOfPolicy[policyId] = metrics.regionId(regionOfZone(first) ?? zoneId);
        metrics.zone(zoneId);
      }
      metrics.dial(t, regionOfPolicy[policyId]!, t - task.readyAt, call.outcome, call.durationMs);
      log?.write(task.jobId, task.phone, task.attempt, t, call.outcome, record.json);
    },
    redialed(childId, parent, params) {
      const parentJob = Number(parent.jobId) - 1;
      const zone = policies.records[policyOfJob[parentJob]!]!.policy.gmtZone;
      addJob(childId, params, parent.phone, zone, parentJob);
      redials++;
    },
  };
  const groups: readonly LineGroup[] =
    options.lineGroups === undefined
      ? [new DialerLines(campaign, lines, new OutcomeModel(outcomeRandom(seed, 0), options.rates), listener)]
      : await options.lineGroups({ lines, seed, listener, ...(options.rates && { rates: options.rates }) });

  // One group (all lines in this process) is moved directly; several, in parallel at each step.
  const single = groups.length === 1 ? groups[0] : undefined;
  let nextSampleMs = startMs;
  for (;;) {
    if (single !== undefined) {
      if (single.nextEndMs <= t) await single.report(t);
      if (single.freeLines > 0) await single.dial(t);
    } else {
      await Promise.all(groups.filter((g) => g.nextEndMs <= t).map((g) => g.report(t)));
      await dialAll(groups, t);
    }
    if (t >= nextSampleMs) {
      // Bring the campaign to `t` even when no call touched it, then read its counts.
      await campaign.nextReadyAt(t);
      metrics.sample(t, await campaign.stats());
      onProgress?.({ phase: 'calling', done: t - startMs, total: endMs - startMs, dials: metrics.dials });
      nextSampleMs += sampleEveryMs;
    }
    let nextMs = Math.min(nextSampleMs, nextEndMs(groups));
    if (hasFreeLine(groups)) {
      let readyMs = (await campaign.nextReadyAt(t)) ?? Number.POSITIVE_INFINITY;
      // Lines in several processes: a job that one was leasing when another asked is served now.
      while (readyMs <= t && single === undefined && (await dialAll(groups, t)) > 0) {
        nextMs = Math.min(nextMs, nextEndMs(groups));
        readyMs = hasFreeLine(groups)
          ? ((await campaign.nextReadyAt(t)) ?? Number.POSITIVE_INFINITY)
          : Number.POSITIVE_INFINITY;
      }
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
  let lateReports = 0;
  for (const totals of await Promise.all(groups.map((g) => g.close()))) {
    lateReports += totals.lateReports;
    leaseRecoveries += totals.leaseRecoveries;
  }
  await campaign.nextReadyAt(endMs);
  const final = await campaign.stats();
  const attempts = await attemptsPerNumber(campaign, final.total);
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
    ruleFigures: ruleWatch.figures(),
    waitP50Ms: waits.p50,
    waitP95Ms: waits.p95,
    lineUtilisation: metrics.utilisation(),
    averageDialsPerHour: metrics.averageDialsPerHour(),
    peakDialsPerHour: metrics.peakDialsPerHour(),
    wallMs: performance.now() - wallStartMs,
    series: metrics.series(attempts.histogram, localHours.rows()),
  };
}

/** Dials on every group with a free line at `atMs`, all at once; resolves to the number of dials. */
async function dialAll(groups: readonly LineGroup[], atMs: number): Promise<number> {
  const dials = await Promise.all(groups.filter((g) => g.freeLines > 0).map((g) => g.dial(atMs)));
  return dials.reduce((sum, n) => sum + n, 0);
}

function hasFreeLine(groups: readonly LineGroup[]): boolean {
  return groups.some((g) => g.freeLines > 0);
}

/** The earliest end of a call in progress over all groups; `Infinity` when no line holds a call. */
function nextEndMs(groups: readonly LineGroup[]): number {
  let endMs = Number.POSITIVE_INFINITY;
  for (const group of groups) endMs = Math.min(endMs, group.nextEndMs);
  return endMs;
}

/** Jobs read at once by {@link attemptsPerNumber}: a database backend answers them in parallel. */
const JOBS_PER_READ = 64;

/** Dials per phone over all its jobs, as a histogram, and the number of distinct phones. */
async function attemptsPerNumber(
  campaign: AsyncCampaign,
  jobs: number,
): Promise<{ histogram: number[]; phones: number }> {
  const byPhone = new Map<string, number>();
  for (let first = 1; first <= jobs; first += JOBS_PER_READ) {
    const ids = Array.from({ length: Math.min(JOBS_PER_READ, jobs - first + 1) }, (_, k) =>
      String(first + k),
    );
    for (const job of await Promise.all(ids.map((id) => campaign.job(id)))) {
      byPhone.set(job!.phone, (byPhone.get(job!.phone) ?? 0) + job!.attempts);
    }
  }
  const histogram: number[] = [];
  for (const attempts of byPhone.values()) {
    while (histogram.length <= attempts) histogram.push(0);
    histogram[attempts]!++;
  }
  return { histogram, phones: byPhone.size };
}
