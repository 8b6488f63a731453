import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { jobIdOf } from '../engine/call-args.js';
import type { CampaignEvent, CampaignEventType } from '../engine/events.js';
import { CANCELLED, DIALING, EXHAUSTED, isFinalCode, PENDING, READY, WAITING } from '../engine/job-state.js';
import {
  type AttemptEnd,
  becomeReady,
  type EmitEvent,
  endAttempt,
  enqueue,
  finish,
  readyAfterLease,
  serve,
  windowClosed,
} from '../engine/lifecycle.js';
import type { ResolvedOptions } from '../engine/options.js';
import type { CallTask } from '../engine/types.js';
import { windowAt } from '../engine/window-at.js';
import type { Issue } from '../errors.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import type { PolicyKeyTable, ScheduleTable } from './intern-tables.js';
import {
  forgetAtOf,
  JOB_SELECT,
  type JobRow,
  jobColumns,
  type LoadedJob,
  loadJob,
  prefixedRow,
} from './job-row.js';
import { capCountOf, capUpdateOf, type PhoneCapUpdate } from './phone-cap.js';

/** What a transaction needs of its campaign. */
export interface CampaignContext {
  /** The quoted schema name. */
  readonly s: string;
  readonly campaignId: number;
  readonly options: ResolvedOptions;
  /** Whether a rule sets `maxAttemptsPer24h` (phones have caps, and jobs may be parked: migration 9). */
  readonly capped: boolean;
  readonly schedules: ScheduleTable;
  readonly policyKeys: PolicyKeyTable;
  /** Whether this process listens to events of `type` (others are not built). */
  readonly listens: (type: CampaignEventType) => boolean;
}

/** Events of one time-driven change, with the keys that put them in the in-memory engine's order. */
interface EventGroup {
  readonly atMs: number;
  /** Lease expiries before window closings at one instant, as the in-memory loop takes them; then job ID. */
  readonly kind: number;
  readonly seq: number;
  readonly events: CampaignEvent[];
}

const LEASE_KIND = 0;
const CLOSING_KIND = 1;

/**
 * One call of a `PostgresCampaign`, in one transaction on `client`: the in-memory engine's steps
 * (bring time up to date, then the call's own change) run on rows. Rows are locked as they are read
 * (`FOR UPDATE`, or `SKIP LOCKED` for time-driven work another process may be doing), their lifecycle
 * records changed by the shared transitions of `engine/lifecycle.ts`, and written back by `flush`.
 */
