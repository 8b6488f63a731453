/**
 * `completeAndNext` and `failAndNext` on PostgreSQL (spec sections 6 and 13): a report and the next
 * serve in one statement when both can be written at once, else the two calls' own paths. Whichever
 * path runs, the results are the in-memory engine's, call for call.
 */
import fc from 'fast-check';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type CallTask, Campaign, type CampaignOptions } from '../../src/index.js';
import { PostgresCampaign, ReportWrittenError } from '../../src/postgres/index.js';
import { reportCall } from '../oracles/report-call.js';
import { useTestDatabase } from './database.js';

const T0 = Date.parse('2024-03-04T15:00:00Z');
const MINUTE = 60_000;

const pools: pg.Pool[] = [];
const opened: PostgresCampaign[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((campaign) => campaign.close()));
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

/**
 * A pool whose statements are counted (the texts sent, in order); a statement for which `fails` says
 * so is not sent and rejects with that error instead.
 */
function countingPool(
  url: string,
  max = 2,
  fails: (text: string) => Error | undefined = () => undefined,
): { pool: pg.Pool; statements: string[] } {
  const statements: string[] = [];
  const pool = new pg.Pool({ connectionString: url, max });
  // The test database is dropped after the file's tests: a session it ends while its client is still
  // closing emits 'error' on that client, which would otherwise be unhandled.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text: string };
      const text = typeof first === 'string' ? first : first.text;
      statements.push(text);
      const error = fails(text);
      if (error === undefined) return query(...args);
      // pg-pool's own queries (pool.query) pass a callback and wait for it, not for a promise.
      const callback = args.find((arg) => typeof arg === 'function') as ((e: Error) => void) | undefined;
      if (callback === undefined) return Promise.reject(error);
      queueMicrotask(() => callback(error));
      return undefined;
    };
  });
  pools.push(pool);
  return { pool, statements };
}

