import type pg from 'pg';
import { CampaignCore } from '../engine/campaign-core.js';
import { CODE_NAMES, DIALING } from '../engine/job-state.js';
import { CANCEL_REQUESTED, LEASE_EXPIRED } from '../engine/job-store.js';
import type { JobRecord } from '../engine/lifecycle.js';
import { type ResolvedOptions, resolveOptions } from '../engine/options.js';
import {
  type CampaignSnapshot,
  COLUMNS,
  type NumberColumn,
  phoneRecord,
  SNAPSHOT_VERSION,
  snapshotSchedules,
  sortedPhones,
} from '../engine/snapshot.js';
import { readSnapshot } from '../engine/snapshot-read.js';
import { DialerError, quote } from '../errors.js';
import type { JsonValue } from '../policy/types.js';
import { scheduleKeyOf, scheduleKeyOfStored } from '../schedule/schedule-cache.js';
import { campaignLatest } from './campaign-tx.js';
import { dedupKeyOf } from './dedup-key.js';
import type { ScheduleRow } from './intern-tables.js';
import { forgetAtOf, JOB_SELECT, type JobRow } from './job-row.js';
import { storedOptionsOf } from './open-options.js';

const finiteOrNull = (ms: number): number | null => (Number.isFinite(ms) ? ms : null);

/**
 * The campaign's rows as a snapshot (spec section 9's format, the one `Campaign.snapshot` writes): jobs
 * in job-number order, the tables compacted to what they use in first-use order. Run in a repeatable-read
 * transaction for one consistent view.
 */
export async function readSnapshotRows(
  client: pg.ClientBase,
  s: string,
  campaignId: number,
  options: ResolvedOptions,
): Promise<CampaignSnapshot> {
  const campaign = await client.query<{ paused: boolean; next_job: number; latest_ms: number }>(
    `SELECT c.paused, c.next_job::float8 AS next_job,
      ${campaignLatest(s, options.leaseTimeoutMs)} AS latest_ms
    FROM ${s}.campaigns c WHERE c.id = $1`,
    [campaignId],
  );
  const jobs = await client.query<JobRow>(
    `SELECT ${JOB_SELECT} FROM ${s}.jobs j WHERE j.campaign_id = $1 ORDER BY j.id`,
    [campaignId],
  );
  const schedules = await client.query<ScheduleRow & { id: number }>(
    `SELECT id::float8 AS id, zone, start_ms, finish_ms, weekly, blackout FROM ${s}.schedules WHERE campaign_id = $1`,
    [campaignId],
  );
  const phones = await client.query<{
    id: number;
    digits: string;
    attempts: number;
    recent_starts: number[] | null;
  }>(`SELECT id::float8 AS id, digits, attempts, recent_starts FROM ${s}.phones WHERE campaign_id = $1`, [
    campaignId,
  ]);
  const keys = await client.query<{ id: number; key: string }>(
    `SELECT id::float8 AS id, key FROM ${s}.policy_keys WHERE campaign_id = $1`,
    [campaignId],
  );
  const blocked = await client.query<{ digits: string }>(
    `SELECT digits FROM ${s}.do_not_call WHERE campaign_id = $1`,
    [campaignId],
  );
  const scheduleById = new Map(schedules.rows.map((row) => [row.id, row]));
  const phoneById = new Map(phones.rows.map((row) => [row.id, row]));
  const keyById = new Map(keys.rows.map((row) => [row.id, row.key]));
  const indexIn = (map: Map<number, number>, id: number): number => {
    let index = map.get(id);
    if (index === undefined) {
      index = map.size;
      map.set(id, index);
    }
    return index;
  };
  const scheduleIndex = new Map<number, number>();
  const phoneIndex = new Map<number, number>();
  const keyIndex = new Map<number, number>();
  const columns = {} as Record<NumberColumn, (number | null)[]>;
  for (const rule of COLUMNS) columns[rule.name] = [];
  const push = (name: NumberColumn, value: number | null) => columns[name].push(value);
  const state: string[] = [];
  const payloads: [number, JsonValue][] = [];
  for (const row of jobs.rows) {
    const number = row.id - 1;
    push('number', number);
    push('flags', (row.cancel_requested ? CANCEL_REQUESTED : 0) | (row.lease_expired ? LEASE_EXPIRED : 0));
    push('attempts', row.attempts);
    push('maxAttempts', row.max_attempts);
    push('priority', row.priority);
    push('retryMinutes', row.retry_minutes);
    push('schedule', indexIn(scheduleIndex, row.schedule_id));
    push('phone', indexIn(phoneIndex, row.phone_id));
    push('redialOf', row.redial_of === null ? -1 : row.redial_of - 1);
    push('redialChild', row.redial_child === null ? -1 : row.redial_child - 1);
    push('policyKey', row.policy_key_id === null ? -1 : indexIn(keyIndex, row.policy_key_id));
    push('ownFields', row.own_fields);
    push('readyAtMs', finiteOrNull(row.ready_at));
    push('windowEndMs', finiteOrNull(row.window_end));
    push('leaseUntilMs', finiteOrNull(row.lease_until));
    push('endedAtMs', finiteOrNull(row.ended_at));
    push('addedAtMs', row.added_at);
    state.push(CODE_NAMES[row.state]!);
    if (row.payload !== null) payloads.push([number, JSON.parse(row.payload) as JsonValue]);
  }
  const c = campaign.rows[0]!;
  const stored = storedOptionsOf(options);
  return {
    version: SNAPSHOT_VERSION,
    options: {
      defaults: options.defaultsInput,
      strictPriority: options.strictPriority,
      leaseTimeoutMs: options.leaseTimeoutMs,
      dedupWindowMs: options.dedupWindowMs,
      maxTotalAttempts: stored.maxTotalAttempts as number | null,
      maxPayloadBytes: options.maxPayloadBytes,
      retentionMs: options.retentionMs,
      rules: options.rulesInput,
    },
    latestMs: finiteOrNull(c.latest_ms),
    paused: c.paused,
    nextJobNumber: c.next_job - 1,
    ...snapshotSchedules(
      [...scheduleIndex.keys()].map((id) => {
        const row = scheduleById.get(id)!;
        return {
          zoneKey: row.zone,
          startMs: row.start_ms,
          finishMs: row.finish_ms,
          weeklyKey: row.weekly,
          blackoutKey: row.blackout,
        };
      }),
    ),
    phones: [
      ...[...phoneIndex.keys()].map((id) => {
        const row = phoneById.get(id)!;
        return phoneRecord(row.digits, row.attempts, row.recent_starts ?? [], c.latest_ms);
      }),
      // Phones without jobs whose starts still count for their cap, by digits (as in memory).
      ...phones.rows
        .filter((row) => !phoneIndex.has(row.id) && row.recent_starts !== null)
        .map((row) => phoneRecord(row.digits, row.attempts, row.recent_starts ?? [], c.latest_ms))
        .filter((phone) => phone.recentStarts !== undefined)
        .sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0)),
    ],
    policyKeys: [...keyIndex.keys()].map((id) => keyById.get(id)!),
    ...(blocked.rows.length > 0 ? { doNotCall: sortedPhones(blocked.rows.map((row) => row.digits)) } : {}),
    jobs: { ...columns, state, payloads },
  };
}

