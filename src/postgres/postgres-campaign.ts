import pg from 'pg';
import type { AsyncCampaign } from '../engine/async-campaign.js';
import {
  checkNow,
  checkSelection,
  jobIdOf,
  jobNumberOf,
  optionError,
  readCallOptions,
  readPageOptions,
  readRetryMinutes,
  reportProblem,
  reportTarget,
} from '../engine/call-args.js';
import { askDoNotCall, blockedByOption, blockedPhoneError, readPhoneList } from '../engine/do-not-call.js';
import { type CampaignEventType, type CampaignListener, checkListener, EventHub } from '../engine/events.js';
import { explainJob, type JobExplanation, jobLayers, newJobLayerCache } from '../engine/explain-job.js';
import { CODE_NAMES, DIALING, PENDING, READY, STATE_NAMES, WAITING } from '../engine/job-state.js';
import { admit, cancel, type JobRecord, newJob } from '../engine/lifecycle.js';
import type { ResolvedOptions } from '../engine/options.js';
import type { CampaignSnapshot } from '../engine/snapshot.js';
import type {
  AddPhonesOptions,
  AddPhonesResult,
  CallTask,
  CampaignStats,
  CancelSelection,
  JobView,
} from '../engine/types.js';
import { windowAt } from '../engine/window-at.js';
import { DialerError, quote } from '../errors.js';
import { parsePhone } from '../policy/fields.js';
import { parseEntries } from '../policy/parse-entries.js';
import { originKey } from '../policy/policy-key.js';
import { resolveRedialJob } from '../policy/resolve.js';
import { issuesFromZod, redialSchemaFor } from '../policy/schemas.js';
import type { EntryInput, PolicyInput } from '../policy/types.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { type ServedAtOnce, type ServedTask, serveAtOnce, servedOf } from './at-once.js';
import { type CampaignContext, CampaignTx, campaignLatest } from './campaign-tx.js';
import { type Cycle, type CycleResult, writeCycles } from './cycle-batch.js';
import { dedupKeyOf } from './dedup-key.js';
import { addListed, listedPhones, phoneListing, removeListed } from './do-not-call-rows.js';
import { PolicyKeyTable, ScheduleTable } from './intern-tables.js';
import { insertJobs, type NewJob, phonesOf } from './job-insert.js';
import { JOB_SELECT, type JobRow, type LoadedJob } from './job-row.js';
import {
  type PostgresCampaignOptions,
  readOpenOptions,
  reopenedOptions,
  type StoredOptions,
  storedOptionsOf,
} from './open-options.js';
import { ReportWrittenError } from './report-written-error.js';
import { migrate, quoteIdentifier } from './schema.js';
import { importSnapshot, readSnapshotRows } from './snapshot-io.js';

/** PostgreSQL error codes of a transaction that lost a race and can be run again whole. */
const RETRIED_CODES = new Set(['40P01', '40001']);
const MAX_TRIES = 10;
/** Tasks served at once kept for their reports, at most (the oldest go first). */
const SERVED_KEPT = 4096;
/** The most cycles (`completeAndNext`, `failAndNext`) written by one statement. */
const CYCLES_PER_BATCH = 16;

/** A report of a task this process served at once, at a known instant. */
interface ServedReport {
  readonly at: number;
  readonly served: ServedTask;
  /** The job ID and attempt as the report names them (checked by `reportProblem`). */
  readonly id: unknown;
  readonly attempt: unknown;
  readonly failed: boolean;
  readonly retryOverride: number | undefined;
}