export class CampaignTx {
  readonly client: pg.ClientBase;
  readonly ctx: CampaignContext;
  /** The instant the call acts at. */
  t = 0;
  /** The campaign's time before this call. */
  latestBefore = Number.NEGATIVE_INFINITY;
  /** The campaign's time as stored before this call (the latest lease's start not counted, see `campaignLatest`). */
  storedBefore = Number.NEGATIVE_INFINITY;
  /** The campaign's time as transitions see it: `latestBefore` while catching up, `t` after. */
  latest = Number.NEGATIVE_INFINITY;
  paused = false;
  /** The next job ID (read only when the campaign row is locked). */
  nextJobId = 1;
  /** Events of the call, in order, delivered after commit. */
  readonly events: CampaignEvent[] = [];
  /** Jobs loaded in this transaction, by ID; their records are the truth until written back. */
  readonly jobs = new Map<number, LoadedJob>();
  /** Attempts of the phones loaded, by phone ID (for `maxTotalAttempts`). */
  readonly phoneAttempts = new Map<number, number>();
  /** Digits of the phones loaded, by phone ID (for the call log). */
  readonly phoneDigits = new Map<number, string>();
  /** Phones whose line an attempt's end freed. */
  readonly #freedPhones = new Set<number>();
  /** Attempts ended, each a row of the call log. */
  readonly #logEnds: {
    jobId: number;
    attempt: number;
    phone: string;
    startedAtMs: number;
    token: string | null;
    atMs: number;
    outcome: string;
  }[] = [];
  #group: CampaignEvent[];
  /** What `begin` found due at the call's instant. */
  #due = { leases: true, lines: true, forget: true };
  /** The first ready job as `begin` found and locked it, served when nothing was due. */
  #candidate: ServeRow | undefined;
  /** The attempt `serve` started, written with the rest by `flush` (with the phone's starts when a rule caps it). */
  #served: { job: LoadedJob; digits: string; cap: PhoneCapUpdate | undefined } | undefined;

  constructor(client: pg.ClientBase, ctx: CampaignContext) {
    this.client = client;
    this.ctx = ctx;
    this.#group = this.events;
  }

  /** Runs a statement, prepared once per connection (named by its text). */
  query<R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>> {
    return this.client.query<R>({ name: statementName(text), text, values: values as unknown[] });
  }

  /**
   * Begins the call (a transaction unless `transaction` is false): reads the campaign's state and fixes
   * the call's instant, `now`, else the database clock, never before the campaign's time. With
   * `lockCampaign` the campaign row is locked (adds, which take job IDs); `also` reads the first ready job
   * (`candidate`) or a reported job (`target`) in the same statement.
   */
  async begin(
    now: number | undefined,
    lockCampaign: boolean,
    also: { readonly candidate?: boolean; readonly target?: number; readonly oneSnapshot?: boolean } = {},
    transaction = true,
  ): Promise<void> {
    const { s, campaignId } = this.ctx;
    const text = beginStatement(
      s,
      this.ctx.options.leaseTimeoutMs,
      lockCampaign,
      also.candidate === true,
      also.target !== undefined,
      transaction,
      this.ctx.capped,
    );
    const values: unknown[] = [campaignId, now ?? null];
    if (also.target !== undefined) values.push(also.target);
    // A call that reads in several statements and must see one state (nextReadyAt) reads one snapshot.
    if (transaction)
      await this.client.query(also.oneSnapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN');
    const result = await this.query(text, values);
    const row = result.rows[0] as
      | (Record<string, unknown> & {
          paused: boolean;
          next_job: number;
          latest_ms: number;
          stored_ms: number;
          t: number;
          leases_due: boolean;
          lines_due: boolean;
          forget_due: boolean;
        })
      | undefined;
    if (row === undefined) throw new Error(`campaign ${campaignId} no longer exists in the database`);
    this.paused = row.paused;
    this.nextJobId = row.next_job;
    this.latestBefore = row.latest_ms;
    this.storedBefore = row.stored_ms;
    this.latest = row.latest_ms;
    this.t = row.t;
    this.#due = { leases: row.leases_due, lines: row.lines_due, forget: row.forget_due };
    const targetRow = prefixedRow(row, 'r_');
    if (targetRow !== undefined) {
      this.adopt(targetRow as JobRow & { phone_attempts: number });
      await this.ctx.schedules.load(this.client, [targetRow.schedule_id]);
    }
    const candidateRow = prefixedRow(row, 'c_');
    this.#candidate = candidateRow === undefined ? undefined : (candidateRow as ServeRow);
  }

  /** Stores the next job ID after this call took some (the campaign row is locked, see `begin`). */
  async storeNextJobId(): Promise<void> {
    await this.query(`UPDATE ${this.ctx.s}.campaigns SET next_job = $2 WHERE id = $1`, [
      this.ctx.campaignId,
      this.nextJobId,
    ]);
  }

  /** Whether `begin` found no time-driven work due at the call's instant. */
  get nothingDue(): boolean {
    const due = this.#due;
    return !(due.leases || due.lines || due.forget);
  }

  // --- loading ---

  /** The loaded job of `row` (the one already loaded in this transaction, if any). */
  adopt(row: JobRow & { readonly phone_attempts?: number; readonly phone_digits?: string }): LoadedJob {
    let job = this.jobs.get(row.id);
    if (job === undefined) {
      job = loadJob(row);
      this.jobs.set(row.id, job);
    }
    if (row.phone_attempts !== undefined && !this.phoneAttempts.has(row.phone_id))
      this.phoneAttempts.set(row.phone_id, row.phone_attempts);
    if (row.phone_digits !== undefined) this.phoneDigits.set(row.phone_id, row.phone_digits);
    return job;
  }

  /** Loads and locks (waiting for other callers) the jobs of these IDs not loaded yet, with their phone's attempts. */
  async lockJobs(ids: readonly number[]): Promise<void> {
    const missing = ids.filter((id) => !this.jobs.has(id));
    if (missing.length === 0) return;
    const { s, campaignId } = this.ctx;
    await this.flush();
    const result = await this.query<JobRow & { phone_attempts: number }>(
      `SELECT ${JOB_SELECT}, p.attempts AS phone_attempts, p.digits AS phone_digits
      FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
      WHERE j.campaign_id = $1 AND j.id = ANY($2::bigint[]) ORDER BY j.id FOR UPDATE OF j`,
      [campaignId, missing],
    );
    for (const row of result.rows) this.adopt(row);
    await this.ctx.schedules.load(
      this.client,
      result.rows.map((row) => row.schedule_id),
    );
  }

  scheduleOf(job: LoadedJob): CallSchedule {
    return this.ctx.schedules.get(job.row.schedule_id);
  }

  // --- events ---

  /** The event sink of `job`'s transitions. */
  emitOf(job: LoadedJob): EmitEvent {
    return this.emitFor(job.row.id);
  }

  /** The event sink of the job of this ID's transitions. */
  emitFor(id: number): EmitEvent {
    const jobId = jobIdOf(id - 1);
    return (type, atMs, attempt) => {
      if (this.ctx.listens(type)) this.#group.push({ type, jobId, atMs, attempt });
    };
  }

  warning(jobId: number, atMs: number, issue: Issue): void {
    if (this.ctx.listens('warning'))
      this.events.push({ type: 'warning', jobId: jobIdOf(jobId - 1), atMs, attempt: 0, issue });
  }

  // --- time ---

  /**
   * Brings everything time-driven up to the call's instant, as the in-memory `advance` does: expired
   * leases, windows that closed, waiting jobs whose window started; then final jobs past their retention
   * are deleted (unless `forget` is false). Rows another process holds are skipped: it is doing that work.
   * The events come out in the in-memory engine's time order.
   */
  async advance(forget = true): Promise<void> {
    const { s, campaignId } = this.ctx;
    const t = this.t;
    const groups: EventGroup[] = [];
    const inGroup = (atMs: number, kind: number, seq: number, change: () => void) => {
      const events: CampaignEvent[] = [];
      this.#group = events;
      change();
      this.#group = this.events;
      if (events.length > 0) groups.push({ atMs, kind, seq, events });
    };
    const due = this.#due;
    let changed = false;
    await this.flush();
    // Every read below names its index's order and a batch size, so that its plan is an index range
    // scan whatever the statistics say (a generic plan cannot see the instant's selectivity).
    for (let more = due.leases; more; ) {
      const leases = await this.query<JobRow & { phone_attempts: number }>(
        `SELECT ${JOB_SELECT}, p.attempts AS phone_attempts, p.digits AS phone_digits
        FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
        WHERE j.campaign_id = $1 AND j.state = ${DIALING} AND j.lease_until <= $2
        ORDER BY j.lease_until, j.id LIMIT ${BATCH} FOR UPDATE OF j SKIP LOCKED`,
        [campaignId, t],
      );
      more = leases.rows.length === BATCH;
      if (leases.rows.length === 0) break;
      changed = true;
      const expired = leases.rows.map((row) => this.adopt(row));
      await this.ctx.schedules.load(
        this.client,
        leases.rows.map((row) => row.schedule_id),
      );
      await this.lockJobs(expired.flatMap((job) => (job.redialChild === null ? [] : [job.redialChild])));
      for (const job of expired) {
        const atMs = job.record.leaseUntilMs;
        inGroup(atMs, LEASE_KIND, job.row.id, () =>
          this.endAttempt(job, atMs, true, job.record.retryMinutes, true),
        );
      }
      await this.flush();
    }
    while (due.lines || changed) {
      await this.flush();
      const closed = await this.query<JobRow>(
        `WITH r AS (
          SELECT ${JOB_SELECT} FROM ${s}.jobs j WHERE j.campaign_id = $1 AND j.state = ${READY} AND j.window_end <= $2
            AND j.window_end < 'Infinity'
          ORDER BY j.window_end LIMIT ${BATCH} FOR UPDATE OF j SKIP LOCKED),
        w AS (
          SELECT ${JOB_SELECT} FROM ${s}.jobs j WHERE j.campaign_id = $1 AND j.state = ${WAITING} AND j.ready_at <= $2
            AND j.window_end <= $2
          ORDER BY j.ready_at LIMIT ${BATCH} FOR UPDATE OF j SKIP LOCKED)
        SELECT * FROM r UNION ALL SELECT * FROM w`,
        [campaignId, t],
      );
      if (closed.rows.length === 0) break;
      changed = true;
      await this.ctx.schedules.load(
        this.client,
        closed.rows.map((row) => row.schedule_id),
      );
      for (const row of closed.rows) {
        const job = this.adopt(row);
        const closedAtMs = job.record.windowEndMs;
        inGroup(closedAtMs, CLOSING_KIND, row.id, () => {
          windowClosed(job.record, this.scheduleOf(job), closedAtMs, t, this.latest, this.emitOf(job));
        });
        job.dirty = true;
      }
    }
    groups.sort((a, b) => a.atMs - b.atMs || a.kind - b.kind || a.seq - b.seq);
    for (const group of groups) this.events.push(...group.events);
    await this.flush();
    this.latest = t;
    if (!(due.lines || due.forget || changed)) return;
    const { capped } = this.ctx;
    for (let more = capped && (due.lines || changed); more; ) {
      // Parked jobs whose phone's cap freed it go back to the serve index (migration 9); a row another
      // call holds stays parked, and its hold is due again at the next call.
      const unparked = await this.query(
        `UPDATE ${s}.jobs SET hold_until = '-Infinity' WHERE campaign_id = $1 AND id IN (
          SELECT id FROM ${s}.jobs WHERE campaign_id = $1 AND state = ${READY} AND hold_until > '-Infinity'
            AND hold_until <= $2 ORDER BY hold_until LIMIT ${PROMOTE_BATCH} FOR UPDATE SKIP LOCKED)`,
        [campaignId, t],
      );
      more = unparked.rowCount === PROMOTE_BATCH;
    }
    const promotable = `SELECT id FROM ${s}.jobs WHERE campaign_id = $1 AND state = ${WAITING} AND ready_at <= $2
      ORDER BY ready_at LIMIT ${PROMOTE_BATCH} FOR UPDATE SKIP LOCKED`;
    for (let more = due.lines || changed; more; ) {
      // A job promoted while its phone's cap holds it is parked until the cap frees the phone.
      const promoted = await this.query(
        capped
          ? `UPDATE ${s}.jobs j SET state = ${READY},
              hold_until = CASE WHEN p.cap_until > $2 THEN p.cap_until ELSE '-Infinity' END
            FROM ${s}.phones p WHERE p.id = j.phone_id AND j.campaign_id = $1 AND j.id IN (${promotable})`
          : `UPDATE ${s}.jobs SET state = ${READY} WHERE campaign_id = $1 AND id IN (${promotable})`,
        [campaignId, t],
      );
      more = promoted.rowCount === PROMOTE_BATCH;
    }
    const phones: number[] = [];
    for (let more = forget && (due.forget || changed); more; ) {
      // Keys older than the duplicate window go with the jobs (a remembered job is kept at least that long).
      const forgotten = await this.query<{ phone_id: number }>(
        `WITH gone AS (
          DELETE FROM ${s}.jobs WHERE campaign_id = $1 AND id IN (
            SELECT id FROM ${s}.jobs WHERE campaign_id = $1 AND state BETWEEN 3 AND 7 AND forget_at <= $2
            ORDER BY forget_at LIMIT ${PROMOTE_BATCH} FOR UPDATE SKIP LOCKED)
          RETURNING phone_id),
        keys AS (
          DELETE FROM ${s}.dedup WHERE ctid IN (
            SELECT ctid FROM ${s}.dedup WHERE campaign_id = $1 AND added_at <= $3
            ORDER BY added_at LIMIT ${PROMOTE_BATCH})
          RETURNING 1)
        SELECT phone_id::float8 AS phone_id FROM gone`,
        [campaignId, t, t - this.ctx.options.dedupWindowMs],
      );
      for (const row of forgotten.rows) phones.push(row.phone_id);
      more = forgotten.rows.length === PROMOTE_BATCH;
    }
    for (const job of this.jobs.values()) {
      if (job.record.state === WAITING && job.record.readyAtMs <= t) becomeReady(job.record);
    }
    if (phones.length > 0) {
      // A phone's attempt count is forgotten with its last job, as in memory. The row stays (reset, not
      // deleted), so that an add running at the same time never refers to a phone that is gone.
      await this.query(
        `UPDATE ${s}.phones p SET attempts = 0 WHERE p.id = ANY($1::bigint[]) AND p.attempts <> 0
        AND NOT EXISTS (SELECT 1 FROM ${s}.jobs j WHERE j.phone_id = p.id)`,
        [[...new Set(phones)]],
      );
    }
  }

  // --- attempts ---

  /**
   * Ends the current attempt of dialing `job` at `atMs` (a report, or its lease expiring): the shared
   * transition, the phone's line freed, the call log's row ended, a held redial released (or cancelled
   * with it). The job's redial child must be loaded.
   */
  endAttempt(
    job: LoadedJob,
    atMs: number,
    failed: boolean,
    retryMinutes: number,
    byLeaseExpiry: boolean,
  ): void {
    const cap = this.ctx.options.maxTotalAttempts;
    const end: AttemptEnd = {
      atMs,
      failed,
      retryMinutes,
      byLeaseExpiry,
      phoneAtCap: cap !== undefined && (this.phoneAttempts.get(job.row.phone_id) ?? 0) >= cap,
      schedule: this.scheduleOf(job),
      latestMs: this.latest,
    };
    const attempt = job.record.attempts;
    endAttempt(job.record, end, this.emitOf(job));
    job.dirty = true;
    this.#freedPhones.add(job.row.phone_id);
    const phone = this.phoneDigits.get(job.row.phone_id);
    if (phone === undefined) throw new Error(`job ${job.row.id}: its phone's digits were not loaded`);
    this.#logEnds.push({
      jobId: job.row.id,
      attempt,
      phone,
      startedAtMs: job.row.attempt_started_at ?? job.row.lease_until - this.ctx.options.leaseTimeoutMs,
      token: job.row.lease_token,
      atMs,
      outcome: byLeaseExpiry ? 'leaseExpired' : failed ? 'failed' : 'completed',
    });
    const child = job.redialChild === null ? undefined : this.jobs.get(job.redialChild);
    if (child !== undefined && child.record.state === PENDING) {
      if (job.record.state === CANCELLED) finish(child.record, CANCELLED, atMs, this.emitOf(child));
      else {
        child.record.state = WAITING;
        enqueue(child.record, this.scheduleOf(child), atMs, this.latest, this.emitOf(child));
      }
      child.dirty = true;
    }
  }

  /** Serves the first ready job whose phone is free (spec section 5) and leases it, or `undefined`. */
  async serve(): Promise<CallTask | undefined> {
    const { s, campaignId, options } = this.ctx;
    const t = this.t;
    const due = this.#due;
    const nothingDue = !(due.leases || due.lines || due.forget);
    await this.flush();
    const found = nothingDue
      ? { rows: this.#candidate === undefined ? [] : [this.#candidate] }
      : await this.query<ServeRow>(
          `SELECT ${JOB_SELECT}, p.digits, p.attempts AS phone_attempts, p.recent_starts AS phone_starts
      FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
      WHERE j.campaign_id = $1 AND j.state = ${READY} AND j.hold_until = '-Infinity' AND j.window_end > $2
        AND j.ready_at <= $2 AND p.dialing_job IS NULL AND p.cap_until <= $2 AND p.free_at <= $2
      ORDER BY j.priority, j.window_end, j.ready_at, j.id LIMIT 1 FOR UPDATE OF j, p SKIP LOCKED`,
          [campaignId, t],
        );
    const row = found.rows[0];
    if (row === undefined) return undefined;
    if (!nothingDue) {
      // The search read a later snapshot than `begin`: a call that freed this phone's line in between
      // stored its instant, and the phone's next call must not start before it.
      const stored = await this.query<{ stored_ms: number }>(
        `SELECT ${storedLatest(s)} AS stored_ms FROM ${s}.campaigns c WHERE c.id = $1`,
        [campaignId],
      );
      if (stored.rows[0]!.stored_ms > t) throw timeMovedOn();
    }
    const job = this.adopt(row);
    await this.ctx.schedules.load(this.client, [row.schedule_id]);
    serve(job.record, t, options.leaseTimeoutMs, this.emitOf(job));
    // Written with the rest of the call by `flush`: the job's lease, the phone's line (and starts), a call-log row.
    this.#served = {
      job,
      digits: row.digits,
      cap: capUpdateOf(options.rules, row.digits, row.phone_starts, t),
    };
    const phoneAttempts = row.phone_attempts + 1;
    this.phoneAttempts.set(row.phone_id, phoneAttempts);
    const cap = options.maxTotalAttempts;
    if (cap !== undefined && phoneAttempts >= cap) {
      // The phone reached maxTotalAttempts: its other unfinished jobs end now (newest first, as in memory).
      const others = await this.query<{ id: number }>(
        `SELECT id::float8 AS id FROM ${s}.jobs WHERE campaign_id = $1 AND phone_id = $2 AND id <> $3
        AND state IN (${WAITING}, ${READY}, ${PENDING})`,
        [campaignId, row.phone_id, row.id],
      );
      const ids = others.rows.map((other) => other.id).sort((a, b) => b - a);
      await this.lockJobs(ids);
      for (const id of ids) {
        const other = this.jobs.get(id)!;
        if (other.record.state === DIALING || isFinalCode(other.record.state)) continue;
        finish(other.record, EXHAUSTED, t, this.emitOf(other));
        other.dirty = true;
      }
    }
    return this.taskOf(job, row.digits);
  }

  /** The call task of `job`, just served on the phone of `digits`. */
  taskOf(job: LoadedJob, digits: string): CallTask {
    return {
      jobId: jobIdOf(job.row.id - 1),
      phone: digits,
      payload: job.payload,
      attempt: job.record.attempts,
      dialerPriority: job.row.priority,
      windowEnd: job.record.windowEndMs,
      readyAt: job.record.readyAtMs,
      gmtZone: this.scheduleOf(job).zone.id,
      gmtZones: this.scheduleOf(job).zoneIds,
    };
  }

  /** `nextReadyAt` at the call's instant (time already brought up to date, not paused). */
  async nextReadyAt(): Promise<number | undefined> {
    const { s, campaignId } = this.ctx;
    const t = this.t;
    await this.flush();
    const first = await this.query<{ ready: boolean; waiting: number | null }>(
      `SELECT coalesce((SELECT true FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
          WHERE j.campaign_id = $1 AND j.state = ${READY} AND j.hold_until = '-Infinity' AND j.window_end > $2
            AND j.ready_at <= $2 AND p.dialing_job IS NULL AND p.cap_until <= $2
          ORDER BY j.priority, j.window_end, j.ready_at, j.id LIMIT 1), false) AS ready,
        (SELECT j.ready_at FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
          WHERE j.campaign_id = $1 AND j.state = ${WAITING} AND p.dialing_job IS NULL AND p.cap_until <= $2
          ORDER BY j.ready_at LIMIT 1) AS waiting`,
      [campaignId, t],
    );
    if (first.rows[0]!.ready) return t;
    let earliest = first.rows[0]!.waiting ?? Number.POSITIVE_INFINITY;
    // Jobs of phones their cap holds (not being dialed): the first allowed instant once it frees them.
    // Each is at or after its phone's cap end, so they are read by that end, in batches, and the reading
    // stops at the first end past the best instant found: a few rows however many jobs are held.
    // Phones with jobs left are read a batch at a time in the order of `phones_capped` (cap end, then
    // ID), each with those jobs.
    for (let after = { capUntil: t, phone: 0 }, batch = HELD_FIRST_BATCH; this.ctx.capped; batch *= 4) {
      const held = await this.query<JobRow & { held_phone: number; held_until: number }>(
        `SELECT ${JOB_SELECT}, p.id::float8 AS held_phone, p.cap_until AS held_until FROM (
          SELECT id, cap_until FROM ${s}.phones c WHERE campaign_id = $1 AND cap_until > '-Infinity'
            AND cap_until > $5 AND cap_until < $3
            AND (cap_until, id) > ($2, $4::bigint) AND dialing_job IS NULL
            -- A scalar subquery stays a probe of jobs_phone per phone (an EXISTS may become a join of all jobs).
            AND coalesce((SELECT true FROM ${s}.jobs l WHERE l.phone_id = c.id AND l.state IN (${WAITING}, ${READY}) LIMIT 1), false)
          ORDER BY cap_until, id LIMIT $6) p
        JOIN ${s}.jobs j ON j.phone_id = p.id AND j.state IN (${WAITING}, ${READY})
        ORDER BY p.cap_until, p.id`,
        [campaignId, after.capUntil, earliest, after.phone, t, batch],
      );
      await this.ctx.schedules.load(
        this.client,
        held.rows.map((row) => row.schedule_id),
      );
      for (const row of held.rows) {
        if (row.held_until >= earliest) break;
        const window = windowAt(this.ctx.schedules.get(row.schedule_id), row.ready_at, row.held_until);
        if (window !== null) earliest = Math.min(earliest, Math.max(window.start, row.held_until));
      }
      const last = held.rows.at(-1);
      const phones = new Set(held.rows.map((row) => row.held_phone)).size;
      if (phones < batch || last === undefined || last.held_until >= earliest) break;
      after = { capUntil: last.held_until, phone: last.held_phone };
    }
    // A dialing job leads to a ready job no earlier than its lease deadline: read them by deadline and
    // stop at the first deadline past the best instant found.
    const cap = this.ctx.options.maxTotalAttempts;
    const dialing = await this.query<JobRow & { phone_attempts: number; cap_until: number }>(
      `SELECT ${JOB_SELECT}, p.attempts AS phone_attempts, p.cap_until FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
      WHERE j.campaign_id = $1 AND j.state = ${DIALING} AND j.lease_until < $2 ORDER BY j.lease_until`,
      [campaignId, earliest],
    );
    if (dialing.rows.length === 0) return earliest === Number.POSITIVE_INFINITY ? undefined : earliest;
    const related = await this.query<JobRow>(
      `SELECT ${JOB_SELECT} FROM ${s}.jobs j WHERE j.campaign_id = $1
      AND (j.phone_id = ANY($2::bigint[]) OR j.id = ANY($3::bigint[])) AND j.state IN (${WAITING}, ${READY}, ${PENDING})`,
      [
        campaignId,
        dialing.rows.map((row) => row.phone_id),
        dialing.rows.flatMap((row) => row.redial_child ?? []),
      ],
    );
    const schedules = this.ctx.schedules;
    await schedules.load(
      this.client,
      [...dialing.rows, ...related.rows].map((row) => row.schedule_id),
    );
    const byId = new Map(related.rows.map((row) => [row.id, row]));
    for (const row of dialing.rows) {
      if (row.lease_until >= earliest) break;
      const job = loadJob(row);
      const child = row.redial_child === null ? undefined : byId.get(row.redial_child);
      const heldRedial =
        child !== undefined && child.state === PENDING
          ? { schedule: schedules.get(child.schedule_id) }
          : undefined;
      earliest = Math.min(
        earliest,
        readyAfterLease(
          job.record,
          schedules.get(row.schedule_id),
          heldRedial,
          cap !== undefined && row.phone_attempts >= cap,
          row.cap_until,
        ),
      );
      // The phone's jobs held back while it is dialed may go on at the deadline (and its cap).
      const freeAt = Math.max(row.lease_until, row.cap_until);
      for (const other of related.rows) {
        if (other.phone_id !== row.phone_id || other.state === PENDING) continue;
        const window = windowAt(schedules.get(other.schedule_id), other.ready_at, freeAt);
        if (window !== null) earliest = Math.min(earliest, Math.max(window.start, freeAt));
      }
    }
    return earliest === Number.POSITIVE_INFINITY ? undefined : earliest;
  }

  // --- writing ---

  /**
   * Writes back what changed, in one statement: job records, the attempt just served, freed phone
   * lines, ended call-log rows, and (with `clock`) the call's instant as this connection's view of the
   * campaign's time.
   */
  async flush(clock = false): Promise<void> {
    await this.#write(clock, undefined);
  }

  /**
   * Writes what changed and the call's instant in one statement outside a transaction, provided `job`
   * (read without a lock, and the only job changed) is still as it was read: its row's update is
   * conditional on the match, and every other write on that update. Returns whether it matched (and so
   * everything was written).
   *
   * With `atMs`, the call's instant was fixed without reading the campaign (the report of a task this
   * process served): `report_served` writes it, also requiring that the campaign's time is not past
   * `atMs` and that nothing time-driven is due at it, so that the call is what it would have been read
   * first; the connection's clock is then moved in the same call.
   */
  async writeIfUnchanged(job: LoadedJob, atMs?: number): Promise<boolean> {
    return atMs === undefined ? this.#write(true, job) : this.#writeServedReport(job, atMs);
  }

  async #write(clock: boolean, guard: LoadedJob | undefined): Promise<boolean> {
    const dirty = [...this.jobs.values()].filter((job) => job.dirty);
    const served = this.#served;
    // The call's instant is stored when it is past the stored time: even when a lease already carries
    // it, as the lease may end in this call.
    const moveClock = clock && this.t > this.storedBefore;
    if (
      dirty.length === 0 &&
      served === undefined &&
      this.#freedPhones.size === 0 &&
      this.#logEnds.length === 0 &&
      !moveClock
    )
      return true;
    const { s, campaignId, options } = this.ctx;
    const parts: string[] = [];
    const values: unknown[] = [campaignId];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    const cid = '$1';
    // A guarded write changes its job only, in the first sub-statement (w0), whose condition is the
    // match (checked again on the row's latest version if another call changed it meanwhile); the other
    // writes apply only if w0 did.
    let matches = '';
    if (guard !== undefined) {
      if (dirty.length !== 1 || dirty[0] !== guard || served !== undefined)
        throw new Error(`a guarded write of job ${guard.row.id} changes other rows`);
      const r = guard.row;
      matches = ` AND state = ${param(r.state)}::smallint AND attempts = ${param(r.attempts)}::int
        AND lease_until = ${param(r.lease_until)}::float8 AND cancel_requested = ${param(r.cancel_requested)}::boolean
        AND lease_expired = ${param(r.lease_expired)}::boolean AND redial_child IS NULL`;
    }
    const onlyIf = guard === undefined ? '' : ' AND EXISTS (SELECT 1 FROM w0)';
    // A few rows are written by key, each its own sub-statement (an index lookup whatever the table's
    // size); more are joined against arrays.
    if (dirty.length > 0 && dirty.length <= FEW_ROWS) {
      for (const job of dirty) {
        const r = job.record;
        parts.push(`UPDATE ${s}.jobs SET state = ${param(r.state)}::smallint, attempts = ${param(r.attempts)}::int,
          ready_at = ${param(r.readyAtMs)}::float8, window_end = ${param(r.windowEndMs)}::float8,
          lease_until = ${param(r.leaseUntilMs)}::float8, ended_at = ${param(r.endedAtMs)}::float8,
          forget_at = ${param(forgetAtOf(r, job.row.added_at, job.row.policy_key_id !== null, options))}::float8,
          cancel_requested = ${param(r.cancelRequested)}::boolean, lease_expired = ${param(r.leaseExpired)}::boolean,
          redial_child = ${param(job.redialChild)}::bigint
        WHERE campaign_id = ${cid} AND id = ${param(job.row.id)}::bigint${job === guard ? matches : onlyIf}`);
      }
    } else if (dirty.length > 0) {
      const column = (read: (job: LoadedJob) => unknown, type: string) =>
        `${param(dirty.map(read))}::${type}[]`;
      parts.push(`UPDATE ${s}.jobs j SET state = u.state, attempts = u.attempts, ready_at = u.ready_at,
        window_end = u.window_end, lease_until = u.lease_until, ended_at = u.ended_at, forget_at = u.forget_at,
        cancel_requested = u.cancel_requested, lease_expired = u.lease_expired, redial_child = u.redial_child
      FROM unnest(${column((job) => job.row.id, 'bigint')}, ${column((job) => job.record.state, 'smallint')},
        ${column((job) => job.record.attempts, 'int')}, ${column((job) => job.record.readyAtMs, 'float8')},
        ${column((job) => job.record.windowEndMs, 'float8')}, ${column((job) => job.record.leaseUntilMs, 'float8')},
        ${column((job) => job.record.endedAtMs, 'float8')},
        ${column((job) => forgetAtOf(job.record, job.row.added_at, job.row.policy_key_id !== null, options), 'float8')},
        ${column((job) => job.record.cancelRequested, 'boolean')}, ${column((job) => job.record.leaseExpired, 'boolean')},
        ${column((job) => job.redialChild, 'bigint')})
        AS u(id, state, attempts, ready_at, window_end, lease_until, ended_at, forget_at, cancel_requested, lease_expired, redial_child)
      WHERE j.campaign_id = ${cid} AND j.id = u.id${onlyIf}`);
    }
    if (served !== undefined) {
      const { job } = served;
      const id = param(job.row.id);
      const attempt = param(job.record.attempts);
      parts.push(`UPDATE ${s}.jobs SET state = ${param(job.record.state)}, attempts = ${attempt},
        lease_until = ${param(job.record.leaseUntilMs)}, lease_expired = ${param(job.record.leaseExpired)},
        lease_token = ${param(randomUUID())}::uuid, attempt_started_at = ${param(this.t)}::float8
      WHERE campaign_id = ${cid} AND id = ${id}`);
      const cap = served.cap;
      // The phone's cap count is learnt here when the row was made before it was stored (migration 8).
      const starts =
        (cap === undefined
          ? ''
          : `, recent_starts = ${param(cap.startsMs)}::float8[], cap_until = ${param(cap.untilMs)}::float8`) +
        (!this.ctx.capped ? '' : `, cap_count = ${param(capCountOf(options.rules, served.digits))}::int`);
      const phone = param(job.row.phone_id);
      parts.push(
        `UPDATE ${s}.phones SET dialing_job = ${id}, attempts = attempts + 1${starts} WHERE id = ${phone}`,
      );
      if (cap !== undefined && cap.untilMs > this.t) {
        // The cap holds the phone past this attempt: its other ready jobs are parked until then, but for
        // the rows this statement writes (one row written twice in a statement keeps one of the writes).
        const until = param(cap.untilMs);
        parts.push(`UPDATE ${s}.jobs SET hold_until = ${until}::float8 WHERE campaign_id = ${cid} AND id IN (
          SELECT id FROM ${s}.jobs WHERE phone_id = ${phone} AND state = ${READY} AND id <> ALL(${param(dirty.map((d) => d.row.id).concat(job.row.id))}::bigint[])
            AND hold_until < ${until}::float8 FOR UPDATE SKIP LOCKED)`);
      }
    }
    if (this.#freedPhones.size > 0) {
      parts.push(
        `UPDATE ${s}.phones SET dialing_job = NULL, free_at = GREATEST(free_at, ${param(this.t)}::float8)
        WHERE id = ANY(${param([...this.#freedPhones])}::bigint[])${onlyIf}`,
      );
    }
    // An attempt's call-log row is written once, when it ends.
    const logColumns =
      'campaign_id, job_id, attempt, phone, started_at_ms, ended_at_ms, outcome, lease_token';
    const onlyIfMatched = guard === undefined ? '' : ' WHERE EXISTS (SELECT 1 FROM w0)';
    if (this.#logEnds.length > 0 && this.#logEnds.length <= FEW_ROWS) {
      for (const end of this.#logEnds) {
        parts.push(`INSERT INTO ${s}.call_log (${logColumns})
        SELECT ${cid}, ${param(end.jobId)}::bigint, ${param(end.attempt)}::int, ${param(end.phone)}::text,
          ${param(end.startedAtMs)}::float8, ${param(end.atMs)}::float8, ${param(end.outcome)}::text,
          coalesce(${param(end.token)}::uuid, gen_random_uuid())${onlyIfMatched}`);
      }
    } else if (this.#logEnds.length > 0) {
      const ends = this.#logEnds;
      const column = (read: (end: (typeof ends)[number]) => unknown, type: string) =>
        `${param(ends.map(read))}::${type}[]`;
      parts.push(`INSERT INTO ${s}.call_log (${logColumns})
      SELECT ${cid}, e.job_id, e.attempt, e.phone, e.started_at_ms, e.ended_at_ms, e.outcome, coalesce(e.token, gen_random_uuid())
      FROM unnest(${column((end) => end.jobId, 'bigint')}, ${column((end) => end.attempt, 'int')},
        ${column((end) => end.phone, 'text')}, ${column((end) => end.startedAtMs, 'float8')},
        ${column((end) => end.atMs, 'float8')}, ${column((end) => end.outcome, 'text')}, ${column((end) => end.token, 'uuid')})
        AS e(job_id, attempt, phone, started_at_ms, ended_at_ms, outcome, token)${onlyIfMatched}`);
    }
    if (moveClock) {
      // The connection's clock row is updated in place (it exists after the connection's first call).
      parts.push(`UPDATE ${s}.clocks SET latest_ms = GREATEST(latest_ms, ${param(this.t)}::float8)
        WHERE campaign_id = ${cid} AND backend_pid = pg_backend_pid()${onlyIf}`);
    }
    const ctes = parts.map((part, k) => `w${k} AS (${part} RETURNING 1)`);
    const clockCte = moveClock ? `w${parts.length - 1}` : undefined;
    const text = `WITH ${ctes.join(',\n')}
      SELECT ${guard === undefined ? '1' : '(SELECT count(*)::int FROM w0)'} AS applied,
        ${clockCte === undefined ? '1' : `(SELECT count(*)::int FROM ${clockCte})`} AS clocked`;
    const result = await this.query<{ applied: number; clocked: number }>(text, values);
    const applied = result.rows[0]!.applied === 1;
    if (!applied) return false;
    if (result.rows[0]!.clocked === 0) {
      await this.query(
        `INSERT INTO ${s}.clocks (campaign_id, backend_pid, latest_ms) VALUES ($1, pg_backend_pid(), $2)
        ON CONFLICT (campaign_id, backend_pid) DO UPDATE SET latest_ms = GREATEST(${s}.clocks.latest_ms, EXCLUDED.latest_ms)`,
        [campaignId, this.t],
      );
    }
    for (const job of dirty) job.dirty = false;
    this.#served = undefined;
    this.#freedPhones.clear();
    this.#logEnds.length = 0;
    if (moveClock) {
      this.latestBefore = this.t;
      this.storedBefore = this.t;
    }
    return applied;
  }

  /**
   * The guarded write of a report at `atMs` of a task this process served (see `writeIfUnchanged`), by
   * the schema's `report_served` (migration 8): the job's row as the attempt's end left it, its phone's
   * line, its call-log row and the instant.
   */
  async #writeServedReport(job: LoadedJob, atMs: number): Promise<boolean> {
    const { s } = this.ctx;
    const values = this.servedReportValues(job, atMs);
    const result = await this.query<{ applied: boolean }>(
      `SELECT ${s}.report_served(${placeholders(1, values.length)}) AS applied`,
      values,
    );
    return this.servedReportWritten(job, result.rows[0]?.applied === true);
  }

  /** The arguments of `report_served` for the report at `atMs` of `job`, the one row this call changed. */
  servedReportValues(job: LoadedJob, atMs: number): unknown[] {
    const dirty = [...this.jobs.values()].filter((loaded) => loaded.dirty);
    const freed = [...this.#freedPhones];
    const ends = this.#logEnds;
    if (
      dirty.length !== 1 ||
      dirty[0] !== job ||
      this.#served !== undefined ||
      freed.length > 1 ||
      ends.length > 1
    )
      throw new Error(`a guarded write of job ${job.row.id} changes other rows`);
    const { campaignId, options } = this.ctx;
    const r = job.record;
    const m = job.row;
    const end = ends[0];
    return [
      campaignId,
      atMs,
      options.leaseTimeoutMs,
      m.id,
      m.state,
      m.attempts,
      m.lease_until,
      m.cancel_requested,
      m.lease_expired,
      r.state,
      r.attempts,
      r.readyAtMs,
      r.windowEndMs,
      r.leaseUntilMs,
      r.endedAtMs,
      forgetAtOf(r, m.added_at, m.policy_key_id !== null, options),
      r.cancelRequested,
      r.leaseExpired,
      freed[0] ?? null,
      end?.attempt ?? null,
      end?.phone ?? null,
      end?.startedAtMs ?? null,
      end?.atMs ?? null,
      end?.outcome ?? null,
      end?.token ?? null,
    ];
  }

  /** After a served task's report was sent: when it `applied`, the transaction's state is as written. */
  servedReportWritten(job: LoadedJob, applied: boolean): boolean {
    if (!applied) return false;
    job.dirty = false;
    this.#freedPhones.clear();
    this.#logEnds.length = 0;
    this.latestBefore = this.t;
    this.storedBefore = this.t;
    return true;
  }

  /** Writes what is left, with the call's instant as this connection's view of the campaign's time, and commits. */
  async finish(): Promise<void> {
    await this.flush(true);
    await this.client.query('COMMIT');
  }
}

