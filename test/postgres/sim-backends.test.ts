/**
 * `dialer-sim run --backend postgres`: the simulation on a campaign in PostgreSQL, its lines in the
 * CLI's process or split among worker processes, checked against the in-memory run and against the
 * database's call log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DialRecorder } from '../../src/sim/database-checks.js';
import { checkDatabase, openPostgresCampaign, runCampaignName } from '../../src/sim/postgres-backend.js';
import { type SimulationOptions, type SimulationResult, simulate } from '../../src/sim/simulation.js';
import { syntheticDefaults, syntheticEntries } from '../../src/sim/synthetic-campaign.js';
import { DialerWorkerPool } from '../../src/sim/worker-pool.js';
import { cli } from '../sim/run-cli.js';
import { useTestDatabase } from './database.js';

/** A JSON summary without what differs between runs of one seed: wall time, files, the backend. */
function comparable(out: string) {
  const {
    wallSeconds: _wall,
    files: _files,
    backend: _backend,
    databaseChecks: _checks,
    ...summary
  } = JSON.parse(out);
  return summary;
}

const SMALL = ['--numbers', '240', '--lines', '4', '--days', '1', '--seed', '5', '--json', '--quiet'];
const START_MS = Date.parse('2024-03-09T00:00:00Z');
const ZERO_CHECKS = {
  doubleLeases: 0,
  overlappingPhoneCalls: 0,
  attemptsWithoutRow: 0,
  rowsWithoutAttempt: 0,
  dialsOutsideWindow: 0,
  examples: [],
};

