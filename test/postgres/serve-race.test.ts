/**
 * A serve reads the campaign's time, then looks for a job whose phone is free. A report another
 * process commits between the two frees the phone at the report's instant: the serve must not start
 * the phone's next call before it (spec section 5: one line per phone; section 13: time never runs
 * backwards). The race is made certain by ending the call (as a report writes it) from another
 * connection at the moment in between: in `serve_next` while its search waits for a lock on the
 * phones table that connection holds, in a transaction's serve just before its search.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPLETED } from '../../src/engine/job-state.js';
import type { CallTask } from '../../src/index.js';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';

const T0 = Date.parse('2024-03-04T08:00:00Z');
const S = 'dialer_scheduler';
const PHONE = '+442071234567';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/**
 * Ends the call of `task` at `endedAtMs` as a report writes it, on `client` (in its transaction, if
 * one is open): the job completed, its phone's line freed, its call-log row, the instant stored.
 */
async function endCall(client: pg.ClientBase, cid: string, task: CallTask, endedAtMs: number): Promise<void> {
  const job = (
    await client.query(
      `UPDATE ${S}.jobs SET state = ${COMPLETED}, ended_at = $3 WHERE campaign_id = $1 AND id = $2
      RETURNING phone_id, attempt_started_at, lease_token`,
      [cid, task.jobId, endedAtMs],
    )
  ).rows[0];
  await client.query(`UPDATE ${S}.phones SET dialing_job = NULL WHERE id = $1`, [job.phone_id]);
  await client.query(
    `INSERT INTO ${S}.call_log (campaign_id, job_id, attempt, phone, started_at_ms, ended_at_ms, outcome, lease_token)
    VALUES ($1, $2, $3, $4, $5, $6, 'completed', $7)`,
    [cid, task.jobId, task.attempt, task.phone, job.attempt_started_at, endedAtMs, job.lease_token],
  );
  await client.query(`SELECT ${S}.store_instant($1, $2)`, [cid, endedAtMs]);
}

/** The start of job `jobId`'s latest attempt. */
async function startOf(client: pg.ClientBase, cid: string, jobId: string): Promise<number> {
  const { rows } = await client.query(
    `SELECT attempt_started_at FROM ${S}.jobs WHERE campaign_id = $1 AND id = $2`,
    [cid, jobId],
  );
  return rows[0].attempt_started_at;
}

describe('a serve while another process ends a call on the same phone (§5, §13)', () => {
  const db = useTestDatabase('serve-race');

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => {});
    await client.connect();
    cleanups.push(() => client.end());
    return client;
  }

  async function campaignIdOf(client: pg.ClientBase, name: string): Promise<string> {
    return (await client.query(`SELECT id FROM ${S}.campaigns WHERE name = $1`, [name])).rows[0].id;
  }

  it('serves at once no earlier than the end of the call that freed the phone', async () => {
    const name = 'at-once';
    const a = await PostgresCampaign.open({ connectionString: db.url, name, poolSize: 1 });
    cleanups.push(() => a.close());
    const b = await PostgresCampaign.open({ connectionString: db.url, name, poolSize: 1 });
    cleanups.push(() => b.close());
    const { jobIds } = await a.addPhones(
      [
        { phone: PHONE, payload: { n: 1 } },
        { phone: PHONE, payload: { n: 2 } },
      ],
      { now: T0 },
    );
    const first = (await a.next(T0))!;
    expect(first.jobId).toBe(jobIds[0]);

    const racer = await connect();
    const cid = await campaignIdOf(racer, name);
    await racer.query('BEGIN');
    await racer.query(`LOCK TABLE ${S}.phones IN EXCLUSIVE MODE`);
    // B's next at T0 + 1 s reads the campaign's time (T0), then its search waits for the phones table.
    const serving = b.next(T0 + 1_000);
    const waiting = async () =>
      (
        await racer.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = '${S}.phones'::regclass`,
        )
      ).rows[0].n > 0;
    while (!(await waiting())) {
      // Each check is a round trip to the server; B's call reaches the lock within a few.
    }
    const endedAtMs = T0 + 30_000;
    await endCall(racer, cid, first, endedAtMs);
    await racer.query('COMMIT');

    const second = await serving;
    expect(second?.jobId).toBe(jobIds[1]);
    expect(await startOf(racer, cid, second!.jobId)).toBeGreaterThanOrEqual(endedAtMs);
    expect(await b.latestMs()).toBe(endedAtMs);
  });

  it('serves in a transaction no earlier than the end of the call that freed the phone', async () => {
    const name = 'in-transaction';
    const options = { name, leaseTimeoutMs: 60_000, defaults: { retryIntervalInMinutes: 60 } };
    const a = await PostgresCampaign.open({ connectionString: db.url, poolSize: 1, ...options });
    cleanups.push(() => a.close());
    const poolB = new pg.Pool({ connectionString: db.url, max: 1 });
    poolB.on('error', () => {});
    cleanups.push(() => poolB.end());
    const b = await PostgresCampaign.open({ pool: poolB, ...options });
    cleanups.push(() => b.close());
    // A lease due to expire first (another phone), then the call on the phone of two jobs.
    await a.addPhones([{ phone: '+442071234500' }], { now: T0 });
    expect(await a.next(T0)).toBeDefined();
    const { jobIds } = await a.addPhones(
      [
        { phone: PHONE, payload: { n: 1 } },
        { phone: PHONE, payload: { n: 2 } },
      ],
      { now: T0 + 10_000 },
    );
    const first = (await a.next(T0 + 10_000))!;
    expect(first.jobId).toBe(jobIds[0]);

    const racer = await connect();
    const cid = await campaignIdOf(racer, name);
    const endedAtMs = T0 + 68_000;
    // B's next at T0 + 65 s expires the first lease, which takes a transaction; just before it looks
    // for a job to serve, the call on the phone ends at T0 + 68 s.
    let injected = false;
    poolB.on('acquire', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
        const arg = args[0];
        const text = typeof arg === 'object' && arg !== null ? (arg as { text: string }).text : String(arg);
        if (
          !injected &&
          text.includes('SKIP LOCKED') &&
          !text.includes('LATERAL') &&
          !text.includes('serve_next')
        ) {
          injected = true;
          await endCall(racer, cid, first, endedAtMs);
        }
        return query(...args);
      };
    });
    const second = await b.next(T0 + 65_000);
    expect(injected).toBe(true);
    expect(second?.jobId).toBe(jobIds[1]);
    expect(await startOf(racer, cid, second!.jobId)).toBeGreaterThanOrEqual(endedAtMs);
    expect(await b.latestMs()).toBe(endedAtMs);
  });
});