/** The first ready job as serving reads it, with its phone. */
type ServeRow = JobRow & { digits: string; phone_attempts: number; phone_starts: number[] | null };

/**
 * The error of a serve that found the campaign's time moved past its instant while its transaction
 * ran: a serialization failure (`40001`), so that the call runs again from a fresh read of the time.
 */
function timeMovedOn(): Error {
  return Object.assign(new Error("the campaign's time moved past the call's instant while it ran"), {
    code: '40001',
  });
}

const beginStatements = new Map<string, string>();

/**
 * The campaign's time as stored (of alias `c` of `campaigns`): its own instant or its connections' latest.
 * A serve does not write it: its instant is its lease's start (see {@link campaignLatest}).
 */
export function storedLatest(s: string): string {
  return `GREATEST(c.latest_ms, coalesce((SELECT max(k.latest_ms) FROM ${s}.clocks k WHERE k.campaign_id = c.id), '-Infinity'))`;
}

/**
 * The campaign's time (of alias `c` of `campaigns`): the stored time, or the start of the latest lease
 * (latest deadline, then latest start; an attempt's start is its job row's). A serve stores its instant
 * only in its lease when that lease is the latest; a call that ends a lease stores its own instant, so
 * the time never goes back when the lease goes. `leaseTimeoutMs` dates a lease without a recorded start.
 */