/** A report with its next serve, waiting for its batch; settled with `#reportServed`'s result. */
interface PendingCycle extends ServedReport {
  readonly resolve: (result: { readonly served: ServedAtOnce | undefined } | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A campaign kept in PostgreSQL (spec section 13): the methods of `Campaign`, as promises, each one
 * transaction; many processes may open the same campaign and serve it at once. Time is a call's `now`,
 * else the `clock` option, else the database server's clock; the campaign's time is stored, so it never
 * runs backwards across processes. Listeners hear the events of this process's calls, after commit.
 */
export class PostgresCampaign implements AsyncCampaign {
  /** The campaign's name. */
  readonly name: string;
  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  readonly #options: ResolvedOptions;
  readonly #hasClock: boolean;
  readonly #hub = new EventHub();
  readonly #s: string;
  readonly #campaignId: number;
  readonly #layers = newJobLayerCache();
  #ctx: CampaignContext;
  #closed = false;
  /** Tasks this process served at once and has not seen reported, by job row ID. */
  readonly #served = new Map<number, ServedTask>();
  /** Reports with their next serve waiting to be sent (`#sendCycles`), and the batches in flight. */
  readonly #cycles: PendingCycle[] = [];
  /** Cycle statements in flight or waiting for a connection (at most `#cycleStatements`), and those waiting. */
  #cycleSenders = 0;
  #cycleSendersWaiting = 0;
  readonly #cycleStatements: number;

  private constructor(
    name: string,
    pool: pg.Pool,
    ownsPool: boolean,
    schema: string,
    campaignId: number,
    options: ResolvedOptions,
    hasClock: boolean,
    cycleStatements: number,
  ) {
    this.name = name;
    this.#cycleStatements = cycleStatements;
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#s = quoteIdentifier(schema);
    this.#campaignId = campaignId;
    this.#options = options;
    this.#hasClock = hasClock;
    this.#ctx = this.#newContext();
  }

  /**
   * Opens the campaign `name` (creating the schema and the campaign when missing). The data options
   * (section 10) are stored when the campaign is created; a later open may omit them, and one that
   * contradicts them is `invalid.option`. Functions (`clock`, `zoneResolver`, `doNotCall`) are this process's.
   */
  static async open(options: PostgresCampaignOptions): Promise<PostgresCampaign> {
    const open = readOpenOptions(options);
    const { pool, owns } = poolOf(open);
    try {
      const stored = storedOptionsOf(open.resolved);
      const client = await checkOut(pool);
      let row: { id: number; options: StoredOptions };
      try {
        await migrate(client, open.schema);
        const s = quoteIdentifier(open.schema);
        await client.query(
          `INSERT INTO ${s}.campaigns (name, options) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
          [open.name, JSON.stringify(stored)],
        );
        const found = await client.query<{ id: number; options: StoredOptions }>(
          `SELECT id::float8 AS id, options FROM ${s}.campaigns WHERE name = $1`,
          [open.name],
        );
        row = found.rows[0]!;
      } finally {
        client.release();
      }
      const resolved = reopenedOptions(row.options, open.campaign, open.resolved, open.name);
      return new PostgresCampaign(
        open.name,
        pool,
        owns,
        open.schema,
        row.id,
        resolved,
        open.campaign.clock !== undefined,
        open.cycleStatements,
      );
    } catch (error) {
      if (owns) await pool.end();
      throw error;
    }
  }

  /**
   * Creates the campaign `name` from `snapshot()` output of either backend (`Campaign.restore`'s
   * checks; options given override the snapshot's, functions are given again). It continues exactly as
   * the original would have. A campaign of that name must not exist yet (`invalid.option`).
   */
  static async import(snapshot: unknown, options: PostgresCampaignOptions): Promise<PostgresCampaign> {
    const open = readOpenOptions(options);
    const { pool, owns } = poolOf(open);
    try {
      const client = await checkOut(pool);
      let campaignId: number;
      let resolved: ResolvedOptions;
      try {
        await migrate(client, open.schema);
        ({ campaignId, resolved } = await importSnapshot(
          client,
          quoteIdentifier(open.schema),
          open.name,
          snapshot,
          open.campaign,
        ));
      } finally {
        client.release();
      }
      return new PostgresCampaign(
        open.name,
        pool,
        owns,
        open.schema,
        campaignId,
        resolved,
        open.campaign.clock !== undefined,
        open.cycleStatements,
      );
    } catch (error) {
      if (owns) await pool.end();
      throw error;
    }
  }

  /** Ends the campaign's own pool (a pool passed in `pool` is the caller's to end). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Calls waiting to be sent together run as their two calls, which find the campaign closed.
    for (const pending of this.#cycles.splice(0)) pending.resolve(undefined);
    if (this.#ownsPool) await this.#pool.end();
  }

  // --- adding ---

  async addPhones(entries: readonly unknown[], options: AddPhonesOptions = {}): Promise<AddPhonesResult> {
    const { now, partial } = readCallOptions(options, ['now', 'partial']);
    if (partial !== undefined && typeof partial !== 'boolean') {
      throw optionError('partial', partial, 'true or false');
    }
    const at = this.#instantOf(now);
    const body = parseEntries(entries, this.#parseOptions());
    if (body.errors.length > 0 && partial !== true) throw new DialerError(body.errors, body.omittedErrors);
    const named = blockedByOption(this.#options.doNotCall, body.accepted);
    return this.#call(at, true, async (tx) => {
      await tx.advance();
      const { t } = tx;
      const { s, campaignId, options } = tx.ctx;
      // Read under the campaign row's lock, as a block takes it: no job is added for a phone listed.
      const listed = await listedPhones(
        tx,
        body.accepted.flatMap((entry) => (entry === undefined ? [] : [entry.phone])),
      );
      const isBlocked = body.accepted.map(
        (entry, index) => entry !== undefined && (named?.[index] === true || listed.has(entry.phone)),
      );
      const accepted = body.accepted.filter(
        (entry, index): entry is NonNullable<typeof entry> => entry !== undefined && !isBlocked[index],
      );
      const keys = body.accepted.map((entry, index) =>
        entry === undefined || isBlocked[index]
          ? undefined
          : dedupKeyOf(entry.phone, entry.scheduleKey, entry.ownFields, entry.payload),
      );
      const known = new Map<string, number>();
      if (accepted.length > 0) {
        const found = await tx.query<{ key: string; id: number }>(
          `SELECT encode(key, 'hex') AS key, max(job_id)::float8 AS id FROM ${s}.dedup
          WHERE campaign_id = $1 AND key = ANY($2::bytea[]) AND added_at > $3 GROUP BY key`,
          [campaignId, keys.filter((key) => key !== undefined), t - options.dedupWindowMs],
        );
        for (const row of found.rows) known.set(row.key, row.id);
      }
      const phones = await phonesOf(tx, accepted);
      const scheduleIds = await tx.ctx.schedules.idsOf(
        tx.client,
        accepted.map((entry) => entry.job.schedule),
      );
      const policyKeyIds = await tx.ctx.policyKeys.idsOf(
        tx.client,
        accepted.map((entry) => entry.scheduleKey),
      );
      const jobIds: (string | null)[] = [];
      const duplicates: number[] = [];
      const blocked: number[] = [];
      const created: NewJob[] = [];
      let k = 0;
      for (let index = 0; index < body.accepted.length; index++) {
        const entry = body.accepted[index];
        if (entry === undefined) {
          jobIds.push(null);
          continue;
        }
        if (isBlocked[index]) {
          jobIds.push(null);
          blocked.push(index);
          continue;
        }
        const slot = k++;
        const key = keys[index]!.toString('hex');
        const existing = known.get(key);
        if (existing !== undefined) {
          jobIds.push(jobIdOf(existing - 1));
          duplicates.push(index);
          continue;
        }
        const phone = phones.get(entry.phone)!;
        const id = tx.nextJobId++;
        const emit = tx.emitFor(id);
        const record = newJob(entry.job.maxAttempts, entry.job.retryMinutes, false);
        emit('added', t, 0);
        admit(record, entry.job.schedule, this.#atCap(phone.attempts), t, tx.latest, emit);
        created.push({
          id,
          phoneId: phone.id,
          scheduleId: scheduleIds[slot]!,
          priority: entry.job.priority,
          record,
          addedAtMs: t,
          redialOf: null,
          policyKeyId: policyKeyIds[slot]!,
          ownFields: entry.ownFields,
          // An entry's origin key is its policy key.
          originKeyId: policyKeyIds[slot]!,
          dedupKey: keys[index]!,
          payload: entry.payload === undefined ? null : JSON.stringify(entry.payload),
          holdUntilMs: holdOf(record, phone.capUntilMs, t),
        });
        // Later entries of the body that repeat this one are its duplicates (while the window is open).
        if (options.dedupWindowMs > 0) known.set(key, id);
        jobIds.push(jobIdOf(id - 1));
      }
      await insertJobs(tx, created);
      await tx.storeNextJobId();
      return {
        jobIds,
        duplicates,
        blocked,
        warnings: [...body.warnings],
        rejected: partial === true ? [...body.errors] : [],
        omittedRejected: partial === true ? body.omittedErrors : 0,
      };
    });
  }

  async addTestPhone(entry: EntryInput, options: { readonly now?: number } = {}): Promise<string> {
    const { now } = readCallOptions(options, ['now']);
    const at = this.#instantOf(now);
    const body = parseEntries([entry], this.#parseOptions());
    const accepted = body.accepted[0];
    if (accepted === undefined)
      throw new DialerError(body.errors.map(({ index: _index, ...issue }) => issue));
    return this.#call(at, true, async (tx) => {
      const { doNotCall } = this.#options;
      const listed = (await listedPhones(tx, [accepted.phone])).size > 0;
      if (listed || (doNotCall !== undefined && askDoNotCall(doNotCall, accepted.phone)))
        throw blockedPhoneError(accepted.phone);
      await tx.advance();
      const { t } = tx;
      const phone = (await phonesOf(tx, [accepted])).get(accepted.phone)!;
      const [scheduleId] = await tx.ctx.schedules.idsOf(tx.client, [accepted.job.schedule]);
      const [originKeyId] = await tx.ctx.policyKeys.idsOf(tx.client, [accepted.scheduleKey]);
      const id = tx.nextJobId++;
      const emit = tx.emitFor(id);
      const record = newJob(accepted.job.maxAttempts, accepted.job.retryMinutes, false);
      emit('added', t, 0);
      admit(record, accepted.job.schedule, this.#atCap(phone.attempts), t, tx.latest, emit);
      for (const { index: _index, ...issue } of body.warnings) tx.warning(id, t, issue);
      await insertJobs(tx, [
        {
          id,
          phoneId: phone.id,
          scheduleId: scheduleId!,
          priority: accepted.job.priority,
          record,
          addedAtMs: t,
          redialOf: null,
          policyKeyId: null,
          ownFields: 0,
          originKeyId: originKeyId!,
          dedupKey: null,
          payload: accepted.payload === undefined ? null : JSON.stringify(accepted.payload),
          holdUntilMs: holdOf(record, phone.capUntilMs, t),
        },
      ]);
      await tx.storeNextJobId();
      return jobIdOf(id - 1);
    });
  }

  // --- serving ---

  async next(now?: number): Promise<CallTask | undefined> {
    return this.#next(this.#instantOf(now));
  }

  async #next(at: number | undefined): Promise<CallTask | undefined> {
    const done = await this.#serveAtOnce(at);
    if (done !== undefined) return done.task;
    return this.#serveInTx(at);
  }

  /** `next` as a transaction (something is due, or the serve needs checks `serve_next` leaves to it). */
  #serveInTx(at: number | undefined): Promise<CallTask | undefined> {
    return this.#call(
      at,
      false,
      async (tx) => {
        await tx.advance();
        return tx.paused ? undefined : tx.serve();
      },
      { candidate: true },
    );
  }

  async nextReadyAt(now?: number): Promise<number | undefined> {
    const at = this.#instantOf(now);
    // Its reads take several statements: one snapshot, so that a report committed meanwhile is seen
    // by all of them or by none (a serialization failure is run again).
    return this.#call(
      at,
      false,
      async (tx) => {
        await tx.advance();
        return tx.paused ? undefined : tx.nextReadyAt();
      },
      { oneSnapshot: true },
    );
  }

  // --- reports ---

  async complete(jobIdOrTask: string | CallTask, now?: number): Promise<void> {
    await this.#report(this.#instantOf(now), jobIdOrTask, false, undefined);
  }

  async fail(
    jobIdOrTask: string | CallTask,
    now?: number,
    options?: { readonly retryIntervalInMinutes?: number },
  ): Promise<void> {
    const { retryIntervalInMinutes } = readCallOptions(options, ['retryIntervalInMinutes']);
    const retryOverride = readRetryMinutes(retryIntervalInMinutes);
    await this.#report(this.#instantOf(now), jobIdOrTask, true, retryOverride);
  }

  async completeAndNext(jobIdOrTask: string | CallTask, now?: number): Promise<CallTask | undefined> {
    return this.#reportAndNext(this.#instantOf(now), jobIdOrTask, false, undefined);
  }

  async failAndNext(
    jobIdOrTask: string | CallTask,
    now?: number,
    options?: { readonly retryIntervalInMinutes?: number },
  ): Promise<CallTask | undefined> {
    const { retryIntervalInMinutes } = readCallOptions(options, ['retryIntervalInMinutes']);
    const retryOverride = readRetryMinutes(retryIntervalInMinutes);
    return this.#reportAndNext(this.#instantOf(now), jobIdOrTask, true, retryOverride);
  }

  /**
   * A report, then `next` at the same instant: one statement for both when the report is of a task this
   * process served and the serve needs no transaction; else the report as `#report` writes it, then the
   * serve as `#next` does.
   */
  async #reportAndNext(
    at: number | undefined,
    jobIdOrTask: unknown,
    failed: boolean,
    retryOverride: number | undefined,
  ): Promise<CallTask | undefined> {
    const reported = await this.#reportServed(at, jobIdOrTask, failed, retryOverride, true);
    if (reported === undefined) {
      await this.#report(at, jobIdOrTask, failed, retryOverride);
      return afterReport(this.#next(at));
    }
    return reported.served === undefined ? afterReport(this.#serveInTx(at)) : reported.served.task;
  }

  /** Ends the attempt a report names: at once when nothing stands in the way, else as a transaction. */
  async #report(
    at: number | undefined,
    jobIdOrTask: unknown,
    failed: boolean,
    retryOverride: number | undefined,
  ): Promise<void> {
    if ((await this.#reportServed(at, jobIdOrTask, failed, retryOverride, false)) !== undefined) return;
    if (await this.#reportAtOnce(at, jobIdOrTask, failed, retryOverride)) return;
    await this.#call(
      at,
      false,
      async (tx) => {
        const job = await this.#reportedJob(tx, jobIdOrTask, 'report');
        await tx.advance();
        tx.endAttempt(job, tx.t, failed, failed ? (retryOverride ?? job.record.retryMinutes) : 0, false);
      },
      { target: jobIdOrTask },
    );
  }

  async redial(jobId: string | CallTask, params: PolicyInput, now?: number): Promise<string | null> {
    const at = this.#instantOf(now);
    return this.#call(at, true, async (tx) => {
      const parent = await this.#reportedJob(tx, jobId, 'redial');
      if (parent.redialChild !== null) {
        // One redial per attempt: later calls are ignored, not validated (but time still moves on).
        await tx.advance();
        return jobIdOf(parent.redialChild - 1);
      }
      const parsed = redialSchemaFor({ strictPriority: this.#options.strictPriority }).safeParse(params);
      if (!parsed.success) throw new DialerError(issuesFromZod(parsed.error, undefined));
      const { policy, warnings } = parsed.data;
      const zoneIds = tx.scheduleOf(parent).zoneIds;
      // Explanations read a redial's own fields in one zone: the first of its number's.
      const zoneId = zoneIds[0]!;
      const { doNotCall } = this.#options;
      const phone = await phoneListing(tx, parent.row.phone_id);
      const blocked = phone.listed || (doNotCall !== undefined && askDoNotCall(doNotCall, phone.digits));
      const settings = resolveRedialJob(
        policy,
        this.#options.defaults,
        zoneIds,
        parent.row.priority,
        this.#options.rules.forPhone(phone.digits).compiled,
      );
      await tx.advance();
      if (blocked || this.#atCap(tx.phoneAttempts.get(parent.row.phone_id) ?? 0)) return null;
      const { t } = tx;
      const [scheduleId] = await tx.ctx.schedules.idsOf(tx.client, [settings.schedule]);
      const [originKeyId] = await tx.ctx.policyKeys.idsOf(tx.client, [
        originKey('redial', { ...policy, gmtZone: zoneId }),
      ]);
      const id = tx.nextJobId++;
      parent.redialChild = id;
      parent.record.hasRedial = true;
      parent.dirty = true;
      tx.emitFor(id)('added', t, 0);
      for (const issue of [...warnings, ...settings.warnings]) tx.warning(id, t, issue);
      await insertJobs(tx, [
        {
          id,
          phoneId: parent.row.phone_id,
          scheduleId: scheduleId!,
          priority: settings.priority,
          record: newJob(settings.maxAttempts, settings.retryMinutes, true),
          addedAtMs: t,
          redialOf: parent.row.id,
          policyKeyId: null,
          ownFields: 0,
          originKeyId: originKeyId!,
          dedupKey: null,
          payload: parent.row.payload,
        },
      ]);
      await tx.storeNextJobId();
      return jobIdOf(id - 1);
    });
  }

  async cancel(selection: CancelSelection, now?: number): Promise<string[]> {
    const { jobIds, phones } = checkSelection(selection);
    const at = this.#instantOf(now);
    return this.#call(at, false, async (tx) => {
      await tx.advance();
      const ids: number[] = [];
      for (const id of jobIds) {
        const n = jobNumberOf(id);
        if (n >= 0) ids.push(n + 1);
      }
      const digits: string[] = [];
      for (const phone of phones) {
        const parsed = parsePhone(phone, () => {});
        if (parsed !== undefined) digits.push(parsed);
      }
      ids.push(...(await this.#jobsOfPhones(tx, digits)));
      return this.#cancelJobs(tx, ids);
    });
  }

  async blockPhones(phones: readonly (string | number)[], now?: number): Promise<string[]> {
    const digits = readPhoneList(phones, 'blockPhones');
    const at = this.#instantOf(now);
    // The campaign row's lock, as adds take it: see do-not-call-rows.ts.
    return this.#call(at, true, async (tx) => {
      await tx.advance();
      await addListed(tx, digits);
      return this.#cancelJobs(tx, await this.#jobsOfPhones(tx, digits));
    });
  }

  async unblockPhones(phones: readonly (string | number)[], now?: number): Promise<string[]> {
    const digits = readPhoneList(phones, 'unblockPhones');
    const at = this.#instantOf(now);
    return this.#call(at, false, async (tx) => {
      await tx.advance();
      return removeListed(tx, digits);
    });
  }

  /** The IDs of every job of these phones (digits): each phone's jobs newest first, phones in the order given. */
  async #jobsOfPhones(tx: CampaignTx, digits: readonly string[]): Promise<number[]> {
    if (digits.length === 0) return [];
    const found = await tx.query<{ digits: string; id: number }>(
      `SELECT p.digits, j.id::float8 AS id FROM ${this.#s}.jobs j JOIN ${this.#s}.phones p ON p.id = j.phone_id
      WHERE j.campaign_id = $1 AND p.campaign_id = $1 AND p.digits = ANY($2::text[]) ORDER BY j.id DESC`,
      [this.#campaignId, digits],
    );
    const ids: number[] = [];
    for (const phone of digits) for (const row of found.rows) if (row.digits === phone) ids.push(row.id);
    return ids;
  }

  /** Cancels these jobs (locked first) as `cancel` does; returns the IDs cancelled. */
  async #cancelJobs(tx: CampaignTx, ids: readonly number[]): Promise<string[]> {
    await tx.lockJobs(ids);
    const cancelled: string[] = [];
    for (const id of ids) {
      const job = tx.jobs.get(id);
      if (job === undefined || !cancel(job.record, tx.t, tx.emitOf(job))) continue;
      job.dirty = true;
      cancelled.push(jobIdOf(id - 1));
    }
    return cancelled;
  }

  // --- pausing ---

  async pause(): Promise<void> {
    await this.#setPaused(true);
  }

  async resume(): Promise<void> {
    await this.#setPaused(false);
  }

  async isPaused(): Promise<boolean> {
    const result = await this.#pool.query<{ paused: boolean }>(
      `SELECT paused FROM ${this.#s}.campaigns WHERE id = $1`,
      [this.#campaignId],
    );
    return result.rows[0]!.paused;
  }

  // --- views ---

  async job(jobId: string): Promise<JobView | undefined> {
    const n = jobNumberOf(jobId);
    if (n < 0) return undefined;
    const result = await this.#pool.query<ViewRow>(
      `${this.#viewSelect} WHERE j.campaign_id = $1 AND j.id = $2`,
      [this.#campaignId, n + 1],
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return viewOf(row, await this.#heldNextAttempts(result.rows));
  }

  /**
   * The `nextAttemptAt` of the waiting and ready jobs among `rows` whose phone's 24-hour cap holds them at
   * the campaign's latest instant, by job ID: the first instant the cap and the job's windows allow (`null`
   * when its windows end before), as in memory.
   */
  async #heldNextAttempts(rows: readonly ViewRow[]): Promise<Map<number, number | null>> {
    const held = rows.filter(
      (row) => (row.state === WAITING || row.state === READY) && row.cap_until > row.latest_ms,
    );
    const byId = new Map<number, number | null>();
    if (held.length === 0) return byId;
    const schedules = this.#ctx.schedules;
    await schedules.load(
      this.#pool,
      held.map((row) => row.schedule_id),
    );
    for (const row of held) byId.set(row.id, heldNextAttemptAt(schedules.get(row.schedule_id), row));
    return byId;
  }

  async unfinishedJobs(
    options: { readonly offset?: number; readonly limit?: number } = {},
  ): Promise<JobView[]> {
    const { offset, limit } = readPageOptions(options);
    // The primary key gives job-ID order; finished rows are skipped by the filter.
    const result = await this.#pool.query<ViewRow>(
      `${this.#viewSelect} WHERE j.campaign_id = $1 AND j.state IN (${WAITING}, ${READY}, ${DIALING}, ${PENDING})
      ORDER BY j.id OFFSET $2 LIMIT $3`,
      [this.#campaignId, offset, limit],
    );
    const held = await this.#heldNextAttempts(result.rows);
    return result.rows.map((row) => viewOf(row, held));
  }

  /** As `Campaign.explain`, in one transaction: `now` moves the campaign's time on. */
  async explain(jobId: string, now?: number): Promise<JobExplanation | undefined> {
    const at = this.#instantOf(now);
    return this.#call(at, false, async (tx) => {
      await tx.advance();
      // The rows as this call's transitions left them.
      await tx.flush();
      const n = jobNumberOf(jobId);
      if (n < 0) return undefined;
      const s = this.#s;
      const result = await tx.query<ExplainRow>(
        `SELECT ${JOB_SELECT}, p.digits, p.dialing_job::float8 AS dialing_job, p.cap_until, h.id::float8 AS holder_id,
          h.lease_until AS holder_lease_until, coalesce(k.key, pk.key) AS origin_key
        FROM ${s}.jobs j JOIN ${s}.phones p ON p.id = j.phone_id
        LEFT JOIN ${s}.jobs h ON h.campaign_id = j.campaign_id
          AND h.id = (CASE WHEN j.state = ${PENDING} THEN j.redial_of ELSE p.dialing_job END)
        LEFT JOIN ${s}.policy_keys k ON k.id = j.origin_key_id
        LEFT JOIN ${s}.policy_keys pk ON pk.id = j.policy_key_id
        WHERE j.campaign_id = $1 AND j.id = $2`,
        [this.#campaignId, n + 1],
      );
      const row = result.rows[0];
      if (row === undefined) return undefined;
      await tx.ctx.schedules.load(tx.client, [row.schedule_id]);
      const schedule = tx.ctx.schedules.get(row.schedule_id);
      const rules = this.#options.rules.forPhone(row.digits);
      const capHold =
        row.cap_until > tx.t && rules.maxAttemptsPer24h !== undefined
          ? {
              ruleName: rules.capRuleName!,
              cap: rules.maxAttemptsPer24h,
              untilMs: row.cap_until,
              nextAttemptAt: heldNextAttemptAt(schedule, row),
            }
          : undefined;
      return explainJob(
        {
          jobId: jobIdOf(row.id - 1),
          code: row.state,
          state: viewOf({ ...row, zone: schedule.zone.id, latest_ms: tx.t }, NO_HELD).state,
          attempts: row.attempts,
          maxAttempts: row.max_attempts,
          readyAtMs: row.ready_at,
          leaseUntilMs: row.lease_until,
          schedule,
          layers: jobLayers(
            row.origin_key ?? undefined,
            schedule,
            this.#options.defaults,
            rules,
            this.#layers,
          ),
          paused: tx.paused,
          phoneHeldBy:
            row.holder_id !== null && row.holder_id !== row.id
              ? { jobId: jobIdOf(row.holder_id - 1), leaseUntilMs: row.holder_lease_until! }
              : undefined,
          capHold,
        },
        tx.t,
      );
    });
  }

  /**
   * The start of a query for job views: a job row with its phone's digits, line and cap, its zone, and
   * the campaign's latest instant.
   */
  get #viewSelect(): string {
    return `SELECT ${JOB_SELECT}, p.digits, p.dialing_job::float8 AS dialing_job, p.cap_until, s.zone,
        (${latestSelect(this.#s, this.#options.leaseTimeoutMs)}) AS latest_ms
      FROM ${this.#s}.jobs j JOIN ${this.#s}.phones p ON p.id = j.phone_id JOIN ${this.#s}.schedules s ON s.id = j.schedule_id`;
  }

  async stats(): Promise<CampaignStats> {
    const result = await this.#pool.query<{ state: number; count: number; blocked: number }>(
      `SELECT state, count(*)::float8 AS count, 0::float8 AS blocked FROM ${this.#s}.jobs WHERE campaign_id = $1 GROUP BY state
      UNION ALL
      SELECT -1, 0, count(*)::float8 FROM ${this.#s}.jobs j JOIN ${this.#s}.phones p ON p.id = j.phone_id
      WHERE j.campaign_id = $1 AND j.state = ${READY}
        AND (p.dialing_job IS NOT NULL OR p.cap_until > (${latestSelect(this.#s, this.#options.leaseTimeoutMs)}))`,
      [this.#campaignId],
    );
    const c = new Array<number>(CODE_NAMES.length).fill(0);
    let blocked = 0;
    for (const row of result.rows) {
      if (row.state < 0) blocked = row.blocked;
      else c[row.state] = row.count;
    }
    const total = c.reduce((sum, count) => sum + count, 0);
    return {
      waiting: c[0]! + c[8]! + blocked,
      ready: c[1]! - blocked,
      dialing: c[2]!,
      completed: c[3]!,
      exhausted: c[4]!,
      expired: c[5]!,
      cancelled: c[6]!,
      redialed: c[7]!,
      total,
    };
  }

  async latestMs(): Promise<number> {
    const result = await this.#pool.query<{ latest_ms: number }>(
      `SELECT ${campaignLatest(this.#s, this.#options.leaseTimeoutMs)} AS latest_ms FROM ${this.#s}.campaigns c WHERE c.id = $1`,
      [this.#campaignId],
    );
    return result.rows[0]!.latest_ms;
  }

  on(type: CampaignEventType, listener: CampaignListener): () => void {
    checkListener(type, listener);
    return this.#hub.on(type, listener);
  }

  /** The whole campaign as `Campaign.restore` and `PostgresCampaign.import` read it, from one consistent view. */
  async snapshot(): Promise<CampaignSnapshot> {
    const client = await checkOut(this.#pool);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshot = await readSnapshotRows(client, this.#s, this.#campaignId, this.#options);
      await client.query('COMMIT');
      return snapshot;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  // --- transactions ---

  /**
   * Runs `work` in one transaction at the instant `at` (undefined: the database clock), then delivers its
   * events. A transaction that lost a race (deadlock, serialization) is run again whole; any other error
   * rolls it back and reaches the caller.
   */
  async #call<T>(
    at: number | undefined,
    lockCampaign: boolean,
    work: (tx: CampaignTx) => Promise<T>,
    also: { readonly candidate?: boolean; readonly target?: unknown; readonly oneSnapshot?: boolean } = {},
  ): Promise<T> {
    const targetNumber = also.target === undefined ? -1 : jobNumberOf(reportTarget(also.target).id);
    const begin = {
      ...(also.candidate === true ? { candidate: true } : {}),
      ...(also.oneSnapshot === true ? { oneSnapshot: true } : {}),
      ...(targetNumber >= 0 ? { target: targetNumber + 1 } : {}),
    };
    if (this.#closed) throw new Error(`PostgresCampaign ${quote(this.name)} is closed.`);
    for (let attempt = 1; ; attempt++) {
      const client = await checkOut(this.#pool);
      let done: { result: T; tx: CampaignTx } | undefined;
      try {
        const tx = new CampaignTx(client, this.#ctx);
        await tx.begin(at, lockCampaign, begin);
        const result = await work(tx);
        await tx.finish();
        done = { result, tx };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        // The caches may hold rows this transaction stored: start them afresh.
        this.#ctx = this.#newContext();
        client.release(isConnectionError(error) ? (error as Error) : undefined);
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && RETRIED_CODES.has(code) && attempt < MAX_TRIES) continue;
        throw error;
      }
      client.release();
      // After commit: a listener that throws reaches the caller, and the change stands.
      for (const event of done.tx.events) this.#hub.queue(event);
      this.#hub.flush();
      return done.result;
    }
  }

  /**
   * `next` in one statement when nothing is due (see `serveAtOnce`); undefined, having changed nothing,
   * when it takes a transaction. The task served is kept for its report.
   */
  async #serveAtOnce(at: number | undefined): Promise<ServedAtOnce | undefined> {
    if (this.#closed) return undefined;
    const client = await checkOut(this.#pool);
    let tx: CampaignTx;
    let done: ServedAtOnce | undefined;
    try {
      tx = new CampaignTx(client, this.#ctx);
      done = await serveAtOnce(tx, at);
    } catch (error) {
      client.release(isConnectionError(error) ? (error as Error) : undefined);
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && RETRIED_CODES.has(code)) return undefined;
      throw error;
    }
    client.release();
    if (done === undefined) return undefined;
    this.#keepServed(done);
    for (const event of tx.events) this.#hub.queue(event);
    this.#hub.flush();
    return done;
  }

  /** Keeps a task served at once for its report (the oldest kept is dropped past `SERVED_KEPT`). */
  #keepServed(done: ServedAtOnce): void {
    if (done.served === undefined) return;
    if (this.#served.size >= SERVED_KEPT) this.#served.delete(this.#served.keys().next().value!);
    this.#served.set(done.served.row.id, done.served);
  }

  /**
   * A report in one statement, of a task this process served at once and with the instant known here
   * (`now` or the `clock` option): the attempt is ended from the row as served, and written on
   * condition that the row is unchanged, the campaign's time is not past the instant and nothing is due
   * at it. With `thenServe`, the same statement then serves at that instant as `serveAtOnce` does
   * (`served`: undefined when that serve needs a transaction), shared with the other such calls of this
   * process that wait for it (see `#sendCycles`). Returns undefined, having changed nothing, when the
   * report cannot be written so.
   */
  async #reportServed(
    at: number | undefined,
    jobIdOrTask: unknown,
    failed: boolean,
    retryOverride: number | undefined,
    thenServe: boolean,
  ): Promise<{ readonly served: ServedAtOnce | undefined } | undefined> {
    if (at === undefined || this.#closed) return undefined;
    const { id, attempt } = reportTarget(jobIdOrTask);
    const n = jobNumberOf(id);
    const served = n < 0 ? undefined : this.#served.get(n + 1);
    if (served === undefined) return undefined;
    this.#served.delete(n + 1);
    if (thenServe) {
      return new Promise((resolve, reject) => {
        this.#cycles.push({ at, served, id, attempt, failed, retryOverride, resolve, reject });
        this.#sendCycles();
      });
    }
    const client = await checkOut(this.#pool);
    let tx: CampaignTx;
    let applied = false;
    try {
      tx = new CampaignTx(client, this.#ctx);
      const job = await this.#servedJob(tx, { at, served, id, attempt, failed, retryOverride });
      applied = job !== undefined && (await tx.writeIfUnchanged(job, at));
    } catch (error) {
      client.release(isConnectionError(error) ? (error as Error) : undefined);
      throw error;
    }
    client.release();
    if (!applied) return undefined;
    for (const event of tx.events) this.#hub.queue(event);
    this.#hub.flush();
    return { served: undefined };
  }

  /**
   * The job of a served task's report on `tx`, at the report's instant, with the attempt ended by the
   * shared transition; undefined when the report is not the attempt's (its own path then says why).
   */
  async #servedJob(tx: CampaignTx, report: ServedReport): Promise<LoadedJob | undefined> {
    const { at, served, failed, retryOverride } = report;
    tx.t = at;
    tx.latest = at;
    const job = tx.adopt({
      ...served.row,
      phone_attempts: served.phoneAttempts,
      phone_digits: served.phoneDigits,
    });
    await tx.ctx.schedules.load(tx.client, [served.row.schedule_id]);
    const fields = {
      state: job.record.state,
      attempts: job.record.attempts,
      leaseUntilMs: job.record.leaseUntilMs,
      leaseExpired: job.record.leaseExpired,
    };
    if (reportProblem(report.id, report.attempt, fields, at, 'report') !== undefined) return undefined;
    tx.endAttempt(job, at, failed, failed ? (retryOverride ?? job.record.retryMinutes) : 0, false);
    return job;
  }

  /**
   * Sends the waiting cycles (reports with their next serve) while fewer than `cycleStatements` (the
   * open option) of them are in flight or waiting for a connection: calls that arrive meanwhile wait
   * and go together, in one statement, round trip and commit, up to `CYCLES_PER_BATCH`. A sender takes
   * its batch once it has a connection, so that calls arriving while it waits for one join it.
   */
  #sendCycles(): void {
    while (
      this.#cycles.length > this.#cycleSendersWaiting * CYCLES_PER_BATCH &&
      this.#cycleSenders < this.#cycleStatements
    ) {
      this.#cycleSenders += 1;
      this.#cycleSendersWaiting += 1;
      void this.#writeCycles().finally(() => {
        this.#cycleSenders -= 1;
        this.#sendCycles();
      });
    }
  }

  /**
   * One batch of waiting cycles, in the order of their instants. When the statement fails with a lost
   * race (deadlock, serialization), nothing of it is written and each call runs as its report and its
   * serve; any other failure of the statement reaches every call of the batch, as it would reach a
   * `complete`. Each call's events are delivered with its result; a failure after the commit (reading
   * the serve) reaches that call alone, its report's events delivered.
   */
  async #writeCycles(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await checkOut(this.#pool);
    } catch (error) {
      this.#cycleSendersWaiting -= 1;
      for (const pending of this.#cycles.splice(0, CYCLES_PER_BATCH)) pending.reject(error);
      return;
    }
    this.#cycleSendersWaiting -= 1;
    const batch = this.#cycles.splice(0, CYCLES_PER_BATCH).sort((a, b) => a.at - b.at);
    const cycles: { pending: PendingCycle; cycle: Cycle }[] = [];
    let results: CycleResult[];
    let sent = false;
    try {
      for (const pending of batch) {
        const tx = new CampaignTx(client, this.#ctx);
        const job = await this.#servedJob(tx, pending);
        if (job === undefined) pending.resolve(undefined);
        else cycles.push({ pending, cycle: { tx, job, atMs: pending.at } });
      }
      sent = true;
      results = await writeCycles(cycles.map(({ cycle }) => cycle));
    } catch (error) {
      client.release(isConnectionError(error) ? (error as Error) : undefined);
      const code = (error as { code?: unknown }).code;
      const nothingWritten = !sent || (typeof code === 'string' && RETRIED_CODES.has(code));
      // A settled call ignores this.
      for (const pending of batch) {
        if (nothingWritten) pending.resolve(undefined);
        else pending.reject(error);
      }
      return;
    }
    try {
      for (const [k, { pending, cycle }] of cycles.entries()) {
        const { reported, row, token } = results[k]!;
        if (!reported) {
          pending.resolve(undefined);
          continue;
        }
        const { tx } = cycle;
        const reportEvents = tx.events.length;
        let next: ServedAtOnce | undefined;
        try {
          next = await servedOf(tx, row, token);
        } catch (error) {
          for (const event of tx.events.slice(0, reportEvents)) this.#hub.queue(event);
          this.#deliver(pending, error);
          continue;
        }
        if (next !== undefined) this.#keepServed(next);
        for (const event of tx.events) this.#hub.queue(event);
        this.#deliver(pending, undefined, { served: next });
      }
    } catch (error) {
      // Not expected (each call's failure is its own above); no call of the batch is left unsettled
      // (a settled one ignores this), and those whose report was written say so.
      for (const [k, { pending }] of cycles.entries())
        pending.reject(results[k]!.reported ? new ReportWrittenError(error) : error);
      for (const pending of batch) pending.reject(error);
    } finally {
      client.release();
    }
  }

  /**
   * Flushes the queued events, then settles `pending`, whose report was written: rejected with
   * `error`, or a listener's (with the task served, if any), as a `ReportWrittenError`; else resolved.
   */
  #deliver(
    pending: PendingCycle,
    error: unknown,
    result?: { readonly served: ServedAtOnce | undefined },
  ): void {
    try {
      this.#hub.flush();
    } catch (thrown) {
      pending.reject(new ReportWrittenError(error ?? thrown, result?.served?.task));
      return;
    }
    if (error !== undefined) pending.reject(new ReportWrittenError(error));
    else pending.resolve(result);
  }

  /**
   * A report in two statements and no transaction, for the common case: nothing time-driven is due,
   * the job is dialing and asked for no redial. The job is read without a lock, the attempt ended by
   * the shared transition, and everything written by one statement on condition that the row is still
   * as read (else nothing is written). Returns false, having changed nothing, whenever that does not
   * apply; the caller then runs the report as a transaction, with its checks and errors.
   */
  async #reportAtOnce(
    at: number | undefined,
    jobIdOrTask: unknown,
    failed: boolean,
    retryOverride: number | undefined,
  ): Promise<boolean> {
    const { id, attempt } = reportTarget(jobIdOrTask);
    const n = jobNumberOf(id);
    if (n < 0 || this.#closed) return false;
    const client = await checkOut(this.#pool);
    const attemptReport = async (): Promise<CampaignTx | undefined> => {
      const tx = new CampaignTx(client, this.#ctx);
      await tx.begin(at, false, { target: n + 1 }, false);
      const job = tx.jobs.get(n + 1);
      if (!tx.nothingDue || job === undefined || job.redialChild !== null) return undefined;
      const fields = {
        state: job.record.state,
        attempts: job.record.attempts,
        leaseUntilMs: job.record.leaseUntilMs,
        leaseExpired: job.record.leaseExpired,
      };
      if (reportProblem(id, attempt, fields, tx.t, 'report') !== undefined) return undefined;
      await tx.advance();
      tx.endAttempt(job, tx.t, failed, failed ? (retryOverride ?? job.record.retryMinutes) : 0, false);
      return (await tx.writeIfUnchanged(job)) ? tx : undefined;
    };
    let tx: CampaignTx | undefined;
    try {
      tx = await attemptReport();
    } catch (error) {
      client.release(isConnectionError(error) ? (error as Error) : undefined);
      throw error;
    }
    client.release();
    if (tx === undefined) return false;
    for (const event of tx.events) this.#hub.queue(event);
    this.#hub.flush();
    return true;
  }

  /** The dialing job a report (or redial) names, locked, with its redial child, checked at the call's instant. */
  async #reportedJob(tx: CampaignTx, jobIdOrTask: unknown, what: 'report' | 'redial'): Promise<LoadedJob> {
    const { id, attempt } = reportTarget(jobIdOrTask);
    const n = jobNumberOf(id);
    if (n >= 0) await tx.lockJobs([n + 1]);
    const job = n >= 0 ? tx.jobs.get(n + 1) : undefined;
    const problem = reportProblem(
      id,
      attempt,
      job === undefined
        ? undefined
        : {
            state: job.record.state,
            attempts: job.record.attempts,
            leaseUntilMs: job.record.leaseUntilMs,
            leaseExpired: job.record.leaseExpired,
          },
      tx.t,
      what,
    );
    if (problem !== undefined) throw problem;
    if (job!.redialChild !== null) await tx.lockJobs([job!.redialChild]);
    return job!;
  }

  async #setPaused(paused: boolean): Promise<void> {
    await this.#pool.query(`UPDATE ${this.#s}.campaigns SET paused = $2 WHERE id = $1`, [
      this.#campaignId,
      paused,
    ]);
  }

  /** A call's instant as given: `now`, else the `clock` option's reading; undefined for the database clock. */
  #instantOf(now: unknown): number | undefined {
    if (now !== undefined) return checkNow(now, false);
    return this.#hasClock ? checkNow(this.#options.clock(), true) : undefined;
  }

  #atCap(phoneAttempts: number): boolean {
    const cap = this.#options.maxTotalAttempts;
    return cap !== undefined && phoneAttempts >= cap;
  }