describe('PostgresCampaign completeAndNext and failAndNext (§6, §13)', () => {
  const db = useTestDatabase('report-and-next');

  it('reports and serves in one statement, and a report it cannot write at once takes the two calls', async () => {
    const { pool, statements } = countingPool(db.url);
    const campaign = await PostgresCampaign.open({ pool, name: 'one-statement' });
    opened.push(campaign);
    await campaign.addPhones(
      ['100', '200', '300', '400', '500'].map((phone) => ({ phone, maxAttempts: 2 })),
      { now: T0 },
    );
    const first = (await campaign.next(T0))!;
    statements.length = 0;
    const second = await campaign.completeAndNext(first, T0 + MINUTE);
    expect(second).toMatchObject({ jobId: '2', attempt: 1 });
    expect(statements).toHaveLength(1);
    statements.length = 0;
    const third = await campaign.failAndNext(second!, T0 + 2 * MINUTE);
    expect(third).toMatchObject({ jobId: '3' });
    expect(statements).toHaveLength(1);

    // Another process moves the campaign's time on: the report at an earlier instant is refused by
    // the statement, which then serves nothing, and acts at the campaign's time, as complete then next
    // does, through the transaction paths.
    const other = await PostgresCampaign.open({ connectionString: db.url, name: 'one-statement' });
    opened.push(other);
    expect(await other.next(T0 + 10 * MINUTE)).toMatchObject({ jobId: '4' });
    statements.length = 0;
    expect(await campaign.completeAndNext(third!, T0 + 3 * MINUTE)).toMatchObject({ jobId: '5' });
    expect(statements.length).toBeGreaterThan(1);
    expect(await campaign.job('3')).toMatchObject({ state: 'completed', attempts: 1 });
    expect(await campaign.latestMs()).toBe(T0 + 10 * MINUTE);
    expect(await campaign.stats()).toMatchObject({ dialing: 2, completed: 2, waiting: 1, ready: 0 });
  });

  it('serves nothing in the statement when the row changed since the serve (cancel, redial) (§6, §7)', async () => {
    const entries = ['100', '200', '300'].map((phone) => ({ phone }));
    for (const change of ['cancel', 'redial'] as const) {
      const memory = new Campaign();
      const database = await PostgresCampaign.open({ connectionString: db.url, name: `changed-${change}` });
      opened.push(database);
      for (const c of [memory, database]) await c.addPhones(entries, { now: T0 });
      const task = memory.next(T0)!;
      expect(await database.next(T0)).toEqual(task);
      if (change === 'cancel') {
        expect(await database.cancel({ jobIds: ['1'] }, T0 + MINUTE)).toEqual(
          memory.cancel({ jobIds: ['1'] }, T0 + MINUTE),
        );
      } else {
        const params = { startDateTime: T0 + 60 * MINUTE };
        expect(await database.redial(task, params, T0 + MINUTE)).toEqual(
          memory.redial(task, params, T0 + MINUTE),
        );
      }
      const now = T0 + 2 * MINUTE;
      expect(await outcome(() => database.completeAndNext(task, now))).toEqual(
        await outcome(() => memory.completeAndNext(task, now)),
      );
      expect(await database.stats()).toEqual(memory.stats());
      expect(await database.unfinishedJobs()).toEqual(memory.unfinishedJobs());
    }
  });

  it('waits for the reported job before it reads or locks the next, so the serve reads the time after the wait (§13)', async () => {
    const { pool } = countingPool(db.url);
    const campaign = await PostgresCampaign.open({ pool, name: 'lock-order', leaseTimeoutMs: 30 * MINUTE });
    const other = await PostgresCampaign.open({ connectionString: db.url, name: 'lock-order' });
    opened.push(campaign, other);
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }, { phone: '300' }], { now: T0 });
    const first = (await campaign.next(T0))!;
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      const { rows } = await holder.query<{ id: string }>(
        'SELECT id FROM dialer_scheduler.campaigns WHERE name = $1',
        ['lock-order'],
      );
      const campaignId = rows[0]!.id;
      // Another transaction holds the reported job's row (as a redial that changes nothing would).
      await holder.query('BEGIN');
      await holder.query(
        'SELECT id FROM dialer_scheduler.jobs WHERE campaign_id = $1 AND id = $2 FOR UPDATE',
        [campaignId, Number(first.jobId)],
      );
      const cycle = campaign.completeAndNext(first, T0 + MINUTE);
      let waiting = false;
      while (!waiting) {
        const { rows: waits } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        waiting = waits[0]!.n > 0;
      }
      // The waiting statement holds no ready job: another process serves the first at a later instant.
      const elsewhere = await other.next(T0 + 10 * MINUTE);
      expect(elsewhere).toMatchObject({ jobId: '2' });
      await holder.query('ROLLBACK');
      // The report's instant is now behind the campaign's time: both calls act at that time.
      const next = await cycle;
      expect(next).toMatchObject({ jobId: '3' });
      expect(await campaign.latestMs()).toBe(T0 + 10 * MINUTE);
      // Served at that time, job 3's lease has not ended a minute later.
      expect(await campaign.next(T0 + 11 * MINUTE)).toBeUndefined();
      expect(await campaign.stats()).toMatchObject({ dialing: 2, completed: 1, exhausted: 0 });
    } finally {
      await holder.end();
    }
  });

  it('says the report stands when the serve after it fails on its own (ReportWrittenError)', async () => {
    let failing = false;
    const broken = Object.assign(new Error('the server went away'), { code: '57P01' });
    const { pool } = countingPool(db.url, 2, (text) =>
      failing && text.includes('serve_next(') ? broken : undefined,
    );
    const campaign = await PostgresCampaign.open({
      pool,
      name: 'report-written',
      leaseTimeoutMs: 30 * MINUTE,
    });
    const other = await PostgresCampaign.open({ connectionString: db.url, name: 'report-written' });
    opened.push(campaign, other);
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }, { phone: '300' }], { now: T0 });
    const task = (await campaign.next(T0))!;
    // The campaign's time moves past the report's instant: the report is written on its own, then the serve.
    expect(await other.next(T0 + 10 * MINUTE)).toMatchObject({ jobId: '2' });
    failing = true;
    const error = await campaign.completeAndNext(task, T0 + MINUTE).catch((thrown: unknown) => thrown);
    failing = false;
    expect(error).toBeInstanceOf(ReportWrittenError);
    expect(error).toMatchObject({ reportWritten: true, code: '57P01', cause: broken });
    expect(await campaign.stats()).toMatchObject({ completed: 1, dialing: 1, ready: 1 });
    // The report is not made again: the call after it is a next.
    expect(await campaign.next(T0 + 10 * MINUTE)).toMatchObject({ jobId: '3' });
  });

  it('says the report stands, with the task it leased, when a listener throws after the one statement', async () => {
    const { pool } = countingPool(db.url);
    const campaign = await PostgresCampaign.open({ pool, name: 'listener-after' });
    opened.push(campaign);
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    const task = (await campaign.next(T0))!;
    const broken = new Error('a listener failed');
    campaign.on('dialing', () => {
      throw broken;
    });
    const error = await campaign.completeAndNext(task, T0 + MINUTE).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ReportWrittenError);
    expect(error).toMatchObject({ cause: broken, task: { jobId: '2', attempt: 1 } });
    expect(await campaign.stats()).toMatchObject({ completed: 1, dialing: 1 });
  });

  it('runs the report and the serve as the two calls when the one statement loses a race, writing nothing of it', async () => {
    let failures = 0;
    const { pool } = countingPool(db.url, 2, (text) => {
      if (!text.includes('report_and_serve(') || failures >= 2) return undefined;
      failures += 1;
      return Object.assign(new Error('lost a race'), { code: failures === 1 ? '40001' : '40P01' });
    });
    const database = await PostgresCampaign.open({ pool, name: 'statement-fails' });
    opened.push(database);
    const memory = new Campaign();
    const entries = ['100', '200', '300'].map((phone) => ({ phone, maxAttempts: 2 }));
    for (const c of [memory, database]) await c.addPhones(entries, { now: T0 });
    let task = memory.next(T0);
    expect(await database.next(T0)).toEqual(task);
    for (const [k, fail] of [false, true, false].entries()) {
      const now = T0 + (k + 1) * MINUTE;
      const expected = fail ? memory.failAndNext(task!, now) : memory.completeAndNext(task!, now);
      expect(await (fail ? database.failAndNext(task!, now) : database.completeAndNext(task!, now))).toEqual(
        expected,
      );
      expect(await database.stats()).toEqual(memory.stats());
      task = expected;
    }
    expect(failures).toBe(2);
  });

  it('rejects with any other failure of the statement, as complete would, having written nothing', async () => {
    let failing = true;
    const broken = Object.assign(new Error('internal error'), { code: 'XX000' });
    const { pool } = countingPool(db.url, 2, (text) =>
      failing && text.includes('report_and_serve(') ? broken : undefined,
    );
    const campaign = await PostgresCampaign.open({ pool, name: 'statement-breaks' });
    opened.push(campaign);
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    const task = (await campaign.next(T0))!;
    await expect(campaign.completeAndNext(task, T0 + MINUTE)).rejects.toBe(broken);
    expect(await campaign.stats()).toMatchObject({ dialing: 1, ready: 1, completed: 0 });
    failing = false;
    await campaign.complete(task, T0 + MINUTE);
    expect(await campaign.job('1')).toMatchObject({ state: 'completed' });
    await expect(
      PostgresCampaign.open({ connectionString: db.url, name: 'x', cycleStatements: 0 }),
    ).rejects.toMatchObject({ issues: [{ code: 'invalid.option', path: ['cycleStatements'] }] });
  });

  it.each([
    { lost: 0, label: 'every statement written' },
    { lost: 5, label: 'every fifth statement of several calls losing a race' },
  ])(
    'leaves no job leased when four loops of completeAndNext drain a campaign at once: $label (§13)',
    async ({ lost }) => {
      let batches = 0;
      let lostRaces = 0;
      const { pool, statements } = countingPool(db.url, 4, (text) => {
        if (lost === 0 || !text.includes('UNION ALL') || !text.includes('report_and_serve('))
          return undefined;
        batches += 1;
        if (batches % lost !== 0) return undefined;
        lostRaces += 1;
        return Object.assign(new Error('deadlock detected'), { code: '40P01' });
      });
      const campaign = await PostgresCampaign.open({ pool, name: `four-loops-${lost}` });
      opened.push(campaign);
      const jobs = 400;
      await campaign.addPhones(
        Array.from({ length: jobs }, (_, k) => ({ phone: String(16500000000 + k) })),
        { now: T0 },
      );
      // One instant per call, shared and increasing, so that reports sometimes find a later lease.
      let now = T0;
      const tick = () => {
        now += 1;
        return now;
      };
      const served: string[] = [];
      const loop = async () => {
        let task = await campaign.next(tick());
        while (task !== undefined) {
          served.push(task.jobId);
          task = await campaign.completeAndNext(task, tick());
        }
      };
      statements.length = 0;
      await Promise.all([loop(), loop(), loop(), loop()]);
      const oneStatement = statements.filter((text) => text.includes('report_and_serve(')).length;
      // Statements of two calls or more (a UNION ALL of their branches).
      const batched = statements.filter((text) => text.includes('UNION ALL')).length;
      const stats = await campaign.stats();
      console.log(
        `four loops: ${served.length} tasks served, ${new Set(served).size} distinct, ${stats.dialing} left dialing, ` +
          `${oneStatement} one-statement calls sent, ${batched} of them for two calls or more, ${lostRaces} made to lose a race`,
      );
      expect(new Set(served).size).toBe(jobs);
      expect(served).toHaveLength(jobs);
      expect(stats).toMatchObject({ dialing: 0, completed: jobs });
      expect(batched).toBeGreaterThan(0);
      if (lost > 0) expect(lostRaces).toBeGreaterThan(0);
    },
  );

  it('gives the in-memory results whichever path a report and serve take (§13)', async () => {
    let run = 0;
    const counts = { calls: 0, served: 0, oneStatement: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          phones: fc.integer({ min: 1, max: 6 }),
          jobsPerPhone: fc.integer({ min: 1, max: 3 }),
          maxTotalAttempts: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
          capped: fc.boolean(),
          steps: fc.array(
            fc.record({
              fail: fc.boolean(),
              thenNext: fc.boolean(),
              minutes: fc.oneof(
                fc.constant(0),
                fc.integer({ min: 1, max: 30 }),
                fc.integer({ min: 31, max: 120 }),
              ),
              retry: fc.option(fc.constantFrom(1, 30), { nil: undefined }),
            }),
            { minLength: 5, maxLength: 40 },
          ),
        }),
        async (scenario) => {
          run += 1;
          const options: CampaignOptions = {
            defaults: { maxAttempts: 3, retryIntervalInMinutes: 20 },
            ...(scenario.maxTotalAttempts === undefined
              ? {}
              : { maxTotalAttempts: scenario.maxTotalAttempts }),
            ...(scenario.capped ? { rules: [{ name: 'two a day', maxAttemptsPer24h: 2 }] } : {}),
          };
          const memory = new Campaign(options);
          const { pool, statements } = countingPool(db.url);
          const database = await PostgresCampaign.open({ pool, name: `run-${run}`, ...options });
          opened.push(database);
          const entries = Array.from({ length: scenario.phones * scenario.jobsPerPhone }, (_, k) => ({
            phone: `+1202555${String(1000 + (k % scenario.phones))}`,
            payload: { k },
          }));
          expect(await database.addPhones(entries, { now: T0 })).toEqual(
            memory.addPhones(entries, { now: T0 }),
          );
          let now = T0;
          const lines: (CallTask | undefined)[] = [memory.next(now), memory.next(now)];
          expect([await database.next(now), await database.next(now)]).toEqual(lines);
          for (const [k, step] of scenario.steps.entries()) {
            now += step.minutes * MINUTE;
            const line = k % 2;
            const task = lines[line];
            counts.calls += 1;
            if (task === undefined) {
              const next = memory.next(now);
              expect(await database.next(now)).toEqual(next);
              lines[line] = next;
              continue;
            }
            const call = async (c: Campaign | PostgresCampaign) => reportCall(c, task, now, step);
            const expected = await outcome(() => call(memory));
            statements.length = 0;
            expect(await outcome(() => call(database))).toEqual(expected);
            lines[line] = step.thenNext ? (expected.value as CallTask | undefined) : undefined;
            if (lines[line] !== undefined) counts.served += 1;
            if (step.thenNext && statements.length === 1) counts.oneStatement += 1;
            expect(await database.stats()).toEqual(memory.stats());
          }
          expect(await database.stats()).toEqual(memory.stats());
          expect(await database.unfinishedJobs()).toEqual(memory.unfinishedJobs());
        },
      ),
      { numRuns: 25 },
    );
    console.log(
      `report-and-next: ${run} runs, ${counts.calls} calls compared, ${counts.served} tasks served by ` +
        `completeAndNext or failAndNext, ${counts.oneStatement} of those calls in one statement`,
    );
    expect(counts.served).toBeGreaterThan(0);
    expect(counts.oneStatement).toBeGreaterThan(0);
  });
});

/** A call's value or its error's issues, to compare across backends. */
async function outcome(call: () => unknown): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await call() };
  } catch (error) {
    return { error: (error as { issues?: unknown }).issues ?? String(error) };
  }
}
