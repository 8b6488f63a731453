/**
 * The schema's migrations on a database made by an earlier version: migration 6 moves each attempt in
 * progress from its open call-log row to its job row, so that the call log keeps one row per attempt
 * written when it ends.
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