  #newContext(): CampaignContext {
    return {
      s: this.#s,
      campaignId: this.#campaignId,
      options: this.#options,
      capped: this.#options.rules.all.maxAttemptsPer24h !== undefined,
      schedules: new ScheduleTable(this.#s, this.#campaignId),
      policyKeys: new PolicyKeyTable(this.#s, this.#campaignId),
      listens: (type) => this.#hub.has(type),
    };
  }

  #parseOptions() {
    const o = this.#options;
    return {
      defaults: o.defaults,
      zoneResolver: o.zoneResolver,
      rules: o.rules,
      strictPriority: o.strictPriority,
      maxPayloadBytes: o.maxPayloadBytes,
    };
  }
}

/** A job row as the view queries read it. */
type ViewRow = JobRow & {
  digits: string;
  dialing_job: number | null;
  cap_until: number;
  zone: string;
  latest_ms: number;
};

/** A job row as `explain` reads it: with its phone, the attempt holding its phone, and its origin key. */
type ExplainRow = JobRow & {
  digits: string;
  dialing_job: number | null;
  cap_until: number;
  holder_id: number | null;
  holder_lease_until: number | null;
  origin_key: string | null;
};

/**
 * The `nextAttemptAt` of a waiting or ready job whose phone's cap holds it until `cap_until`: the first
 * instant the cap and its windows allow, `null` when its windows end before (as in memory); `null` for
 * a job in another state.
 */
