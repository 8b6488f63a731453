import { randomUUID } from 'node:crypto';
import { DIALING, READY } from '../engine/job-state.js';
import { serve } from '../engine/lifecycle.js';
import type { CallTask } from '../engine/types.js';
import { type CampaignTx, campaignLatest, dueAt } from './campaign-tx.js';
import { type JobRow, jobColumns, type LoadedJob, prefixedRow } from './job-row.js';

/**
 * Calls in one statement outside a transaction, for the common case where nothing time-driven is due
 * at the call's instant: the statement checks that, and writes only if so; else it writes nothing and
 * the caller runs the call as a transaction. The lifecycle transition is still the shared one of
 * `engine/lifecycle.ts`, run on the row the statement returns.
 */

/** A task this process served at once, kept so that its report can be written without reading the job. */
export interface ServedTask {
  /** The job's row as the serve left it. */
  readonly row: JobRow;
  readonly phoneAttempts: number;
  readonly phoneDigits: string;
}

/** What `serveAtOnce` did: served `task` (undefined: nothing to serve, or paused), or nothing (`undefined`). */
export interface ServedAtOnce {
  readonly task: CallTask | undefined;
  readonly served: ServedTask | undefined;
}

const serveStatements = new Map<string, string>();

/**
 * The statement of `serveAtOnce` ($1 campaign, $2 `now` or null, $3 `maxTotalAttempts` or null, $4
 * the lease timeout, $5 the lease token): the campaign's time and whether anything is due; unless it
 * is (or the campaign is paused), the first ready job whose phone is free, locked `SKIP LOCKED`; and,
 * unless that job's phone reaches `maxTotalAttempts` with this attempt (its other jobs then end, which
 * takes a transaction), its lease (with the attempt's start), its phone's line and the connection's clock.
 */
function serveStatement(s: string): string {
  let text = serveStatements.get(s);
  if (text !== undefined) return text;
  text = `WITH c AS (
      SELECT c.paused, ${campaignLatest(s)} AS latest_ms,
        floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS db_now
      FROM ${s}.campaigns c WHERE c.id = $1),
    tt AS (SELECT c.*, GREATEST(coalesce($2::float8, c.db_now), c.latest_ms) AS t FROM c),
    d AS (SELECT tt.*, ${dueAt(s, 'tt.t')} AS due FROM tt),
    cand AS (
      SELECT j.id AS jid, j.phone_id AS pid, ${jobColumns('c_')}, p.digits AS c_digits, p.attempts AS c_phone_attempts
      FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
      WHERE j.campaign_id = $1 AND j.state = ${READY} AND j.window_end > (SELECT t FROM d)
        AND j.ready_at <= (SELECT t FROM d) AND p.dialing_job IS NULL AND p.cap_until <= (SELECT t FROM d)
        AND NOT (SELECT due OR paused FROM d)
      ORDER BY j.priority, j.window_end, j.ready_at, j.id LIMIT 1 FOR UPDATE OF j, p SKIP LOCKED),
    ok AS (SELECT * FROM cand WHERE $3::int IS NULL OR cand.c_phone_attempts + 1 < $3::int),
    wj AS (
      UPDATE ${s}.jobs j SET state = ${DIALING}, attempts = ok.c_attempts + 1,
        lease_until = (SELECT t FROM d) + $4::float8, lease_expired = false, lease_token = $5::uuid,
        attempt_started_at = (SELECT t FROM d)
      FROM ok WHERE j.campaign_id = $1 AND j.id = ok.jid
      RETURNING j.attempts AS w_attempts, j.lease_until AS w_lease_until),
    wp AS (
      UPDATE ${s}.phones p SET dialing_job = ok.jid, attempts = p.attempts + 1 FROM ok WHERE p.id = ok.pid),
    go AS (
      SELECT NOT d.due AND (SELECT count(*) FROM cand) = (SELECT count(*) FROM ok) AS applies,
        d.t > d.latest_ms AS moves FROM d),
    wk AS (
      UPDATE ${s}.clocks SET latest_ms = GREATEST(latest_ms, (SELECT t FROM d))
      WHERE campaign_id = $1 AND backend_pid = pg_backend_pid() AND (SELECT applies AND moves FROM go)
      RETURNING 1),
    -- The connection's first call makes its row (an update in place is cheaper than an upsert).
    wi AS (
      INSERT INTO ${s}.clocks (campaign_id, backend_pid, latest_ms)
      SELECT $1, pg_backend_pid(), (SELECT t FROM d) FROM go WHERE go.applies AND go.moves AND NOT EXISTS (SELECT 1 FROM wk)
      ON CONFLICT (campaign_id, backend_pid) DO UPDATE SET latest_ms = GREATEST(${s}.clocks.latest_ms, EXCLUDED.latest_ms))
    SELECT d.t, go.applies, wj.*, cand.*
    FROM d CROSS JOIN go LEFT JOIN cand ON true LEFT JOIN wj ON true`;
  serveStatements.set(s, text);
  return text;
}

/**
 * `next` in one statement when nothing is due at the call's instant (`now`, else the database clock):
 * serves the first ready job as `CampaignTx.serve` would, and moves the connection's clock. Returns
 * undefined, having written nothing, when the call needs a transaction: something is due, or the
 * job's phone reaches `maxTotalAttempts`.
 */
export async function serveAtOnce(
  tx: CampaignTx,
  now: number | undefined,
): Promise<ServedAtOnce | undefined> {
  const { s, campaignId, options } = tx.ctx;
  const token = randomUUID();
  const result = await tx.query<Record<string, unknown> & { t: number; applies: boolean }>(
    serveStatement(s),
    [campaignId, now ?? null, options.maxTotalAttempts ?? null, options.leaseTimeoutMs, token],
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error(`campaign ${campaignId} no longer exists in the database`);
  if (!row.applies) return undefined;
  tx.t = row.t;
  tx.latest = row.t;
  const candidate = prefixedRow(row, 'c_') as
    | (JobRow & { digits: string; phone_attempts: number })
    | undefined;
  if (candidate === undefined) return { task: undefined, served: undefined };
  const job: LoadedJob = tx.adopt(candidate);
  await tx.ctx.schedules.load(tx.client, [candidate.schedule_id]);
  serve(job.record, tx.t, options.leaseTimeoutMs, tx.emitOf(job));
  if (job.record.attempts !== row.w_attempts || job.record.leaseUntilMs !== row.w_lease_until)
    throw new Error(`job ${candidate.id}: the serve written differs from the lifecycle's`);
  const served: JobRow = {
    ...candidate,
    state: job.record.state,
    attempts: job.record.attempts,
    lease_until: job.record.leaseUntilMs,
    lease_expired: job.record.leaseExpired,
    attempt_started_at: tx.t,
    lease_token: token,
  };
  return {
    task: tx.taskOf(job, candidate.digits),
    served:
      candidate.redial_child === null
        ? { row: served, phoneAttempts: candidate.phone_attempts + 1, phoneDigits: candidate.digits }
        : undefined,
  };
}
