import type { JobRecord } from '../engine/lifecycle.js';
import type { PhoneRuleSet } from '../policy/phone-rules.js';
import type { CampaignTx } from './campaign-tx.js';
import { forgetAtOf } from './job-row.js';

/** A job created in a transaction, as its row is inserted. */
export interface NewJob {
  readonly id: number;
  readonly phoneId: number;
  readonly scheduleId: number;
  readonly priority: number;
  readonly record: JobRecord;
  readonly addedAtMs: number;
  readonly redialOf: number | null;
  /** The policy key of an entry remembered for the duplicate check, else null. */
  readonly policyKeyId: number | null;
  readonly ownFields: number;
  /** The policy key of the own fields the job was resolved from (`originKey`), for `explain`. */
  readonly originKeyId: number;
  readonly dedupKey: Buffer | null;
  /** The payload as JSON text, or null. */
  readonly payload: string | null;
  /** A ready job's park (migration 9): the instant its phone's cap frees the phone; -Infinity when absent. */
  readonly holdUntilMs?: number;
}

/**
 * Remembers the duplicate keys of new jobs ($1 campaign, $2 job IDs, $14 add instants, $19 keys, null
 * for a job not remembered): in a table of their own, so that a job's updates never touch their index.
 */
export const DEDUP_INSERT = `INSERT INTO {s}.dedup (campaign_id, key, job_id, added_at)
  SELECT $1, d.key, d.id, d.added_at FROM unnest($2::bigint[], $19::bytea[], $14::float8[]) AS d(id, key, added_at)
  WHERE d.key IS NOT NULL`;

/** Rows inserted per statement. */
const INSERT_BATCH = 20_000;

/** Inserts new jobs (one statement per batch, columns as arrays). */
export async function insertJobs(tx: CampaignTx, jobs: readonly NewJob[]): Promise<void> {
  const { s, campaignId, options, capped } = tx.ctx;
  // Only campaigns with 24-hour caps park jobs: the others leave the column to its default.
  for (let from = 0; from < jobs.length; from += INSERT_BATCH) {
    const batch = jobs.slice(from, from + INSERT_BATCH);
    const column = <T>(read: (job: NewJob) => T): T[] => batch.map(read);
    await tx.query(
      `WITH added AS (
        INSERT INTO ${s}.jobs (campaign_id, id, phone_id, schedule_id, state, priority, attempts, max_attempts,
          retry_minutes, ready_at, window_end, lease_until, ended_at, added_at, forget_at, redial_of,
          policy_key_id, own_fields, payload, origin_key_id${capped ? ', hold_until' : ''})
        SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::smallint[], $6::smallint[], $7::int[],
          $8::int[], $9::int[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[],
          $16::bigint[], $17::bigint[], $18::int[], $20::text[], $21::bigint[]${capped ? ', $22::float8[]' : ''})
        RETURNING 1)
      ${DEDUP_INSERT.replaceAll('{s}', s)}`,
      [
        campaignId,
        column((job) => job.id),
        column((job) => job.phoneId),
        column((job) => job.scheduleId),
        column((job) => job.record.state),
        column((job) => job.priority),
        column((job) => job.record.attempts),
        column((job) => job.record.maxAttempts),
        column((job) => job.record.retryMinutes),
        column((job) => job.record.readyAtMs),
        column((job) => job.record.windowEndMs),
        column((job) => job.record.leaseUntilMs),
        column((job) => job.record.endedAtMs),
        column((job) => job.addedAtMs),
        column((job) => forgetAtOf(job.record, job.addedAtMs, job.policyKeyId !== null, options)),
        column((job) => job.redialOf),
        column((job) => job.policyKeyId),
        column((job) => job.ownFields),
        column((job) => job.dedupKey),
        column((job) => job.payload),
        column((job) => job.originKeyId),
        ...(capped ? [column((job) => job.holdUntilMs ?? Number.NEGATIVE_INFINITY)] : []),
      ],
    );
  }
}

/**
 * The phones of these entries' digits (created where missing), with their attempts so far, by digits.
 * A new phone's `maxAttemptsPer24h` (the entry's rule set) is stored with it, so that serving it needs
 * no rule lookup.
 */
export async function phonesOf(
  tx: CampaignTx,
  entries: readonly { readonly phone: string; readonly ruleSet: PhoneRuleSet }[],
): Promise<Map<string, { readonly id: number; readonly attempts: number; readonly capUntilMs: number }>> {
  const { s, campaignId, capped } = tx.ctx;
  const capOf = new Map(entries.map((entry) => [entry.phone, entry.ruleSet.maxAttemptsPer24h ?? 0]));
  const distinct = [...capOf.keys()];
  const insert = capped
    ? `INSERT INTO ${s}.phones (campaign_id, digits, cap_count) SELECT $1, d, c FROM unnest($2::text[], $3::int[]) AS u(d, c)`
    : `INSERT INTO ${s}.phones (campaign_id, digits) SELECT $1, d FROM unnest($2::text[]) d`;
  const values: unknown[] = [campaignId, distinct];
  if (capped) values.push([...capOf.values()]);
  const result = await tx.query<{ id: number; digits: string; attempts: number; cap_until: number }>(
    `WITH ins AS (
      ${insert}
      ON CONFLICT DO NOTHING RETURNING id, digits, attempts, cap_until)
    SELECT id::float8 AS id, digits, attempts, cap_until FROM ins
    UNION ALL
    SELECT id::float8, digits, attempts, cap_until FROM ${s}.phones WHERE campaign_id = $1 AND digits = ANY($2::text[])`,
    values,
  );
  const phones = new Map<string, { id: number; attempts: number; capUntilMs: number }>();
  for (const row of result.rows)
    phones.set(row.digits, { id: row.id, attempts: row.attempts, capUntilMs: row.cap_until });
  for (const phone of phones.values()) tx.phoneAttempts.set(phone.id, phone.attempts);
  return phones;
}