function heldNextAttemptAt(
  schedule: CallSchedule,
  row: { readonly state: number; readonly ready_at: number; readonly cap_until: number },
): number | null {
  if (row.state !== WAITING && row.state !== READY) return null;
  const window = windowAt(schedule, row.ready_at, row.cap_until);
  return window === null ? null : Math.max(window.start, row.cap_until);
}

/** A new job's park (migration 9): its phone's cap end when the job is ready and the cap holds the phone at `t`. */
function holdOf(record: JobRecord, capUntilMs: number, t: number): number {
  return record.state === READY && capUntilMs > t ? capUntilMs : Number.NEGATIVE_INFINITY;
}

/** No job held by its phone's cap. */
const NO_HELD: ReadonlyMap<number, number | null> = new Map();

/** The campaign's latest instant, as a scalar subquery on campaign `$1`. */
function latestSelect(s: string, leaseTimeoutMs: number): string {
  return `SELECT ${campaignLatest(s, leaseTimeoutMs)} FROM ${s}.campaigns c WHERE c.id = $1`;
}

/**
 * The view of a job row (spec section 9): a ready job whose phone is being dialed, or held by its
 * 24-hour cap, reads as `waiting`; `held` has the `nextAttemptAt` of the jobs the cap holds.
 */
function viewOf(row: ViewRow, held: ReadonlyMap<number, number | null>): JobView {
  const code = row.state;
  const blocked = row.dialing_job !== null || row.cap_until > row.latest_ms;
  const heldAt = held.get(row.id);
  return {
    id: jobIdOf(row.id - 1),
    phone: row.digits,
    payload: row.payload === null ? undefined : JSON.parse(row.payload),
    state: code === READY && blocked ? 'waiting' : STATE_NAMES[code]!,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    dialerPriority: row.priority,
    // The zone key of a schedule row: every zone ID, sorted, joined by `&`.
    gmtZone: row.zone.split('&')[0]!,
    gmtZones: row.zone.split('&'),
    nextAttemptAt: heldAt !== undefined ? heldAt : code === WAITING || code === READY ? row.ready_at : null,
    redialOf: row.redial_of === null ? null : jobIdOf(row.redial_of - 1),
  };
}

