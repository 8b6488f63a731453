/**
 * Spec section 13, Time: the campaign's latest instant is stored, and time never runs backwards across
 * processes. A serve stores its instant in its lease alone (the lease's start); the call that ends the
 * lease stores its own instant, even when it is the lease's start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';
import { withClient } from './server.js';

const T0 = Date.parse('2024-03-04T12:00:00Z');
const opened: PostgresCampaign[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((campaign) => campaign.close()));
});

describe('PostgresCampaign time across processes (§13)', () => {
  const db = useTestDatabase('clock');

  async function twoProcesses(name: string): Promise<[PostgresCampaign, PostgresCampaign]> {
    const a = await PostgresCampaign.open({ connectionString: db.url, name, poolSize: 1 });
    opened.push(a);
    const b = await PostgresCampaign.open({ connectionString: db.url, name, poolSize: 1 });
    opened.push(b);
    return [a, b];
  }

  it('gives a later call of another process the instant of a serve, before and after its report', async () => {
    const [a, b] = await twoProcesses('serve-then-report');
    await a.addPhones([{ phone: '+442071234567' }, { phone: '+442071234568' }], { now: T0 });
    const task = await a.next(T0 + 100);
    expect(task?.attempt).toBe(1);
    expect(await b.latestMs()).toBe(T0 + 100);
    // A call with an earlier `now` acts at the campaign's time, T0 + 100.
    const second = await b.next(T0 + 50);
    expect(second?.attempt).toBe(1);
    expect(await a.latestMs()).toBe(T0 + 100);
    // The report at the serve's own instant ends the lease that carried it; the time stays.
    await a.complete(task!, T0 + 100);
    await b.complete(second!, T0 + 100);
    expect(await a.latestMs()).toBe(T0 + 100);
    expect(await b.latestMs()).toBe(T0 + 100);
    expect(await b.next(T0 + 10)).toBeUndefined();
    expect(await a.latestMs()).toBe(T0 + 100);
  });

  it('keeps the instant of a serve whose lease expires', async () => {
    const name = 'serve-then-expiry';
    const a = await PostgresCampaign.open({
      connectionString: db.url,
      name,
      poolSize: 1,
      leaseTimeoutMs: 1_000,
    });
    opened.push(a);
    await a.addPhones([{ phone: '+442071234567', retryIntervalInMinutes: 1 }], { now: T0 });
    await a.next(T0 + 500);
    expect(await a.latestMs()).toBe(T0 + 500);
    // The lease expires at T0 + 1500; a call at that instant ends it and keeps the time it acts at.
    expect(await a.next(T0 + 1_500)).toBeUndefined();
    expect(await a.latestMs()).toBe(T0 + 1_500);
    expect(await a.next(T0)).toBeUndefined();
    expect(await a.latestMs()).toBe(T0 + 1_500);
  });

  it('stores the instant of a call that serves nothing, on the connection of each process', async () => {
    const [a, b] = await twoProcesses('nothing-served');
    expect(await a.next(T0 + 5)).toBeUndefined();
    expect(await b.latestMs()).toBe(T0 + 5);
    expect(await b.next(T0 + 7)).toBeUndefined();
    expect(await a.next(T0 + 6)).toBeUndefined();
    expect(await a.latestMs()).toBe(T0 + 7);
  });

  it('serves no phone at an instant before the call that freed its line, at once or in a transaction (§5, §13)', async () => {
    const [a] = await twoProcesses('freed-line');
    const later = new Date(T0 + 60_000).toISOString();
    await a.addPhones(
      [
        { phone: '+442071234567', payload: 1 },
        { phone: '+442071234567', payload: 2 },
        { phone: '+442071234599', payload: 3, startDateTime: later },
      ],
      { now: T0 },
    );
    // As a report at T0 + 120 s whose commit another call's earlier reading of the time did not see.
    await withClient(db.url, (client) =>
      client.query(
        `UPDATE dialer_scheduler.phones SET free_at = $1 WHERE digits = '442071234567'
        AND campaign_id = (SELECT id FROM dialer_scheduler.campaigns WHERE name = 'freed-line')`,
        [T0 + 120_000],
      ),
    );
    // Nothing due: one statement.
    expect(await a.next(T0 + 100)).toBeUndefined();
    // The third job's window opens at T0 + 60 s: due work, a transaction, which may serve only that job.
    expect((await a.next(T0 + 60_000))?.payload).toBe(3);
    expect((await a.next(T0 + 120_000))?.payload).toBe(1);
  });
});
