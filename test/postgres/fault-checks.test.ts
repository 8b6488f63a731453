/**
 * The fault tests' checks (`fixtures/fault-checks.ts`) on runs made by hand. A report that comes after
 * another process found its lease expired and served the job again is rejected as stale
 * (`invalid.call.task.state`), and its attempt ends as `leaseExpired`: no report misapplied. A call
 * that ends at the instant it starts, then the next call to its phone at that instant: no overlap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DialerError } from '../../src/index.js';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';
import { checkRun, guaranteeCounts, NO_VIOLATIONS } from './fixtures/fault-checks.js';
import type { LogLine } from './fixtures/fault-log.js';
import { withClient } from './server.js';

const T0 = Date.parse('2024-03-04T08:00:00Z');
const MINUTE = 60_000;
const EVENTS = ['completed', 'exhausted', 'expired', 'cancelled', 'redialed', 'leaseExpired'] as const;

const opened: PostgresCampaign[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((campaign) => campaign.close()));
});

describe("the fault tests' checks", () => {
  const db = useTestDatabase('fault-checks');

  /**
   * Worker 1 is served the job's attempt 1 and reports it failed after worker 2 has found the lease
   * expired and been served attempt 2, which it completes. Returns the logs as the workers write them.
   */
  async function staleReport(
    name: string,
  ): Promise<{ campaign: PostgresCampaign; jobIds: string[]; logs: LogLine[] }> {
    const options = {
      connectionString: db.url,
      name,
      poolSize: 1,
      leaseTimeoutMs: 2 * MINUTE,
      defaults: { maxAttempts: 3, retryIntervalInMinutes: 1 },
    };
    const one = await PostgresCampaign.open(options);
    opened.push(one);
    const two = await PostgresCampaign.open(options);
    opened.push(two);
    const logs: LogLine[] = [];
    for (const [w, campaign] of [one, two].entries()) {
      for (const type of EVENTS)
        campaign.on(type, (event) =>
          logs.push({
            k: 'event',
            w: w + 1,
            type,
            job: event.jobId,
            attempt: event.attempt,
            atMs: event.atMs,
          }),
        );
    }
    const { jobIds } = await one.addPhones([{ phone: '+442071234567' }], { now: T0 });
    const first = (await one.next(T0 + 10_000))!;
    logs.push({ k: 'task', w: 1, job: first.jobId, attempt: 1, phone: first.phone, at: T0 + 10_000 });
    const second = (await two.next(T0 + 10 * MINUTE))!;
    expect(second.attempt).toBe(2);
    logs.push({ k: 'task', w: 2, job: second.jobId, attempt: 2, phone: second.phone, at: T0 + 10 * MINUTE });
    const rejected = await one.fail(first, T0 + 15_000).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(DialerError);
    const code = (rejected as DialerError).issues[0]?.code;
    expect(code).toBe('invalid.call.task.state');
    logs.push({
      k: 'report',
      w: 1,
      job: first.jobId,
      attempt: 1,
      outcome: 'fail',
      at: T0 + 15_000,
      result: code!,
      ambiguous: false,
      thenNext: false,
    });
    await two.complete(second, T0 + 10 * MINUTE + 5_000);
    logs.push({
      k: 'report',
      w: 2,
      job: second.jobId,
      attempt: 2,
      outcome: 'complete',
      at: T0 + 10 * MINUTE + 5_000,
      result: 'ok',
      ambiguous: false,
      thenNext: false,
    });
    return { campaign: one, jobIds: jobIds.filter((id) => id !== null), logs };
  }

  it('counts a report rejected as stale, its lease expired and its job served again, as not misapplied', async () => {
    const { campaign, jobIds, logs } = await staleReport('stale');
    const counts = await withClient(db.url, (client) =>
      checkRun(client, campaign, 'stale', jobIds, logs, []),
    );
    expect(guaranteeCounts(counts)).toEqual(NO_VIOLATIONS);
    // The same after a try whose answer was lost: the attempt ended by its lease, or by that try.
    const lost = logs.map((line) =>
      line.k === 'report' && line.w === 1 ? { ...line, ambiguous: true } : line,
    );
    const again = await withClient(db.url, (client) => checkRun(client, campaign, 'stale', jobIds, lost, []));
    expect(guaranteeCounts(again)).toEqual(NO_VIOLATIONS);
  });

  it('counts no overlap for a call that ends as it starts and the next call to its phone at that instant', async () => {
    const name = 'touching';
    const campaign = await PostgresCampaign.open({ connectionString: db.url, name, poolSize: 1 });
    opened.push(campaign);
    const logs: LogLine[] = [];
    for (const type of EVENTS)
      campaign.on(type, (event) =>
        logs.push({ k: 'event', w: 1, type, job: event.jobId, attempt: event.attempt, atMs: event.atMs }),
      );
    // The job added second is served first, so the call log lists the longer call first.
    const { jobIds } = await campaign.addPhones(
      [
        { phone: '+442071234567', dialerPriority: 2, payload: { n: 1 } },
        { phone: '+442071234567', dialerPriority: 1, payload: { n: 2 } },
      ],
      { now: T0 },
    );
    for (const [atMs, endMs] of [
      [T0, T0],
      [T0, T0 + 5_000],
    ] as const) {
      const task = (await campaign.next(atMs))!;
      logs.push({ k: 'task', w: 1, job: task.jobId, attempt: 1, phone: task.phone, at: atMs });
      await campaign.complete(task, endMs);
      logs.push({
        k: 'report',
        w: 1,
        job: task.jobId,
        attempt: 1,
        outcome: 'complete',
        at: endMs,
        result: 'ok',
        ambiguous: false,
        thenNext: false,
      });
    }
    expect(logs.filter((line) => line.k === 'task').map((line) => line.job)).toEqual([jobIds[1], jobIds[0]]);
    const ids = jobIds.filter((id) => id !== null);
    const counts = await withClient(db.url, (client) => checkRun(client, campaign, name, ids, logs, []));
    expect(guaranteeCounts(counts)).toEqual(NO_VIOLATIONS);
  });

  it('still counts a report acknowledged but not applied', async () => {
    const { campaign, jobIds, logs } = await staleReport('acknowledged');
    const told = logs.map((line) => (line.k === 'report' && line.w === 1 ? { ...line, result: 'ok' } : line));
    const counts = await withClient(db.url, (client) =>
      checkRun(client, campaign, 'acknowledged', jobIds, told, []),
    );
    expect(counts.reportsMisapplied).toBe(1);
    expect(counts.findings).toContainEqual(
      expect.objectContaining({ check: 'reportsMisapplied', job: jobIds[0], attempt: 1 }),
    );
  });
});