/** The pool a campaign uses: the caller's, or one of its own (with an error listener, so a dropped idle connection does not end the process). */
function poolOf(open: {
  readonly pool: pg.Pool | undefined;
  readonly connectionString: string | undefined;
  readonly poolSize: number;
}): { pool: pg.Pool; owns: boolean } {
  if (open.pool !== undefined) return { pool: open.pool, owns: false };
  const pool = new pg.Pool({ connectionString: open.connectionString, max: open.poolSize });
  pool.on('error', () => {});
  return { pool, owns: true };
}

/** Clients checked out by a campaign that have their error listener (each gets one, once). */
const listenedClients = new WeakSet<pg.PoolClient>();

/**
 * A client of `pool`, listened to for errors. pg-pool listens only to idle clients: a checked-out one
 * whose session the server ends (a restart, a terminated backend) emits 'error', which unheard would
 * end the process. The query in progress, or the next one, rejects all the same, which is how the call
 * sees it; the client is then released with that error, or as not queryable, and not reused.
 */
async function checkOut(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  if (!listenedClients.has(client)) {
    listenedClients.add(client);
    client.on('error', () => {});
  }
  return client;
}

/** Whether an error means the connection is unusable (the server went away), so it is not reused. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return !(error instanceof DialerError);
  return (
    code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('E')
  );
}

/** A serve run after its report was written: its failure says so (`ReportWrittenError`). */
async function afterReport(serve: Promise<CallTask | undefined>): Promise<CallTask | undefined> {
  try {
    return await serve;
  } catch (error) {
    throw new ReportWrittenError(error);
  }
}
