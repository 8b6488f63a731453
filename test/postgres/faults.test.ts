/**
 * Spec section 13's guarantees under real faults: four dialer processes (`fixtures/dialer-worker.ts`)
 * serve one campaign of 3,000 jobs (three jobs a phone, up to three attempts, a two-minute lease) on
 * virtual time until every job is final, while a worker is SIGKILLed holding a lease, or the database
 * server stops and starts again. Afterwards the rows and the workers' logs are checked: no job leased
 * to two callers, no report applied twice, no phone on two calls, every job in one final state, one
 * call-log row per attempt, no half-applied call (also sampled during the run). Each count is printed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';
import {
  checkRun,
  guaranteeCounts,
  NO_VIOLATIONS,
  type RunCounts,
  type SampleCounts,
  sampleInvariants,
} from './fixtures/fault-checks.js';
import { writeEvidence } from './fixtures/fault-evidence.js';
import { type FleetHooks, WorkerFleet } from './fixtures/worker-fleet.js';
import { type PostgresServer, startPostgres, withClient } from './server.js';

const T0 = Date.parse('2024-03-04T08:00:00Z');
const MINUTE = 60_000;
const LEASE_MS = 2 * MINUTE;
const STEP_MS = 10_000;
const WORKERS = 4;
const JOBS = 3_000;
const PHONES = 1_000;
const MAX_ATTEMPTS = 3;

/** Things a test opened, closed after it whatever happened. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** The campaign's entries: job `i` on phone `i mod PHONES`, priorities 1..5, one in ten with a finish date. */
function entries(): unknown[] {
  return Array.from({ length: JOBS }, (_, i) => ({
    phone: `+4420${String(7_000_000 + (i % PHONES))}`,
    payload: { n: i },
    dialerPriority: 1 + (i % 5),
    ...(i % 10 === 3 ? { finishDateTime: T0 + 30 * MINUTE } : {}),
  }));
}

interface Scenario {
  readonly label: string;
  readonly url: string;
  readonly seed: number;
  /** The task at which the second worker stops to hold its lease, for a kill (0: never). */
  readonly holdAtTask: number;
  /**
   * Hooks of the run, given the fleet, the parent's campaign, and the run's context (what the hooks
   * did when, kept with the evidence of a failure).
   */
  readonly hooks: (
    fleet: WorkerFleet,
    campaign: PostgresCampaign,
    context: Record<string, unknown>,
  ) => FleetHooks;
}

interface Outcome {
  readonly counts: RunCounts;
  readonly fleet: WorkerFleet;
  readonly campaign: PostgresCampaign;
}

/** Creates the campaign, runs the workers to the end with the scenario's faults, checks and prints the counts. */
async function runScenario(
  scenario: Scenario,
  faults: { kills: number; restarts: number },
): Promise<Outcome> {
  const name = `faults-${scenario.label}`;
  const campaign = await PostgresCampaign.open({
    connectionString: scenario.url,
    name,
    poolSize: 4,
    leaseTimeoutMs: LEASE_MS,
    defaults: { maxAttempts: MAX_ATTEMPTS, retryIntervalInMinutes: 1 },
  });
  cleanups.push(() => campaign.close());
  const { jobIds, duplicates } = await campaign.addPhones(entries(), { now: T0 });
  expect(duplicates).toEqual([]);
  const logDir = await mkdtemp(join(tmpdir(), 'dialer-faults-'));
  cleanups.push(() => rm(logDir, { recursive: true, force: true }));
  const fleet = new WorkerFleet({
    url: scenario.url,
    name,
    seed: scenario.seed,
    startMs: T0,
    stepMs: STEP_MS,
    leaseTimeoutMs: LEASE_MS,
    logDir,
    campaign,
  });
  cleanups.push(() => fleet.killAll());
  const samples: SampleCounts[] = [];
  const context: Record<string, unknown> = { seed: scenario.seed };
  const hooks = scenario.hooks(fleet, campaign, context);
  await Promise.all(
    Array.from({ length: WORKERS }, (_, k) => fleet.spawn(k === 1 ? scenario.holdAtTask : 0)),
  );
  await fleet.run({
    ...hooks,
    onProgress: async (tasks) => {
      await hooks.onProgress?.(tasks);
      samples.push(await withClient(scenario.url, (client) => sampleInvariants(client, name)));
    },
  });
  const counts = await withClient(scenario.url, (client) =>
    checkRun(
      client,
      campaign,
      name,
      jobIds.filter((id) => id !== null),
      fleet.logs(),
      samples,
    ),
  );
  const t = counts.totals;
  const say = (what: string, n: number) => console.log(`[${scenario.label}] ${what}: ${n}`);
  say('jobs leased to two callers at once', counts.doubleLeases);
  say('reports applied twice', counts.reportsAppliedTwice);
  say('reports whose end differs from what the worker was told', counts.reportsMisapplied);
  say("attempts started or reported before the caller's now", counts.instantsBeforeNow);
  say('overlapping calls to one phone', counts.overlappingPhoneCalls);
  say('jobs not in exactly one final state', counts.jobsNotOneFinalState);
  say('call-log rows != attempts', counts.callLogOff);
  say('half-applied calls (end and samples)', counts.halfApplied);
  console.log(
    `[${scenario.label}] checked: ${t.jobs} jobs, ${t.attempts} attempts, ${fleet.started} workers, ` +
      `${fleet.kills} kills, ${faults.restarts} restarts; ${t.tasksReceived} tasks received, ${t.reports} reports ` +
      `(${t.reportsRejected} rejected), ${t.lostReports} lost, ${t.leaseExpiries} lease expiries, ` +
      `${t.callErrors} failed calls retried, ${counts.ambiguousCalls} answers lost, ` +
      `${counts.finalEventsLost} final events unheard, ${samples.length} samples`,
  );
  const thenNext = fleet.logs().filter((line) => line.k === 'report' && line.thenNext).length;
  console.log(`[${scenario.label}] reports made with completeAndNext or failAndNext: ${thenNext}`);
  expect(thenNext).toBeGreaterThan(0);
  const eight = guaranteeCounts(counts);
  let message = 'every guarantee';
  if (Object.values(eight).some((n) => n !== 0) || counts.findings.length > 0) {
    const evidence = await withClient(scenario.url, (client) =>
      writeEvidence(client, name, counts, fleet.logs(), context),
    );
    message = `[${scenario.label}] counts off, evidence in ${evidence.path}: ${evidence.summary}`;
    console.log(message);
  }
  expect(t.jobs).toBe(JOBS);
  expect(fleet.kills).toBe(faults.kills);
  expect(eight, message).toEqual(NO_VIOLATIONS);
  // A final event goes unheard only when the answer of the call that made it was lost.
  expect(counts.finalEventsLost).toBeLessThanOrEqual(counts.ambiguousCalls);
  // The outcomes mixed as planned: retries, lost reports left to their leases.
  expect(t.attempts).toBeGreaterThan(JOBS * 1.5);
  expect(t.leaseExpiries).toBeGreaterThan(JOBS / 20);
  return { counts, fleet, campaign };
}

