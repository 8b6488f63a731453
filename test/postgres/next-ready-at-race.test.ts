/**
 * `nextReadyAt` reads in several statements; a report another process commits between them must be
 * seen by all of them or by none (spec section 5: `undefined` means no job could ever be served).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';

const T0 = Date.parse('2024-03-04T08:00:00Z');
const HOUR_MS = 3_600_000;

describe('nextReadyAt while another process reports (§5, §13)', () => {
  const db = useTestDatabase('next-ready-at-race');

  it('answers from one state of the campaign, never undefined while a job will be ready', async () => {
    const poolA = new pg.Pool({ connectionString: db.url, max: 2 });
    poolA.on('error', () => {});
    const options = { leaseTimeoutMs: HOUR_MS, defaults: { maxAttempts: 2, retryIntervalInMinutes: 1 } };
    const a = await PostgresCampaign.open({ pool: poolA, name: 'race', ...options });
    const b = await PostgresCampaign.open({ connectionString: db.url, name: 'race' });
    try {
      await a.addPhones([{ phone: '+442071234567' }], { now: T0 });
      const task = (await a.next(T0))!;
      // Process B fails the attempt just before A's read of the jobs being dialed.
      let injected = false;
      poolA.on('acquire', (client) => {
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
          const first = args[0];
          const text =
            typeof first === 'object' && first !== null ? (first as { text: string }).text : String(first);
          if (!injected && text.includes('ORDER BY j.lease_until') && text.includes('j.lease_until < $2')) {
            injected = true;
            await b.fail(task, T0 + 1_000);
          }
          return query(...args);
        };
      });
      const racing = await a.nextReadyAt(T0 + 1_000);
      expect(injected).toBe(true);
      // Before the fail: the retry after the lease deadline; after it: the retry a minute later.
      expect([T0 + HOUR_MS + 60_000, T0 + 61_000]).toContain(racing);
      expect(await a.nextReadyAt(T0 + 1_000)).toBe(T0 + 61_000);
    } finally {
      await a.close();
      await b.close();
      await poolA.end();
    }
  });
});
