import { randomUUID } from 'node:crypto';
import { serve } from '../engine/lifecycle.js';
import { CAP_PERIOD_MS } from '../engine/phone-caps.js';
import type { CallTask } from '../engine/types.js';
import type { CampaignTx } from './campaign-tx.js';
import type { JobRow, LoadedJob } from './job-row.js';
import { prefixedRow } from './job-row.js';
import { capUpdateOf, sameCapUpdate } from './phone-cap.js';

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

/**
 * The statement of `serveAtOnce` ($1 campaign, $2 `now` or null, $3 `maxTotalAttempts` or null, $4
 * the lease timeout, $5 the lease token, $6 whether rules cap attempts per 24 hours, $7 that period):
 * the schema's `serve_next` (migration 8 of `schema.ts`).
 */
function serveStatement(s: string): string {
  return `SELECT * FROM ${s}.serve_next($1, $2, $3, $4, $5, $6, $7)`;
}

/** The row of `serve_next`: the instant, whether it applied, what it wrote (`w_`) and the job found (`c_`). */
export type ServeNextRow = Record<string, unknown> & {
  t: number;
  applies: boolean;
  w_starts: number[] | null;
  w_cap_until: number | null;
  c_phone_starts: number[] | null;
};

/**
 * The arguments of a serve that follow its instant and lease timeout (`maxTotalAttempts` or null, the
 * lease token, whether rules cap attempts per 24 hours, that period); and the token.
 */
export function leaseArguments(tx: CampaignTx): {
  readonly values: readonly unknown[];
  readonly token: string;
} {
  const token = randomUUID();
  return { values: [tx.ctx.options.maxTotalAttempts ?? null, token, tx.ctx.capped, CAP_PERIOD_MS], token };
}

/** The values of `serve_next` at `now` (null: the database clock), after the campaign ID; and the lease token. */
export function serveArguments(
  tx: CampaignTx,
  now: number | null,
): { readonly values: readonly unknown[]; readonly token: string } {
  const { values, token } = leaseArguments(tx);
  const [maxTotal, ...rest] = values;
  return { values: [now, maxTotal, tx.ctx.options.leaseTimeoutMs, ...rest], token };
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
  const { values, token } = serveArguments(tx, now ?? null);
  const result = await tx.query<ServeNextRow>(serveStatement(tx.ctx.s), [tx.ctx.campaignId, ...values]);
  return servedOf(tx, result.rows[0], token);
}

/**
 * What a row of `serve_next` served (see `serveAtOnce`): the job adopted into `tx`, its lease checked
 * against the shared lifecycle's and its events queued on `tx`.
 */
export async function servedOf(
  tx: CampaignTx,
  row: ServeNextRow | undefined,
  token: string,
): Promise<ServedAtOnce | undefined> {
  const { campaignId, options, capped } = tx.ctx;
  if (row === undefined || row.t === null)
    throw new Error(`campaign ${campaignId} no longer exists in the database`);
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
  if (
    capped &&
    !sameCapUpdate(
      capUpdateOf(options.rules, candidate.digits, row.c_phone_starts, tx.t),
      row.w_starts,
      row.w_cap_until,
    )
  )
    throw new Error(
      `job ${candidate.id}: the phone's starts written differ from its rules' maxAttemptsPer24h`,
    );
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