/** Rows inserted per statement. */
const BATCH = 20_000;

/**
 * Creates campaign `name` from a snapshot, checked as `Campaign.restore` checks it (the windows of
 * waiting and ready jobs recomputed). Options given override the snapshot's. One transaction.
 */
export async function importSnapshot(
  client: pg.ClientBase,
  s: string,
  name: string,
  snapshot: unknown,
  given: Record<string, unknown>,
): Promise<{ campaignId: number; resolved: ResolvedOptions }> {
  const { options: saved, fill } = readSnapshot(snapshot);
  const resolved = resolveOptions({ ...saved, ...given });
  const core = new CampaignCore(resolved);
  fill(core);
  const { jobs, phones } = core;
  const slots: number[] = [];
  jobs.forEachInOrder((slot) => slots.push(slot));
  await client.query('BEGIN');
  try {
    const created = await client.query<{ id: number }>(
      `INSERT INTO ${s}.campaigns (name, options, next_job, latest_ms, paused) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (name) DO NOTHING RETURNING id::float8 AS id`,
      [name, JSON.stringify(storedOptionsOf(resolved)), jobs.created + 1, core.latestMs, core.paused],
    );
    const campaignId = created.rows[0]?.id;
    if (campaignId === undefined) {
      throw new DialerError([
        {
          path: ['name'],
          code: 'invalid.option',
          message: `campaign ${quote(name)} exists already: expected the name of a campaign to create.`,
        },
      ]);
    }
    const scheduleIds = new Map<number, number>();
    for (const slot of slots) scheduleIds.set(jobs.schedule[slot]!, 0);
    const scheduleList = [...scheduleIds.keys()];
    const storedSchedules = await client.query<ScheduleRow & { id: number }>(
      `INSERT INTO ${s}.schedules (campaign_id, zone, start_ms, finish_ms, weekly, blackout)
      SELECT $1, * FROM unnest($2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[])
      RETURNING id::float8 AS id, zone, start_ms, finish_ms, weekly, blackout`,
      [
        campaignId,
        scheduleList.map((id) => core.schedules.get(id).zoneKey),
        scheduleList.map((id) => core.schedules.get(id).startMs),
        scheduleList.map((id) => core.schedules.get(id).finishMs),
        scheduleList.map((id) => core.schedules.get(id).weekly.key),
        scheduleList.map((id) => core.schedules.get(id).blackout.key),
      ],
    );
    const scheduleByKey = new Map(
      storedSchedules.rows.map((row) => [
        scheduleKeyOfStored(row.zone, row.start_ms, row.finish_ms, row.weekly, row.blackout),
        row.id,
      ]),
    );
    for (const id of scheduleList)
      scheduleIds.set(id, scheduleByKey.get(scheduleKeyOf(core.schedules.get(id)))!);
    const phoneIds = new Map<number, number>();
    const dialingOf = new Map<number, number>();
    for (const slot of slots) {
      phoneIds.set(jobs.phone[slot]!, 0);
      if (jobs.state[slot] === DIALING) dialingOf.set(jobs.phone[slot]!, jobs.number[slot]! + 1);
    }
    // Capped phones without jobs too: their starts still count.
    for (const row of core.caps.cappedRows()) phoneIds.set(row, 0);
    const phoneList = [...phoneIds.keys()];
    const startsOf = (row: number): string | null => {
      const starts = core.caps.startsOf(row);
      return starts.length === 0 ? null : `{${starts.join(',')}}`;
    };
    for (let from = 0; from < phoneList.length; from += BATCH) {
      const batch = phoneList.slice(from, from + BATCH);
      const storedPhones = await client.query<{ id: number; digits: string }>(
        `INSERT INTO ${s}.phones (campaign_id, digits, attempts, dialing_job, recent_starts, cap_until)
        SELECT $1, d, a, dj, rs::float8[], cu FROM unnest($2::text[], $3::int[], $4::bigint[], $5::text[], $6::float8[])
          AS u(d, a, dj, rs, cu)
        RETURNING id::float8 AS id, digits`,
        [
          campaignId,
          batch.map((row) => phones.digitsOf(row)),
          batch.map((row) => phones.attempts[row]!),
          batch.map((row) => dialingOf.get(row) ?? null),
          batch.map(startsOf),
          batch.map((row) => core.caps.freeAtMs(row)),
        ],
      );
      const byDigits = new Map(storedPhones.rows.map((row) => [row.digits, row.id]));
      for (const row of batch) phoneIds.set(row, byDigits.get(phones.digitsOf(row))!);
    }
    const keyIds = new Map<number, number>();
    for (const slot of slots) if (jobs.policyKey[slot]! >= 0) keyIds.set(jobs.policyKey[slot]!, 0);
    const keyList = [...keyIds.keys()];
    const storedKeys = await client.query<{ id: number; key: string }>(
      `INSERT INTO ${s}.policy_keys (campaign_id, key) SELECT $1, k FROM unnest($2::text[]) k RETURNING id::float8 AS id, key`,
      [campaignId, keyList.map((id) => core.duplicates.policyKeys.get(id))],
    );
    const keyByText = new Map(storedKeys.rows.map((row) => [row.key, row.id]));
    for (const id of keyList) keyIds.set(id, keyByText.get(core.duplicates.policyKeys.get(id))!);
    for (let from = 0; from < slots.length; from += BATCH) {
      const batch = slots.slice(from, from + BATCH);
      const recordOf = (slot: number): JobRecord => ({
        state: jobs.state[slot]!,
        attempts: jobs.attempts[slot]!,
        maxAttempts: jobs.maxAttempts[slot]!,
        retryMinutes: jobs.retryMinutes[slot]!,
        readyAtMs: jobs.readyAtMs[slot]!,
        windowEndMs: jobs.windowEndMs[slot]!,
        leaseUntilMs: jobs.leaseUntilMs[slot]!,
        endedAtMs: jobs.endedAtMs[slot]!,
        cancelRequested: (jobs.flags[slot]! & CANCEL_REQUESTED) !== 0,
        leaseExpired: (jobs.flags[slot]! & LEASE_EXPIRED) !== 0,
        hasRedial: jobs.redialChild[slot]! >= 0,
      });
      const records = batch.map(recordOf);
      const col = <T>(read: (slot: number, k: number) => T): T[] => batch.map(read);
      const numberOrNull = (n: number) => (n >= 0 ? n + 1 : null);
      await client.query(
        `WITH added AS (
          INSERT INTO ${s}.jobs (campaign_id, id, phone_id, schedule_id, state, priority, attempts, max_attempts,
            retry_minutes, ready_at, window_end, lease_until, ended_at, added_at, forget_at, cancel_requested,
            lease_expired, redial_of, redial_child, policy_key_id, own_fields, payload, lease_token)
          SELECT $1, u.id, u.phone_id, u.schedule_id, u.state, u.priority, u.attempts, u.max_attempts,
            u.retry_minutes, u.ready_at, u.window_end, u.lease_until, u.ended_at, u.added_at, u.forget_at,
            u.cancel_requested, u.lease_expired, u.redial_of, u.redial_child, u.policy_key_id, u.own_fields, u.payload,
            CASE WHEN u.state = ${DIALING} THEN gen_random_uuid() END
          FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::smallint[], $6::smallint[], $7::int[], $8::int[],
            $9::int[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[],
            $16::boolean[], $17::boolean[], $18::bigint[], $19::bigint[], $20::bigint[], $21::int[], $22::bytea[], $23::text[])
            AS u(id, phone_id, schedule_id, state, priority, attempts, max_attempts, retry_minutes, ready_at, window_end,
              lease_until, ended_at, added_at, forget_at, cancel_requested, lease_expired, redial_of, redial_child,
              policy_key_id, own_fields, dedup_key, payload)
          ORDER BY u.id
          RETURNING 1)
        INSERT INTO ${s}.dedup (campaign_id, key, job_id, added_at)
        SELECT $1, d.key, d.id, d.added_at FROM unnest($2::bigint[], $22::bytea[], $14::float8[]) AS d(id, key, added_at)
        WHERE d.key IS NOT NULL`,
        [
          campaignId,
          col((slot) => jobs.number[slot]! + 1),
          col((slot) => phoneIds.get(jobs.phone[slot]!)!),
          col((slot) => scheduleIds.get(jobs.schedule[slot]!)!),
          col((slot) => jobs.state[slot]!),
          col((slot) => jobs.priority[slot]!),
          col((slot) => jobs.attempts[slot]!),
          col((slot) => jobs.maxAttempts[slot]!),
          col((slot) => jobs.retryMinutes[slot]!),
          col((slot) => jobs.readyAtMs[slot]!),
          col((slot) => jobs.windowEndMs[slot]!),
          col((slot) => jobs.leaseUntilMs[slot]!),
          col((slot) => jobs.endedAtMs[slot]!),
          col((slot) => jobs.addedAtMs[slot]!),
          col((slot, k) =>
            forgetAtOf(records[k]!, jobs.addedAtMs[slot]!, jobs.policyKey[slot]! >= 0, resolved),
          ),
          col((_slot, k) => records[k]!.cancelRequested),
          col((_slot, k) => records[k]!.leaseExpired),
          col((slot) => numberOrNull(jobs.redialOf[slot]!)),
          col((slot) => numberOrNull(jobs.redialChild[slot]!)),
          col((slot) => (jobs.policyKey[slot]! >= 0 ? keyIds.get(jobs.policyKey[slot]!)! : null)),
          col((slot) => jobs.ownFields[slot]!),
          col((slot) =>
            jobs.policyKey[slot]! >= 0
              ? dedupKeyOf(
                  phones.digitsOf(jobs.phone[slot]!),
                  core.duplicates.policyKeys.get(jobs.policyKey[slot]!),
                  jobs.ownFields[slot]!,
                  jobs.payloads[slot],
                )
              : null,
          ),
          col((slot) => (jobs.payloads[slot] === undefined ? null : JSON.stringify(jobs.payloads[slot]))),
        ],
      );
    }
    await client.query(
      `INSERT INTO ${s}.do_not_call (campaign_id, digits) SELECT $1, d FROM unnest($2::text[]) d`,
      [campaignId, [...core.blocked]],
    );
    // The attempts in progress started a lease before its deadline, made with the snapshot's
    // leaseTimeoutMs (the one given here may differ); the call log gets their rows when they end
    // (earlier attempts were not logged here).
    await client.query(
      `UPDATE ${s}.jobs SET attempt_started_at = lease_until - $2 WHERE campaign_id = $1 AND state = ${DIALING}`,
      [campaignId, saved.leaseTimeoutMs],
    );
    await client.query('COMMIT');
    return { campaignId, resolved };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
