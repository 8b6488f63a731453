/**
 * Calling rules stored with a PostgreSQL campaign (spec sections 12 and 13): a data option, fixed when
 * the campaign is created, and each schedule row holding its blackout days.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallingRule, DialerError, US_RULES } from '../../src/index.js';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';

/** Thursday 2024-07-04, 10:00 in New York. */
const JULY_4_NY_1000 = Date.parse('2024-07-04T14:00:00Z');
const JULY_4: CallingRule = { name: 'july-4', blackoutDates: ['2024-07-04'] };

describe('calling rules stored with the campaign (§12, §13)', () => {
  const db = useTestDatabase('stored-rules');
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => {});
  });
  afterAll(async () => {
    await pool.end();
  });

  it('keeps the rules for a later open that omits them, and refuses one that contradicts them (§13)', async () => {
    const first = await PostgresCampaign.open({ pool, name: 'kept', rules: [JULY_4] });
    await first.close();
    const again = await PostgresCampaign.open({ pool, name: 'kept' });
    try {
      await again.addPhones([{ phone: '12125550123', gmtZone: 'America/New_York' }], { now: JULY_4_NY_1000 });
      // Blacked out until the local midnight.
      expect((await again.job('1'))?.nextAttemptAt).toBe(Date.parse('2024-07-05T04:00:00Z'));
      expect((await again.snapshot()).options.rules).toEqual([JULY_4]);
    } finally {
      await again.close();
    }
    const same = await PostgresCampaign.open({ pool, name: 'kept', rules: [JULY_4] });
    await same.close();
    let error: unknown;
    try {
      await PostgresCampaign.open({ pool, name: 'kept', rules: [] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DialerError);
    expect((error as DialerError).issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid.option', ['rules']],
    ]);
  });

  it('stores a century of holidays in a schedule row and rebuilds the schedule from it (§12, §13)', async () => {
    const campaign = await PostgresCampaign.open({ pool, name: 'holidays', rules: US_RULES });
    try {
      await campaign.addPhones([{ phone: '15045550123', gmtZone: 'America/Chicago' }], {
        now: Date.parse('2024-02-12T13:00:00Z'),
      });
      const rows = await pool.query<{ length: number }>(
        'SELECT length(blackout) AS length FROM dialer_scheduler.schedules s JOIN dialer_scheduler.campaigns c ON c.id = s.campaign_id WHERE c.name = $1',
        ['holidays'],
      );
      expect(rows.rows[0]!.length).toBeGreaterThan(1000);
      // A fresh process reads the row: Mardi Gras (2024-02-13) stays blacked out.
      const other = await PostgresCampaign.open({ connectionString: db.url, name: 'holidays' });
      try {
        const task = await other.next(Date.parse('2024-02-12T15:00:00Z'));
        expect(task?.windowEnd).toBe(Date.parse('2024-02-13T02:00:00Z'));
        await other.fail(task!, Date.parse('2024-02-12T15:00:00Z'));
      } finally {
        await other.close();
      }
    } finally {
      await campaign.close();
    }
  });
});
