import { DialerError } from '../errors.js';
import { parsePhone } from '../policy/fields.js';
import { parseEntries } from '../policy/parse-entries.js';
import { originKey } from '../policy/policy-key.js';
import { resolveRedialJob } from '../policy/resolve.js';
import { issuesFromZod, redialSchemaFor } from '../policy/schemas.js';
import type { EntryInput, PolicyInput } from '../policy/types.js';
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
} from './call-args.js';
import { CampaignCore } from './campaign-core.js';
import { payloadHash } from './dedup.js';
import { askDoNotCall, blockedByOption, blockedPhoneError, readPhoneList } from './do-not-call.js';
import { type CampaignEventType, type CampaignListener, checkListener } from './events.js';
import { type JobExplanation, newJobLayerCache } from './explain-job.js';
import { explainSlot } from './explain-slot.js';
import { isFinalCode } from './job-state.js';
import { LEASE_EXPIRED } from './job-store.js';
import { type CampaignOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { type CampaignSnapshot, writeSnapshot } from './snapshot.js';
import { readSnapshot } from './snapshot-read.js';
import type {
  AddPhonesOptions,
  AddPhonesResult,
  CallTask,
  CampaignStats,
  CancelSelection,
  JobView,
} from './types.js';

/**
 * One outbound campaign: validated entries become jobs, served by `next` in the order of spec section 5
 * and driven through attempts, retries, redials and leases. In memory and synchronous: every
 * time-dependent call takes an optional `now` (epoch ms; else `options.clock()`); time never runs
 * backwards, and everything time-driven is brought up to date at the start of each call.
 *
 * @example
 * const campaign = new Campaign({ defaults: { gmtZone: 'America/New_York', maxAttempts: 3 } });
 * campaign.addPhones([{ phone: '+1 650 000-0000', payload: { name: 'Ada' } }], { now });
 * const task = campaign.next(now); // a CallTask, or undefined
 * if (task) campaign.fail(task, now + 30_000); // retried after retryIntervalInMinutes
 */
export class Campaign {
  readonly #options: ResolvedOptions;
  readonly #core: CampaignCore;
  readonly #layers = newJobLayerCache();

  constructor(options: CampaignOptions = {}) {
    this.#options = resolveOptions(options);
    this.#core = new CampaignCore(this.#options);
  }

  /**
   * Rebuilds a campaign from `snapshot()` output. Functions (`clock`, `zoneResolver`, `doNotCall`) are given again in
   * `options`; any other option given there overrides the snapshot's. Listeners are not restored.
   *
   * @throws DialerError `invalid.snapshot` for an unknown format version or inconsistent content.
   */
  static restore(snapshot: unknown, options: CampaignOptions = {}): Campaign {
    const { options: saved, fill } = readSnapshot(snapshot);
    const campaign = new Campaign({ ...saved, ...options });
    fill(campaign.#core);
    campaign.#core.rebuild();
    return campaign;
  }

  /**
   * Adds an addPhones body (spec sections 2 and 8). Atomic: if any entry has an error, throws a
   * DialerError with every issue and adds nothing; with `partial`, adds the valid entries and returns
   * the others' issues. Duplicates of entries added within `dedupWindowMs` are ignored. Entries of
   * phones on the do-not-call list (or named by `doNotCall`) are not added: their indexes are in
   * `blocked`, their `jobIds` slot is null (spec section 12).
   */
  addPhones(entries: readonly unknown[], options: AddPhonesOptions = {}): AddPhonesResult {
    const { now, partial } = readCallOptions(options, ['now', 'partial']);
    if (partial !== undefined && typeof partial !== 'boolean') {
      throw optionError('partial', partial, 'true or false');
    }
    const t = this.#timeOf(now);
    const body = parseEntries(entries, this.#parseOptions());
    if (body.errors.length > 0 && partial !== true) throw new DialerError(body.errors, body.omittedErrors);
    const core = this.#core;
    // Asked before anything changes: an option that throws leaves the campaign as it was.
    const named = blockedByOption(this.#options.doNotCall, body.accepted);
    const list = core.blocked;
    core.advance(t);
    const jobIds: (string | null)[] = [];
    const duplicates: number[] = [];
    const blocked: number[] = [];
    for (let index = 0; index < body.accepted.length; index++) {
      const accepted = body.accepted[index];
      if (accepted === undefined) {
        jobIds.push(null);
        continue;
      }
      // Blocked wins over duplicate: the entry's phone must not be called, whatever job it repeats.
      if ((list.size > 0 && list.has(accepted.phone)) || named?.[index] === true) {
        jobIds.push(null);
        blocked.push(index);
        continue;
      }
      const payloadKey = payloadHash(accepted.payload);
      const existing = core.duplicates.find(accepted, payloadKey, t);
      if (existing >= 0) {
        jobIds.push(jobIdOf(existing));
        duplicates.push(index);
        continue;
      }
      const slot = core.addEntryJob(accepted, t, payloadKey);
      jobIds.push(jobIdOf(core.jobs.number[slot]!));
    }
    const result = {
      jobIds,
      duplicates,
      blocked,
      warnings: [...body.warnings],
      rejected: partial === true ? [...body.errors] : [],
      omittedRejected: partial === true ? body.omittedErrors : 0,
    };
    core.events.flush();
    return result;
  }

  /**
   * Adds one entry without the duplicate check (and without remembering it for one), for testing a
   * campaign with the same number again and again. Warnings are emitted as `warning` events.
   * @throws DialerError `phone.blocked` for a phone on the do-not-call list (or named by `doNotCall`).
   */
  addTestPhone(entry: EntryInput, options: { readonly now?: number } = {}): string {
    const { now } = readCallOptions(options, ['now']);
    const t = this.#timeOf(now);
    const body = parseEntries([entry], this.#parseOptions());
    const accepted = body.accepted[0];
    if (accepted === undefined)
      throw new DialerError(body.errors.map(({ index: _index, ...issue }) => issue));
    const core = this.#core;
    if (this.#isBlocked(accepted.phone)) throw blockedPhoneError(accepted.phone);
    core.advance(t);
    const slot = core.addEntryJob(accepted, t, undefined);
    for (const { index: _index, ...issue } of body.warnings) core.emitWarning(slot, t, issue);
    const jobId = jobIdOf(core.jobs.number[slot]!);
    core.events.flush();
    return jobId;
  }

  /**
   * Serves the first ready job (spec section 5) as a call task and leases it for `leaseTimeoutMs`;
   * `undefined` when none is ready or the campaign is paused. A phone is dialed on one line at a time.
   */
  next(now?: number): CallTask | undefined {
    const t = this.#timeOf(now);
    const core = this.#core;
    core.advance(t);
    const task = core.paused ? undefined : core.serve(t);
    core.events.flush();
    return task;
  }

  /**
   * The earliest instant `>= now` at which `next` could return a job if nothing else happened (leases
   * that expire count), or `undefined` when none ever could or the campaign is paused.
   */
  nextReadyAt(now?: number): number | undefined {
    const t = this.#timeOf(now);
    const core = this.#core;
    core.advance(t);
    const at = core.paused ? undefined : core.nextReadyAt(t);
    core.events.flush();
    return at;
  }

  /** Reports that the call reached its goal: the job ends `completed` (spec section 6). */
  complete(jobIdOrTask: string | CallTask, now?: number): void {
    const t = this.#timeOf(now);
    const slot = this.#reportedJob(jobIdOrTask, t);
    const core = this.#core;
    core.advance(t);
    core.report(slot, t, false, 0);
    core.events.flush();
  }

  /**
   * Reports a failed attempt (no answer, busy, dropped): the next attempt becomes ready at the first
   * allowed instant at or after `now + retryIntervalInMinutes`, or the job ends `exhausted`/`expired`.
   * `options.retryIntervalInMinutes` (an integer 1..2880) replaces the job's pause for this retry only.
   */
  fail(
    jobIdOrTask: string | CallTask,
    now?: number,
    options?: { readonly retryIntervalInMinutes?: number },
  ): void {
    const { retryIntervalInMinutes } = readCallOptions(options, ['retryIntervalInMinutes']);
    const retryOverride = readRetryMinutes(retryIntervalInMinutes);
    const t = this.#timeOf(now);
    const slot = this.#reportedJob(jobIdOrTask, t);
    const core = this.#core;
    core.advance(t);
    core.report(slot, t, true, retryOverride ?? core.jobs.retryMinutes[slot]!);
    core.events.flush();
  }

  /**
   * `complete` then `next`: reports the call reached its goal and serves the line its next task, as a
   * dialer does when a call ends and the line goes on dialing. The report's errors are thrown before
   * anything changes. On PostgreSQL the two share one statement (one round trip, one commit) whenever
   * both can be written at once.
   */
  completeAndNext(jobIdOrTask: string | CallTask, now?: number): CallTask | undefined {
    this.complete(jobIdOrTask, now);
    // Without now, the report's instant (the clock read once, as on PostgreSQL).
    return this.next(now ?? this.#core.latestMs);
  }

  /** `fail` then `next`, as {@link Campaign.completeAndNext} is `complete` then `next`. */
  failAndNext(
    jobIdOrTask: string | CallTask,
    now?: number,
    options?: { readonly retryIntervalInMinutes?: number },
  ): CallTask | undefined {
    this.fail(jobIdOrTask, now, options);
    return this.next(now ?? this.#core.latestMs);
  }

  /**
   * Schedules a new series for the same phone and payload while the job is being dialed (spec
   * section 7); returns the new job's ID, or `null` when the phone has reached `maxTotalAttempts` or
   * must not be called (do-not-call list, `doNotCall`; then nothing else changes either).
   * The new job becomes ready no earlier than the end of the current attempt.
   */
  redial(jobId: string | CallTask, params: PolicyInput, now?: number): string | null {
    const t = this.#timeOf(now);
    const parent = this.#reportedJob(jobId, t, 'redial');
    const core = this.#core;
    const { jobs } = core;
    const existing = jobs.redialChild[parent]!;
    if (existing >= 0) {
      // One redial per attempt: later calls are ignored, not validated (but time still moves on).
      core.advance(t);
      core.events.flush();
      return jobIdOf(existing);
    }
    const parsed = redialSchemaFor({ strictPriority: this.#options.strictPriority }).safeParse(params);
    if (!parsed.success) throw new DialerError(issuesFromZod(parsed.error, undefined));
    const { policy, warnings } = parsed.data;
    const zoneIds = core.schedules.get(jobs.schedule[parent]!).zoneIds;
    // Explanations read a redial's own fields in one zone: the first of its number's.
    const zoneId = zoneIds[0]!;
    const digits = core.phones.digitsOf(jobs.phone[parent]!);
    const rules = this.#options.rules.forPhone(digits).compiled;
    const job = resolveRedialJob(policy, this.#options.defaults, zoneIds, jobs.priority[parent]!, rules);
    const blocked = this.#isBlocked(digits);
    core.advance(t);
    if (blocked || core.atCap(jobs.phone[parent]!)) {
      core.events.flush();
      return null;
    }
    const child = core.addRedialJob(
      parent,
      job,
      t,
      [...warnings, ...job.warnings],
      originKey('redial', { ...policy, gmtZone: zoneId }),
    );
    const childId = jobIdOf(jobs.number[child]!);
    core.events.flush();
    return childId;
  }

  /**
   * Ends the given jobs, and every unfinished job of the given phones, as `cancelled`; returns the IDs it
   * cancelled. A job being dialed stays `dialing` until its report, which then ends it as `cancelled`.
   * Unknown IDs and phones, and final jobs, are skipped.
   */
  cancel(selection: CancelSelection, now?: number): string[] {
    const { jobIds, phones } = checkSelection(selection);
    const t = this.#timeOf(now);
    const core = this.#core;
    core.advance(t);
    const slots: number[] = [];
    for (const id of jobIds) {
      const slot = this.#slotOf(id);
      if (slot >= 0) slots.push(slot);
    }
    for (const phone of phones) {
      const digits = parsePhone(phone, () => {});
      if (digits !== undefined) slots.push(...core.jobsOfPhone(digits));
    }
    const cancelled = core.cancel(slots, t).map((slot) => jobIdOf(core.jobs.number[slot]!));
    core.events.flush();
    return cancelled;
  }

  /**
   * Puts phones on the campaign's do-not-call list (spec section 12): every unfinished job of theirs
   * ends `cancelled` as `cancel` ends it (a job being dialed at its report, a redial it asked for with
   * it), and no job is added for them until `unblockPhones` (entries are listed in `blocked`, test
   * phones refused, redials `null`). Returns the IDs it cancelled. The list is kept in snapshots and is
   * not subject to the duplicate window or retention.
   * @throws DialerError `invalid.body` when `phones` is not an array of strings and numbers,
   * `phone.bad.format` (path `['phones', i]`) for each one that is not a phone number; nothing is blocked then.
   */
  blockPhones(phones: readonly (string | number)[], now?: number): string[] {
    const digits = readPhoneList(phones, 'blockPhones');
    const t = this.#timeOf(now);
    const core = this.#core;
    core.advance(t);
    const slots: number[] = [];
    for (const phone of digits) {
      core.blocked.add(phone);
      slots.push(...core.jobsOfPhone(phone));
    }
    const cancelled = core.cancel(slots, t).map((slot) => jobIdOf(core.jobs.number[slot]!));
    core.events.flush();
    return cancelled;
  }

  /**
   * Takes phones off the do-not-call list; returns those that were on it (digits, in the order given).
   * Jobs cancelled by the block stay cancelled; entries added from now on are added again. The
   * `doNotCall` option is not affected. Phones are checked as `blockPhones` checks them.
   */
  unblockPhones(phones: readonly (string | number)[], now?: number): string[] {
    const digits = readPhoneList(phones, 'unblockPhones');
    const t = this.#timeOf(now);
    const core = this.#core;
    core.advance(t);
    const removed = digits.filter((phone) => core.blocked.delete(phone));
    core.events.flush();
    return removed;
  }

  /** Stops serving: `next` returns nothing and `nextReadyAt` undefined until `resume()`. */
  pause(): void {
    this.#core.paused = true;
  }

  resume(): void {
    this.#core.paused = false;
  }

  /** Whether the campaign is paused. */
  get isPaused(): boolean {
    return this.#core.paused;
  }

  /**
   * A read-only view of a job as of the campaign's latest instant, or `undefined` for an unknown ID
   * (or a finished job forgotten after `retentionMs`).
   */
  job(jobId: string): JobView | undefined {
    const slot = this.#slotOf(jobId);
    if (slot < 0) return undefined;
    const core = this.#core;
    const { jobs, phones } = core;
    const redialOf = jobs.redialOf[slot]!;
    return {
      id: jobIdOf(jobs.number[slot]!),
      phone: phones.digitsOf(jobs.phone[slot]!),
      payload: jobs.payloads[slot],
      state: core.stateOf(slot),
      attempts: jobs.attempts[slot]!,
      maxAttempts: jobs.maxAttempts[slot]!,
      dialerPriority: jobs.priority[slot]!,
      gmtZone: core.schedules.get(jobs.schedule[slot]!).zone.id,
      gmtZones: core.schedules.get(jobs.schedule[slot]!).zoneIds,
      nextAttemptAt: core.nextAttemptAtOf(slot),
      redialOf: redialOf >= 0 ? jobIdOf(redialOf) : null,
    };
  }

  /**
   * Why the job is or is not served now (spec section 12, "Explain"): `callable` is whether `next` could
   * serve it at the campaign's instant, and `reasons` every layer that blocks it then, each with when that
   * layer next allows it (`untilMs`, `null` when never or unknown): the engine's own (final state,
   * attempts used, the job being dialed, the campaign paused, its phone on another call, a retry pause)
   * and its policy's, as `explainCall` gives them for the job's own fields over the campaign defaults and
   * the rules that apply to its phone. `undefined` for an unknown ID, as `job()`. `now` moves the
   * campaign's time on, as every call that takes it does.
   *
   * @throws DialerError `invalid.option` when `now` is not an instant.
   */
  explain(jobId: string, now?: number): JobExplanation | undefined {
    const t = this.#timeOf(now);
    const core = this.#core;
    core.advance(t);
    const slot = this.#slotOf(jobId);
    const explanation = slot < 0 ? undefined : explainSlot(core, slot, t, this.#layers);
    core.events.flush();
    return explanation;
  }

  /**
   * Views of the unfinished jobs (`waiting`, `ready`, `dialing`) in job-ID order, oldest first, as of
   * the campaign's latest instant: `limit` of them (1..10,000, default 100) after skipping `offset`
   * (default 0). For paging through a campaign's open work, as the HTTP service's `getUnfinished` does.
   */
  unfinishedJobs(options: { readonly offset?: number; readonly limit?: number } = {}): JobView[] {
    const { offset, limit } = readPageOptions(options);
    const { jobs } = this.#core;
    const views: JobView[] = [];
    let skipped = 0;
    for (let n = 0; n < jobs.created && views.length < limit; n++) {
      const slot = jobs.slotOf(n);
      if (slot < 0 || isFinalCode(jobs.state[slot]!)) continue;
      if (skipped < offset) skipped++;
      else views.push(this.job(jobIdOf(n))!);
    }
    return views;
  }

  /** Jobs by state as of the campaign's latest instant (the jobs retained). */
  stats(): CampaignStats {
    return this.#core.stats();
  }

  /** The campaign's time: the latest `now` it has seen (`-Infinity` before any). */
  get latestMs(): number {
    return this.#core.latestMs;
  }

  /**
   * Listens to lifecycle events (spec section 9); returns a function that removes the listener.
   * Listeners are called synchronously, after the call that caused the change has completed it: a
   * listener sees a consistent campaign and may call into it; an exception it throws reaches the caller
   * of that call, whose change stands.
   */
  on(type: CampaignEventType, listener: CampaignListener): () => void {
    checkListener(type, listener);
    return this.#core.events.on(type, listener);
  }

  /** The whole campaign state as a JSON-serialisable value (spec section 9); functions are left out. */
  snapshot(): CampaignSnapshot {
    return writeSnapshot(this.#core);
  }

  // --- arguments ---

  /** Validates a `now` and returns the instant the call acts at, without moving the campaign's time. */
  #timeOf(now: unknown): number {
    const value = checkNow(now === undefined ? this.#options.clock() : now, now === undefined);
    return Math.max(value, this.#core.latestMs);
  }

  /** The job a report (or redial) names, checked against its state at `t` without changing anything. */
  #reportedJob(jobIdOrTask: unknown, t: number, what: 'report' | 'redial' = 'report'): number {
    const { id, attempt } = reportTarget(jobIdOrTask);
    const slot = this.#slotOf(id);
    const { jobs } = this.#core;
    const fields =
      slot < 0
        ? undefined
        : {
            state: jobs.state[slot]!,
            attempts: jobs.attempts[slot]!,
            leaseUntilMs: jobs.leaseUntilMs[slot]!,
            leaseExpired: (jobs.flags[slot]! & LEASE_EXPIRED) !== 0,
          };
    const problem = reportProblem(id, attempt, fields, t, what);
    if (problem !== undefined) throw problem;
    return slot;
  }

  /** Whether no job may be added for a phone (digits): on the list, or named by `doNotCall`. */
  #isBlocked(digits: string): boolean {
    const { doNotCall } = this.#options;
    return this.#core.blocked.has(digits) || (doNotCall !== undefined && askDoNotCall(doNotCall, digits));
  }

  /** The slot of a job ID, or -1 when the campaign has no such job (retained). */
  #slotOf(jobId: unknown): number {
    const n = jobNumberOf(jobId);
    return n < 0 ? -1 : this.#core.jobs.slotOf(n);
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