describe('PostgresCampaign with four worker processes under faults', () => {
  const db = useTestDatabase('faults');

  it('keeps every guarantee when a worker is SIGKILLed holding a lease and replaced', async () => {
    let held: { job: string; attempt: number } | undefined;
    const { campaign, counts } = await runScenario(
      {
        label: 'kill',
        url: db.url,
        seed: 1,
        holdAtTask: 150,
        hooks: (fleet) => ({
          onHolding: async (workerId, job, attempt) => {
            held = { job, attempt };
            await fleet.kill(workerId);
            await fleet.spawn();
          },
        }),
      },
      { kills: 1, restarts: 0 },
    );
    expect(held).toBeDefined();
    // The killed worker's lease expired: that attempt counted as failed, and the job went on or ended.
    const row = await withClient(db.url, (client) =>
      client.query<{ outcome: string; ended_at_ms: number; started_at_ms: number }>(
        `SELECT outcome, ended_at_ms, started_at_ms FROM dialer_scheduler.call_log WHERE job_id = $1 AND attempt = $2
        AND campaign_id = (SELECT id FROM dialer_scheduler.campaigns WHERE name = 'faults-kill')`,
        [held!.job, held!.attempt],
      ),
    );
    expect(row.rows[0]).toMatchObject({ outcome: 'leaseExpired' });
    expect(row.rows[0]!.ended_at_ms - row.rows[0]!.started_at_ms).toBe(LEASE_MS);
    // Dialed again, else ended: no attempts left, or none allowed before its finish date.
    const view = await campaign.job(held!.job);
    if (view?.attempts === held!.attempt)
      expect(view.state).toBe(held!.attempt === MAX_ATTEMPTS ? 'exhausted' : 'expired');
    else expect(view?.attempts).toBeGreaterThan(held!.attempt);
    expect(counts.ambiguousCalls, `failed calls: ${counts.totals.callErrorCodes.join(', ')}`).toBe(0);
    expect(counts.finalEventsLost).toBe(0);
  });

  it('keeps every guarantee when the database server stops mid-run and starts again', async () => {
    const server: PostgresServer = await startPostgres();
    cleanups.push(() => server.close());
    let restarts = 0;
    const { fleet } = await runScenario(
      {
        label: 'restart',
        url: server.url,
        seed: 2,
        holdAtTask: 0,
        hooks: (fleet, campaign, context) => ({
          onProgress: async (tasks) => {
            if (restarts > 0 || tasks < JOBS / 2) return;
            restarts++;
            const wallMs: Record<string, number> = { stopping: Date.now() };
            const restart = { tasks, latestMs: await campaign.latestMs(), busy: fleet.busy, wallMs };
            context.restart = restart;
            const failed = fleet.untilEachFails(fleet.busy);
            await server.stop();
            wallMs.stopped = Date.now();
            // While it is down, calls reject, and the workers keep trying.
            await expect(campaign.next(T0)).rejects.toThrow();
            await expect(campaign.stats()).rejects.toThrow();
            await failed;
            await server.start();
            wallMs.started = Date.now();
          },
        }),
      },
      { kills: 0, restarts: 1 },
    );
    expect(restarts).toBe(1);
    const errors = fleet.logs().filter((line) => line.k === 'error');
    expect(errors.length).toBeGreaterThan(0);
  });
});
