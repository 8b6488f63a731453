/**
 * `maxAttemptsPer24h` kept by the database (spec sections 12 and 13): processes serving one campaign at
 * once never start more attempts to a phone than its cap in 24 hours, and the rules are stored with the
 * campaign.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type CallTask, DialerError } from '../../src/index.js';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';

const T0 = Date.parse('2024-03-04T08:00:00Z');
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const rules = [{ name: 'per24h', maxAttemptsPer24h: 2 }];

describe('maxAttemptsPer24h in PostgreSQL (§12, §13)', () => {
  const db = useTestDatabase('per24h');

  it('holds across processes serving at once: at most the cap of starts per phone in 24 hours (§12, §13)', async () => {
    const processes = await Promise.all(
      [1, 2, 3].map(() =>
        PostgresCampaign.open({ connectionString: db.url, name: 'race', rules, poolSize: 2 }),
      ),
    );
    try {
      const phones = ['100', '200'];
      await processes[0]!.addPhones(
        phones.flatMap((phone) => Array.from({ length: 4 }, (_, k) => ({ phone, payload: k }))),
        { now: T0 },
      );
      const served: CallTask[] = [];
      for (let minute = 0; minute < 30; minute++) {
        const now = T0 + minute * MINUTE_MS;
        const tasks = await Promise.all(processes.map((campaign) => campaign.next(now)));
        for (const [k, task] of tasks.entries()) {
          if (task === undefined) continue;
          served.push(task);
          await processes[k]!.complete(task, now);
        }
      }
      for (const phone of phones) expect(served.filter((task) => task.phone === phone)).toHaveLength(2);
      expect(await processes[1]!.nextReadyAt(T0 + 30 * MINUTE_MS)).toBe(T0 + DAY_MS);
    } finally {
      await Promise.all(processes.map((campaign) => campaign.close()));
    }
  });

  it('stores the rules with the campaign: a later open may omit them, not contradict them (§13)', async () => {
    const first = await PostgresCampaign.open({ connectionString: db.url, name: 'stored', rules });
    await first.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }, { phone: '100', payload: 3 }], {
      now: T0,
    });
    await first.complete((await first.next(T0))!, T0);
    await first.close();
    const again = await PostgresCampaign.open({ connectionString: db.url, name: 'stored' });
    try {
      await again.complete((await again.next(T0 + 1))!, T0 + 1);
      expect(await again.next(T0 + 2)).toBeUndefined();
      const contradicting = PostgresCampaign.open({
        connectionString: db.url,
        name: 'stored',
        rules: [{ name: 'per24h', maxAttemptsPer24h: 3 }],
      });
      const error = await contradicting.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DialerError);
      expect((error as DialerError).issues.map((issue) => [issue.code, issue.path])).toEqual([
        ['invalid.option', ['rules']],
      ]);
    } finally {
      await again.close();
    }
  });

  it('serves capped phones in one statement, a phone whose cap is not stored yet learning it in a transaction (§12, §13)', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const campaign = await PostgresCampaign.open({
      pool,
      name: 'learnt',
      // The cap applies to US numbers and to numbers of unknown place (100, 200), not to the UK one.
      rules: [{ name: 'per24h-us', maxAttemptsPer24h: 2, appliesTo: { countries: ['US'] } }],
    });
    try {
      await campaign.addPhones(
        ['100', '200', '+442071234567'].flatMap((phone) => [0, 1, 2].map((k) => ({ phone, payload: k }))),
        { now: T0 },
      );
      const capCounts = async () =>
        (
          await pool.query<{ digits: string; cap_count: number }>(
            'SELECT digits, cap_count FROM dialer_scheduler.phones p JOIN dialer_scheduler.campaigns c ON c.id = p.campaign_id WHERE c.name = $1 ORDER BY digits',
            ['learnt'],
          )
        ).rows;
      // Stored with the new phone rows; phone 200 as a row made before the column (not known yet).
      expect(await capCounts()).toEqual([
        { digits: '100', cap_count: 2 },
        { digits: '200', cap_count: 2 },
        { digits: '442071234567', cap_count: 0 },
      ]);
      await pool.query("UPDATE dialer_scheduler.phones SET cap_count = -1 WHERE digits = '200'");
      const served: string[] = [];
      for (let minute = 0; minute < 10; minute++) {
        const now = T0 + minute * MINUTE_MS;
        const task = await campaign.next(now);
        if (task === undefined) continue;
        served.push(task.phone);
        await campaign.complete(task, now);
      }
      expect(served.sort()).toEqual([
        '100',
        '100',
        '200',
        '200',
        '442071234567',
        '442071234567',
        '442071234567',
      ]);
      expect(await capCounts()).toEqual([
        { digits: '100', cap_count: 2 },
        { digits: '200', cap_count: 2 },
        { digits: '442071234567', cap_count: 0 },
      ]);
      const caps = await pool.query<{ starts: number | null }>(
        `SELECT cardinality(p.recent_starts) AS starts FROM dialer_scheduler.phones p
        JOIN dialer_scheduler.campaigns c ON c.id = p.campaign_id WHERE c.name = $1 ORDER BY p.digits`,
        ['learnt'],
      );
      expect(caps.rows.map((row) => row.starts)).toEqual([2, 2, null]);
      // Each phone's third job goes on 24 hours after its first start.
      expect(await campaign.nextReadyAt(T0 + 10 * MINUTE_MS)).toBe(T0 + DAY_MS);
      const third = await campaign.next(T0 + DAY_MS + MINUTE_MS);
      expect(third?.payload).toBe(2);
    } finally {
      await campaign.close();
      await pool.end();
    }
  });
});
