/**
 * The schema's migrations on a database made by an earlier version: migration 6 moves each attempt in
 * progress from its open call-log row to its job row, so that the call log keeps one row per attempt
 * written when it ends; migration 9 parks jobs a 24-hour cap holds and deletes a campaign's rows by a
 * trigger instead of foreign keys.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, PostgresCampaign } from '../../src/postgres/index.js';
import { JOB_COLUMN_TYPES } from '../../src/postgres/job-row.js';
import { useTestDatabase } from './database.js';

const T0 = Date.parse('2024-03-04T08:00:00Z');
const SCHEMA = 'migrated';

const opened: { end(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((resource) => resource.end().catch(() => {})));
});

describe('migrate', () => {
  const db = useTestDatabase('migrations');

  it('moves an attempt in progress from its open call-log row to its job row (migration 6)', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    opened.push(pool);
    const first = await PostgresCampaign.open({ pool, name: 'm', schema: SCHEMA, leaseTimeoutMs: 60_000 });
    await first.addPhones([{ phone: '+442071234567' }], { now: T0 });
    const task = await first.next(T0 + 1000);
    expect(task).toMatchObject({ jobId: '1', attempt: 1 });
    // The schema as versions 1 to 5 left it: the attempt's open row in the call log, no start in the job row.
    await pool.query(`
      INSERT INTO ${SCHEMA}.call_log (campaign_id, job_id, attempt, phone, started_at_ms, lease_token)
      SELECT j.campaign_id, j.id, j.attempts, p.digits, j.attempt_started_at, j.lease_token
      FROM ${SCHEMA}.jobs j JOIN ${SCHEMA}.phones p ON p.id = j.phone_id;
      ALTER TABLE ${SCHEMA}.jobs DROP COLUMN attempt_started_at;
      DROP INDEX ${SCHEMA}.jobs_closing;
      CREATE INDEX jobs_closing ON ${SCHEMA}.jobs (campaign_id, window_end) WHERE state = 1;
      DELETE FROM ${SCHEMA}.migrations WHERE version > 5;`);

    const reopened = await PostgresCampaign.open({ pool, name: 'm', schema: SCHEMA });
    const versions = await pool.query<{ version: number }>(
      `SELECT version FROM ${SCHEMA}.migrations ORDER BY version`,
    );
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(6);
    expect(versions.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((_, k) => k + 1));
    const moved = await pool.query(
      `SELECT (SELECT attempt_started_at FROM ${SCHEMA}.jobs) AS started, (SELECT count(*)::int FROM ${SCHEMA}.call_log) AS rows`,
    );
    expect(moved.rows[0]).toEqual({ started: T0 + 1000, rows: 0 });

    await reopened.complete(task!, T0 + 5000);
    const log = await pool.query(
      `SELECT job_id::int, attempt, phone, started_at_ms, ended_at_ms, outcome FROM ${SCHEMA}.call_log`,
    );
    expect(log.rows).toEqual([
      {
        job_id: 1,
        attempt: 1,
        phone: '442071234567',
        started_at_ms: T0 + 1000,
        ended_at_ms: T0 + 5000,
        outcome: 'completed',
      },
    ]);
    await first.close();
    await reopened.close();
  });

  it('has serve_next return the job row columns the campaign reads, of their types (migration 8)', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    opened.push(pool);
    const campaign = await PostgresCampaign.open({ pool, name: 'columns', schema: 'serve_columns' });
    await campaign.close();
    const { rows } = await pool.query<{ name: string; type: string }>(
      `SELECT parameter_name AS name, data_type AS type FROM information_schema.parameters
      WHERE specific_schema = 'serve_columns' AND specific_name LIKE 'serve\\_next\\_%' AND parameter_mode = 'OUT'
        AND parameter_name LIKE 'c\\_%' ORDER BY ordinal_position`,
    );
    const sqlType: Record<string, string> = {
      float8: 'double precision',
      smallint: 'smallint',
      int: 'integer',
      boolean: 'boolean',
      text: 'text',
      uuid: 'uuid',
    };
    expect(rows).toEqual([
      ...JOB_COLUMN_TYPES.map(([name, type]) => ({ name: `c_${name}`, type: sqlType[type] })),
      { name: 'c_digits', type: 'text' },
      { name: 'c_phone_attempts', type: 'integer' },
      { name: 'c_phone_starts', type: 'ARRAY' },
      { name: 'c_cap_count', type: 'integer' },
    ]);
  });

  it('parks held jobs on a schema that migration 8 left, and deletes a campaign with its rows (migration 9)', async () => {
    const schema = 'before_parking';
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    opened.push(pool);
    const options = { pool, schema, rules: [{ name: 'one a day', maxAttemptsPer24h: 1 }] };
    const first = await PostgresCampaign.open({ ...options, name: 'capped' });
    const other = await PostgresCampaign.open({ ...options, name: 'other' });
    await first.addPhones(
      [
        { phone: '+12025551001', payload: 1 },
        { phone: '+12025551001', payload: 2 },
      ],
      { now: T0 },
    );
    await other.addPhones([{ phone: '+12025551002' }], { now: T0 });
    await other.complete((await other.next(T0))!, T0 + 1000);
    // Job 1's attempt makes the cap hold its phone; job 2 is then ready, held.
    await first.complete((await first.next(T0))!, T0 + 1000);
    await first.close();
    // The schema as migration 8 left it: no hold column, the serve index of all ready jobs, the keys.
    await pool.query(`
      DROP TRIGGER campaign_deleted ON ${schema}.campaigns;
      DROP INDEX ${schema}.jobs_held;
      DROP INDEX ${schema}.jobs_serve;
      ALTER TABLE ${schema}.jobs DROP COLUMN hold_until;
      CREATE INDEX jobs_serve ON ${schema}.jobs (campaign_id, priority, window_end, ready_at, id) WHERE state = 1;
      ALTER TABLE ${schema}.jobs ADD FOREIGN KEY (campaign_id) REFERENCES ${schema}.campaigns ON DELETE CASCADE;
      ALTER TABLE ${schema}.phones ADD FOREIGN KEY (campaign_id) REFERENCES ${schema}.campaigns ON DELETE CASCADE;
      ALTER TABLE ${schema}.dedup ADD FOREIGN KEY (campaign_id) REFERENCES ${schema}.campaigns ON DELETE CASCADE;
      ${MIGRATIONS[7]!.replaceAll('{s}', schema)}
      DELETE FROM ${schema}.migrations WHERE version > 8;`);

    // The migration parks job 2, held when it ran.
    const reopened = await PostgresCampaign.open({ ...options, name: 'capped' });
    const held = await pool.query(
      `SELECT id::int, hold_until FROM ${schema}.jobs WHERE state = 1 ORDER BY id`,
    );
    expect(held.rows).toEqual([{ id: 2, hold_until: T0 + 86_400_000 }]);
    expect(await reopened.next(T0 + 2000)).toBeUndefined();
    expect(await reopened.next(T0 + 86_400_000)).toMatchObject({ jobId: '2', attempt: 1 });
    await reopened.close();

    // Without the keys, the trigger deletes a campaign's rows with it, call log included.
    const ids = await pool.query<{ name: string; id: string }>(`SELECT name, id FROM ${schema}.campaigns`);
    const idOf = new Map(ids.rows.map((row) => [row.name, row.id]));
    const rowsOf = async (name: string) => {
      const result = await pool.query<{ rows: number[] }>(
        `SELECT ARRAY[(SELECT count(*) FROM ${schema}.jobs WHERE campaign_id = $1),
          (SELECT count(*) FROM ${schema}.phones WHERE campaign_id = $1),
          (SELECT count(*) FROM ${schema}.dedup WHERE campaign_id = $1),
          (SELECT count(*) FROM ${schema}.call_log WHERE campaign_id = $1)]::int[] AS rows`,
        [idOf.get(name)],
      );
      return result.rows[0]!.rows;
    };
    expect(await rowsOf('capped')).toEqual([2, 1, 2, 1]);
    await pool.query(`DELETE FROM ${schema}.campaigns WHERE name = 'capped'`);
    expect(await rowsOf('capped')).toEqual([0, 0, 0, 0]);
    expect(await rowsOf('other')).toEqual([1, 1, 1, 1]);
    await other.close();
  });

  it('refuses a schema that a newer version migrated further', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    opened.push(pool);
    const campaign = await PostgresCampaign.open({ pool, name: 'newer', schema: 'newer_schema' });
    await campaign.close();
    await pool.query(`INSERT INTO newer_schema.migrations (version) VALUES (${MIGRATIONS.length + 1})`);
    await expect(PostgresCampaign.open({ pool, name: 'newer', schema: 'newer_schema' })).rejects.toThrow(
      `the schema "newer_schema" has migration ${MIGRATIONS.length + 1}, newer than this version of dialer-scheduler knows (${MIGRATIONS.length})`,
    );
  });
});
