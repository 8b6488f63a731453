/**
 * A call whose database session the server ends (as a restart or `pg_terminate_backend` does) rejects,
 * and the process goes on: the next call runs on a new connection. The session is ended after the
 * campaign has checked its client out and before its first statement, deterministically.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';
import { withClient } from './server.js';

const T0 = Date.parse('2024-03-04T08:00:00Z');

const opened: { end(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((resource) => resource.end().catch(() => {})));
});

/**
 * A pool whose next checked-out client, at its first statement, has its session ended by the server
 * first (the statement then runs on a dead connection).
 */
function poolEndingNextSession(url: string): { pool: pg.Pool; endNext: () => void } {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  opened.push(pool);
  let armed = false;
  pool.on('acquire', (client) => {
    if (!armed) return;
    armed = false;
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
      (client as unknown as { query: unknown }).query = query;
      const { processID: pid, connection } = client as unknown as {
        processID: number;
        connection: { stream: NodeJS.EventEmitter };
      };
      // Heard before the client's own handler, which (without a listener) throws from the event.
      const ended = new Promise((resolve) => connection.stream.prependOnceListener('end', resolve));
      await withClient(url, (admin) => admin.query('SELECT pg_terminate_backend($1)', [pid]));
      await ended;
      return query(...args);
    };
  });
  return { pool, endNext: () => (armed = true) };
}

describe('PostgresCampaign when the server ends a session', () => {
  const db = useTestDatabase('lost-session');

  it('rejects the call in progress and serves the next one on a new connection', async () => {
    const { pool, endNext } = poolEndingNextSession(db.url);
    const campaign = await PostgresCampaign.open({ pool, name: 'lost-session' });
    await campaign.addPhones([{ phone: '+442071234567' }], { now: T0 });

    endNext();
    await expect(campaign.next(T0)).rejects.toThrow();
    const task = await campaign.next(T0);
    expect(task).toMatchObject({ jobId: '1', attempt: 1 });

    endNext();
    await expect(campaign.complete(task!, T0 + 1_000)).rejects.toThrow();
    await campaign.complete(task!, T0 + 1_000);
    expect(await campaign.job('1')).toMatchObject({ state: 'completed', attempts: 1 });
  });
});