describe('dialer-sim run --backend postgres', () => {
  const db = useTestDatabase('sim-backends');

  it('runs two worker processes on one campaign and finds a clean call log', async () => {
    const { code, out, err } = await cli(
      'run',
      ...SMALL,
      '--backend',
      'postgres',
      '--database-url',
      db.url,
      '--workers',
      '2',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary.backend).toMatchObject({ kind: 'postgres', embedded: false, workers: 2 });
    expect(summary.databaseChecks).toEqual({ rows: summary.dials, ...ZERO_CHECKS });
    expect(summary).toMatchObject({ numbers: 240, lines: 4, dialsOutsideWindow: 0, lateReports: 0 });
    expect(summary.dials).toBeGreaterThan(240);
    expect(summary.completed + summary.exhausted + summary.expired + summary.redialed + summary.open).toBe(
      summary.jobs,
    );
    // Both workers dialed: the attempts in the log came over two connections' worth of leases.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // Ended attempts are rows of the call log; those in progress are read from their jobs' rows.
      const { rows } = await client.query<{ rows: number; open: number }>(
        `WITH c AS (SELECT id FROM dialer_scheduler.campaigns WHERE name = $1)
        SELECT (SELECT count(*) FROM dialer_scheduler.call_log l JOIN c ON c.id = l.campaign_id)::int
            + (SELECT count(*) FROM dialer_scheduler.jobs j JOIN c ON c.id = j.campaign_id WHERE j.state = 2)::int AS rows,
          (SELECT count(*) FROM dialer_scheduler.jobs j JOIN c ON c.id = j.campaign_id WHERE j.state = 2)::int AS open`,
        [summary.backend.campaign],
      );
      expect(rows[0]!.rows).toBe(summary.dials);
      expect(rows[0]!.open).toBeLessThanOrEqual(4 + summary.outcomes.lost);
    } finally {
      await client.end();
    }
  });

  it('gives with one worker the summary of the in-memory run of the same seed', async () => {
    const memory = await cli('run', ...SMALL);
    const postgres = await cli('run', ...SMALL, '--backend', 'postgres', '--database-url', db.url);
    expect(postgres.code).toBe(0);
    expect(JSON.parse(postgres.out)).toMatchObject({ rules: 'us (US_RULES)', dialsOutsideRules: 0 });
    expect(JSON.parse(postgres.out).databaseChecks).toMatchObject(ZERO_CHECKS);
    expect(comparable(postgres.out)).toEqual(comparable(memory.out));
  });

  it('prints the backend and the database checks after the summary', async () => {
    const args = ['--numbers', '80', '--lines', '2', '--days', '0.5', '--seed', '5', '--quiet'];
    const { code, out } = await cli(
      'run',
      ...args,
      '--backend',
      'postgres',
      '--database-url',
      db.url,
      '--workers',
      '2',
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /\nbackend {11}postgres on the --database-url server, lines split among 2 worker processes\ncampaign {10}dialer-sim-5-\d{8}T\d{6}Z-[0-9a-f]{6}\ndatabase checks {3}[\d,]+ call-log rows, each count must be 0:\n/,
    );
    for (const label of [
      'double leases',
      'overlapping calls to one phone',
      'attempts without a call-log row',
      'call-log rows without an attempt',
      'dials outside a window',
    ]) {
      expect(out).toMatch(new RegExp(`\\n  ${label} +0\\n`));
    }
  });

  it('keeps the discrete-event run when the lines are in a worker process: one worker gives the in-memory result', async () => {
    const options = (): SimulationOptions => ({
      body: syntheticEntries({ numbers: 150, seed: 8, startMs: START_MS }),
      defaults: syntheticDefaults(START_MS),
      lines: 3,
      days: 1,
      startMs: START_MS,
      seed: 8,
    });
    const memory = await simulate(options());
    const name = runCampaignName(8);
    let pool: DialerWorkerPool | undefined;
    const recorder = new DialRecorder();
    let forked: SimulationResult;
    try {
      forked = await simulate({
        ...options(),
        log: recorder,
        openCampaign: (o) => openPostgresCampaign(db.url, name, o),
        lineGroups: async (plan) => {
          pool = await DialerWorkerPool.start({ connectionString: db.url, name, workers: 1 }, plan);
          return pool.groups;
        },
      });
    } finally {
      pool?.kill();
    }
    const { wallMs: _a, ...expected } = memory;
    const { wallMs: _b, ...result } = forked;
    expect(result).toEqual(expected);
    expect(await checkDatabase(db.url, name, recorder)).toEqual({ rows: memory.dials, ...ZERO_CHECKS });
  });

  it('finds a call-log row the simulation did not dial, and a dial without its row', async () => {
    const name = runCampaignName(9);
    const recorder = new DialRecorder();
    await simulate({
      body: syntheticEntries({ numbers: 60, seed: 9, startMs: START_MS }),
      defaults: syntheticDefaults(START_MS),
      lines: 2,
      days: 0.5,
      startMs: START_MS,
      seed: 9,
      log: recorder,
      openCampaign: (o) => openPostgresCampaign(db.url, name, o),
    });
    const [key] = recorder.dials.keys();
    recorder.dials.delete(key!);
    recorder.write('999999', '16500000000', 1, START_MS, 'answered', '{"gmtZone":"UTC"}');
    const checks = await checkDatabase(db.url, name, recorder);
    expect(checks).toMatchObject({ attemptsWithoutRow: 1, rowsWithoutAttempt: 1, doubleLeases: 0 });
    expect(checks.examples).toEqual([
      expect.stringMatching(/^a call-log row without its dial: job \d+ attempt 1/),
      expect.stringMatching(
        /^a dial without its call-log row: job 999999 attempt 1, at 2024-03-09T00:00:00.000Z$/,
      ),
    ]);
  });

  it('counts overlapping attempts of a job and overlapping calls to a phone, half-open', async () => {
    const name = runCampaignName(10);
    const campaign = await openPostgresCampaign(db.url, name, {
      defaults: {},
      leaseTimeoutMs: 60_000,
      rules: [],
    });
    await campaign.close();
    const t = START_MS;
    // job, attempt, phone, start, end (null: still dialing)
    const rows: [number, number, string, number, number | null][] = [
      [1, 1, '100', t, t + 100],
      [1, 2, '100', t + 50, t + 150], // job 1 leased again before its first attempt ended
      [2, 1, '200', t, t + 100],
      [3, 1, '200', t + 100, t + 200], // starts as job 2's call ends: no overlap
      [4, 1, '200', t + 150, null], // phone 200 is still on job 3's call
      [5, 1, '300', t, t + 100], // starts as job 6's call, which ends at once, ends: no overlap
      [6, 1, '300', t, t],
    ];
    const recorder = new DialRecorder();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (const [job, attempt, phone, start, end] of rows) {
        await client.query(
          `INSERT INTO dialer_scheduler.call_log (campaign_id, job_id, attempt, phone, started_at_ms, ended_at_ms, lease_token)
          SELECT id, $2, $3, $4, $5, $6, gen_random_uuid() FROM dialer_scheduler.campaigns WHERE name = $1`,
          [name, job, attempt, phone, start, end],
        );
        recorder.write(String(job), phone, attempt, start, 'answered', '{"gmtZone":"UTC"}');
      }
    } finally {
      await client.end();
    }
    // A repeated dial of one attempt is a double lease too.
    recorder.write('2', '200', 1, t, 'busy', '{"gmtZone":"UTC"}');
    expect(await checkDatabase(db.url, name, recorder)).toEqual({
      rows: 7,
      doubleLeases: 2,
      overlappingPhoneCalls: 2,
      attemptsWithoutRow: 0,
      rowsWithoutAttempt: 0,
      dialsOutsideWindow: 0,
      examples: [
        'an attempt while the job was leased: job 1 attempt 2, phone 100',
        'a call while the phone was dialed: job 1 attempt 2, phone 100',
        'a call while the phone was dialed: job 4 attempt 1, phone 200',
        'dialed twice: job 2 attempt 1',
      ],
    });
  });

  it('without --database-url starts an embedded server and removes it after the run', async () => {
    const mine = () =>
      readdirSync(tmpdir()).filter((entry) => {
        if (!entry.startsWith('dialer-pg-')) return false;
        try {
          return readFileSync(join(tmpdir(), entry, 'owner.pid'), 'utf8').trim() === String(process.pid);
        } catch {
          return false;
        }
      });
    expect(mine()).toEqual([]);
    const { code, out } = await cli(
      'run',
      '--numbers',
      '40',
      '--lines',
      '2',
      '--days',
      '0.25',
      '--backend',
      'postgres',
      '--json',
      '--quiet',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out).backend).toMatchObject({ embedded: true, workers: 1 });
    expect(mine()).toEqual([]);
  });
});
