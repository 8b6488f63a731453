/**
 * Spec section 13, Time and one line per phone: a `next` at an earlier instant that runs while another
 * process reports the phone's attempt at a later one either finds the line taken or acts at the
 * report's instant, never serving the phone at an instant before its previous attempt ended.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';

const T0 = Date.parse('2024-03-04T12:00:00Z');
const ROUNDS = 30;

describe('PostgresCampaign next racing a report of the same phone (§13)', () => {
  const db = useTestDatabase('serve_report_race');

  it('never starts an attempt of a phone before the instant its previous attempt ended', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const early: number[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const name = `race-${round}`;
        const a = await PostgresCampaign.open({ connectionString: db.url, name, poolSize: 1 });
        const b = await PostgresCampaign.open({ connectionString: db.url, name, poolSize: 1 });
        try {
          await a.addPhones(
            [
              { phone: '+442071234567', dialerPriority: 1 },
              { phone: '+442071234567', dialerPriority: 2, payload: { second: true } },
            ],
            { now: T0 },
          );
          const first = await a.next(T0 + 100);
          // b's first `next` on its connection runs while a reports the first attempt at a later instant.
          const [, second] = await Promise.all([a.complete(first!, T0 + 200), b.next(T0 + 150)]);
          if (second === undefined) continue;
          const started = await pool.query<{ attempt_started_at: number }>(
            `SELECT j.attempt_started_at FROM dialer_scheduler.jobs j
            JOIN dialer_scheduler.campaigns c ON c.id = j.campaign_id WHERE c.name = $1 AND j.state = 2`,
            [name],
          );
          if (started.rows[0]!.attempt_started_at < T0 + 200) early.push(round);
        } finally {
          await a.close();
          await b.close();
        }
      }
    } finally {
      await pool.end();
    }
    expect(early).toEqual([]);
  }, 120_000);
});