export function campaignLatest(s: string, leaseTimeoutMs: number): string {
  return `GREATEST(${storedLatest(s)}, coalesce((SELECT coalesce(attempt_started_at, lease_until - ${sqlNumber(leaseTimeoutMs)})
    FROM ${s}.jobs WHERE campaign_id = c.id AND state = ${DIALING} ORDER BY lease_until DESC, attempt_started_at DESC LIMIT 1),
    '-Infinity'))`;
}

/** A finite number as an SQL `float8` literal. */
function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`expected a finite number, got ${value}`);
  return `${value}::float8`;
}

/**
 * The statement `begin` runs ($1 campaign, $2 the call's `now` or null, $3 the reported job): the
 * campaign's state, which kinds of time-driven work are due at the call's instant, and (for `next`)
 * the first ready job whose phone is free or (for a report) the job named, locked in a transaction.
 * One text per variant, built once.
 */
function beginStatement(
  s: string,
  leaseTimeoutMs: number,
  lockCampaign: boolean,
  candidate: boolean,
  target: boolean,
  transaction: boolean,
  capped: boolean,
): string {
  const key = `${s}|${leaseTimeoutMs}|${lockCampaign}|${candidate}|${target}|${transaction}|${capped}`;
  let text = beginStatements.get(key);
  if (text !== undefined) return text;
  const ready = candidate
    ? `LEFT JOIN LATERAL (SELECT ${jobColumns('c_')}, p.digits AS c_digits, p.attempts AS c_phone_attempts,
          p.recent_starts AS c_phone_starts
        FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
        WHERE j.campaign_id = $1 AND j.state = ${READY} AND j.hold_until = '-Infinity' AND j.window_end > tt.t
          AND j.ready_at <= tt.t AND p.dialing_job IS NULL AND p.cap_until <= tt.t AND p.free_at <= tt.t
        ORDER BY j.priority, j.window_end, j.ready_at, j.id LIMIT 1 FOR UPDATE OF j, p SKIP LOCKED) cand ON true`
    : '';
  const reported = target
    ? `LEFT JOIN LATERAL (SELECT ${jobColumns('r_')}, p.attempts AS r_phone_attempts, p.digits AS r_phone_digits
        FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
        WHERE j.campaign_id = $1 AND j.id = $3::bigint${transaction ? ' FOR UPDATE OF j' : ''}) target ON true`
    : '';
  text = `WITH c AS (
      SELECT c.paused, c.next_job::float8 AS next_job, ${campaignLatest(s, leaseTimeoutMs)} AS latest_ms,
        ${storedLatest(s)} AS stored_ms, floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS db_now
      FROM ${s}.campaigns c WHERE c.id = $1${lockCampaign ? ' FOR UPDATE' : ''}),
    tt AS (SELECT c.*, GREATEST(coalesce($2::float8, c.db_now), c.latest_ms) AS t FROM c)
    SELECT tt.paused, tt.next_job, tt.latest_ms, tt.stored_ms, tt.t,
      coalesce((SELECT min(lease_until) FROM ${s}.jobs WHERE campaign_id = $1 AND state = ${DIALING}) <= tt.t, false) AS leases_due,
      coalesce((SELECT min(window_end) FROM ${s}.jobs WHERE campaign_id = $1 AND state = ${READY} AND window_end < 'Infinity') <= tt.t, false)
        OR coalesce((SELECT min(ready_at) FROM ${s}.jobs WHERE campaign_id = $1 AND state = ${WAITING}) <= tt.t, false)
        ${capped ? `OR coalesce((SELECT min(hold_until) FROM ${s}.jobs WHERE campaign_id = $1 AND state = ${READY} AND hold_until > '-Infinity') <= tt.t, false)` : ''}
        AS lines_due,
      coalesce((SELECT min(forget_at) FROM ${s}.jobs WHERE campaign_id = $1 AND state BETWEEN 3 AND 7) <= tt.t, false)
        AS forget_due
      ${candidate ? ', cand.*' : ''}${target ? ', target.*' : ''}
    FROM tt ${ready} ${reported}`;
  beginStatements.set(key, text);
  return text;
}

/** Rows `advance` reads and moves on per statement (rounds repeat until none is left). */
const BATCH = 2000;
/**
 * Phones held by their cap that `nextReadyAt` reads first, four times as many each statement after (it
 * stops at the first that cannot beat its answer, usually in the first few).
 */
const HELD_FIRST_BATCH = 10;
/** Rows promoted or forgotten per statement (no row is read back). */
const PROMOTE_BATCH = 20_000;

/** Rows written one sub-statement each by `flush`; more go through arrays. */
const FEW_ROWS = 4;

/** Prepared-statement names by statement text. */
const statementNames = new Map<string, string>();

/** A statement's name for pg's prepared statements: a hash of its text (equal texts share a plan). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `ds_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (statementNames.size < 4096) statementNames.set(text, name);
  }
  return name;
}

/** `$from, $from+1, ...`: `count` statement placeholders. */
export function placeholders(from: number, count: number): string {
  return Array.from({ length: count }, (_, k) => `$${from + k}`).join(', ');
}
