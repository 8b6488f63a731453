import { DialerError, type Issue, quote } from '../errors.js';
import { parsePhone } from '../policy/fields.js';
import { type AcceptedEntry, parseEntries } from '../policy/parse-entries.js';
import { ownDialerPriority, ownMaxAttempts, ownRetryInterval } from '../policy/policy-key.js';
import { issuesFromZod, redialSchemaFor } from '../policy/schemas.js';
import type { EntryInput, JsonValue, PolicyInput } from '../policy/types.js';
import type { CallWindow } from '../schedule/call-schedule.js';
import { compileSchedule } from '../schedule/compile.js';
import { checkSelection, isoOf, jobIdOf, optionError, readCallOptions, reportError } from './call-args.js';
import { samePayload } from './dedup.js';
import { EngineState } from './engine-state.js';
import {
  type CampaignEvent,
  type CampaignEventType,
  type CampaignListener,
  EVENT_TYPES,
  EventHub,
} from './events.js';
import { JobQueues } from './job-queues.js';
import {
  CANCELLED,
  COMPLETED,
  DIALING,
  EXHAUSTED,
  EXPIRED,
  isFinalCode,
  PENDING,
  READY,
  REDIALED,
  STATE_NAMES,
  WAITING,
} from './job-state.js';
import { CANCEL_REQUESTED, HAS_PAYLOAD, LEASE_EXPIRED } from './job-store.js';
import { BUILT_IN, type CampaignOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { type CampaignSnapshot, readSnapshot, writeSnapshot } from './snapshot.js';
import type {
  AddPhonesOptions,
  AddPhonesResult,
  CallTask,
  CampaignStats,
  CancelSelection,
  JobView,
} from './types.js';

const MINUTE_MS = 60_000;

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
  readonly #state: EngineState;
  readonly #events = new EventHub();
  readonly #queues: JobQueues;
  readonly #readyAfterLeaseOf = (i: number) => this.#readyAfterLease(i);
  /** Jobs per internal state code. */
  readonly #counts = new Array<number>(9).fill(0);

  constructor(options: CampaignOptions = {}) {
    this.#options = resolveOptions(options);
    this.#state = new EngineState();
    this.#queues = new JobQueues(this.#state.jobs);
  }

  /**
   * Rebuilds a campaign from `snapshot()` output. Functions (`clock`, `zoneResolver`) are given again in
   * `options`; any other option given there overrides the snapshot's. Listeners are not restored.
   *
   * @throws DialerError `invalid.snapshot` for an unknown format version or inconsistent content.
   */
  static restore(snapshot: unknown, options: CampaignOptions = {}): Campaign {
    const { options: saved, fill } = readSnapshot(snapshot);
    const campaign = new Campaign({ ...saved, ...options });
    fill(campaign.#state);
    campaign.#rebuildQueues();
    return campaign;
  }

  /**
   * Adds an addPhones body (spec sections 2 and 8). Atomic: if any entry has an error, throws a
   * DialerError with every issue and adds nothing; with `partial`, adds the valid entries and returns
   * the others' issues. Duplicates of entries added within `dedupWindowMs` are ignored.
   */
  addPhones(entries: readonly unknown[], options: AddPhonesOptions = {}): AddPhonesResult {
    const { now, partial } = readCallOptions(options, ['now', 'partial']);
    if (partial !== undefined && typeof partial !== 'boolean') {
      throw optionError('partial', partial, 'true or false');
    }
    const t = this.#timeOf(now);
    const body = parseEntries(entries, this.#parseOptions());
    if (body.errors.length > 0 && partial !== true) throw new DialerError(body.errors);
    this.#advance(t);
    const jobIds: (string | null)[] = [];
    const duplicates: number[] = [];
    const state = this.#state;
    for (let index = 0; index < body.accepted.length; index++) {
      const accepted = body.accepted[index];
      if (accepted === undefined) {
        jobIds.push(null);
        continue;
      }
      const keyId = state.policyKeyId(accepted.scheduleKey);
      const existing = this.#findDuplicate(accepted, keyId, t);
      if (existing >= 0) {
        jobIds.push(jobIdOf(existing));
        duplicates.push(index);
        continue;
      }
      const i = this.#createEntryJob(accepted, t);
      state.jobs.policyKey[i] = keyId;
      state.jobs.ownFields[i] = accepted.ownFields;
      jobIds.push(jobIdOf(i));
    }
    return {
      jobIds,
      duplicates,
      warnings: [...body.warnings],
      rejected: partial === true ? [...body.errors] : [],
    };
  }

  /**
   * Adds one entry without the duplicate check (and without remembering it for one), for testing a
   * campaign with the same number again and again. Warnings are emitted as `warning` events.
   */
  addTestPhone(entry: EntryInput, options: { readonly now?: number } = {}): string {
    const { now } = readCallOptions(options, ['now']);
    const t = this.#timeOf(now);
    const body = parseEntries([entry], this.#parseOptions());
    const accepted = body.accepted[0];
    if (accepted === undefined)
      throw new DialerError(body.errors.map(({ index: _index, ...issue }) => issue));
    this.#advance(t);
    const i = this.#createEntryJob(accepted, t);
    for (const { index: _index, ...issue } of body.warnings) this.#emitWarning(i, t, issue);
    return jobIdOf(i);
  }

  /**
   * Serves the first ready job (spec section 5) as a call task and leases it for `leaseTimeoutMs`;
   * `undefined` when none is ready or the campaign is paused.
   */
  next(now?: number): CallTask | undefined {
    const t = this.#timeOf(now);
    this.#advance(t);
    if (this.#state.paused) return undefined;
    const i = this.#queues.popReady();
    return i < 0 ? undefined : this.#startAttempt(i, t);
  }

  /**
   * The earliest instant `>= now` at which `next` could return a job if nothing else happened (leases
   * that expire count), or `undefined` when none ever could or the campaign is paused.
   */
  nextReadyAt(now?: number): number | undefined {
    const t = this.#timeOf(now);
    this.#advance(t);
    if (this.#state.paused) return undefined;
    if (this.#queues.peekReady() >= 0) return t;
    const earliest = Math.min(
      this.#queues.peekWaiting(),
      this.#queues.peekReadyAfterLease(this.#readyAfterLeaseOf),
    );
    return earliest === Number.POSITIVE_INFINITY ? undefined : earliest;
  }

  /** Reports that the call reached its goal: the job ends `completed` (spec section 6). */
  complete(jobIdOrTask: string | CallTask, now?: number): void {
    const t = this.#timeOf(now);
    const i = this.#reportedJob(jobIdOrTask, t);
    this.#advance(t);
    this.#endAttempt(i, t, false);
  }

  /**
   * Reports a failed attempt (no answer, busy, dropped): the next attempt becomes ready at the first
   * allowed instant at or after `now + retryIntervalInMinutes`, or the job ends `exhausted`/`expired`.
   */
  fail(jobIdOrTask: string | CallTask, now?: number): void {
    const t = this.#timeOf(now);
    const i = this.#reportedJob(jobIdOrTask, t);
    this.#advance(t);
    this.#endAttempt(i, t, true);
  }

  /**
   * Schedules a new series for the same phone and payload while the job is being dialed (spec
   * section 7); returns the new job's ID, or `null` when the phone has reached `maxTotalAttempts`.
   * The new job becomes ready no earlier than the end of the current attempt.
   */
  redial(jobId: string | CallTask, params: PolicyInput, now?: number): string | null {
    const t = this.#timeOf(now);
    const parent = this.#reportedJob(jobId, t, 'redial');
    const { jobs, schedules } = this.#state;
    const existing = jobs.redialChild[parent]!;
    // One redial per attempt: later calls are ignored, not validated.
    if (existing >= 0) return jobIdOf(existing);
    const parsed = redialSchemaFor({ strictPriority: this.#options.strictPriority }).safeParse(params);
    if (!parsed.success) throw new DialerError(issuesFromZod(parsed.error, undefined));
    const { policy, warnings } = parsed.data;
    const defaults = this.#options.defaults;
    const zoneId = schedules[jobs.schedule[parent]!]!.zone.id;
    // Omitted fields come from the campaign defaults; the zone stays the number's own.
    const schedule = compileSchedule({ ...policy, gmtZone: zoneId }, defaults);
    this.#advance(t);
    if (this.#atCap(jobs.phone[parent]!)) return null;
    let maxAttempts = policy.maxAttempts ?? defaults.maxAttempts ?? BUILT_IN.maxAttempts;
    const allWarnings: Issue[] = [...warnings];
    if (maxAttempts > 5) {
      allWarnings.push({
        path: ['maxAttempts'],
        code: 'max.attempts.clamped',
        message: `maxAttempts ${maxAttempts} is more than a redial series may have; it was clamped to 5.`,
      });
      maxAttempts = 5;
    }
    const child = this.#createJob(
      this.#state.phones.digitsOf(jobs.phone[parent]!),
      jobs.payloads[parent],
      this.#state.scheduleId(schedule),
      policy.dialerPriority ?? jobs.priority[parent]!,
      maxAttempts,
      policy.retryIntervalInMinutes ?? defaults.retryIntervalInMinutes ?? BUILT_IN.retryIntervalInMinutes,
    );
    jobs.state[child] = PENDING;
    this.#counts[PENDING]!++;
    jobs.redialOf[child] = parent;
    jobs.redialChild[parent] = child;
    this.#queues.noteAfterLease(parent);
    this.#emit('added', child, t, 0);
    for (const issue of allWarnings) this.#emitWarning(child, t, issue);
    return jobIdOf(child);
  }

  /**
   * Ends the given jobs, and every unfinished job of the given phones, as `cancelled`; returns the IDs it
   * cancelled. A job being dialed stays `dialing` until its report, which then ends it as `cancelled`.
   * Unknown IDs and phones, and final jobs, are skipped.
   */
  cancel(selection: CancelSelection, now?: number): string[] {
    checkSelection(selection);
    const t = this.#timeOf(now);
    this.#advance(t);
    const { jobs } = this.#state;
    const cancelled: string[] = [];
    const cancelOne = (i: number) => {
      const code = jobs.state[i]!;
      if (isFinalCode(code)) return;
      if (code === DIALING) {
        if (jobs.flags[i]! & CANCEL_REQUESTED) return;
        jobs.flags[i]! |= CANCEL_REQUESTED;
      } else this.#finish(i, CANCELLED, t);
      cancelled.push(jobIdOf(i));
    };
    for (const id of selection.jobIds ?? []) {
      const i = this.#indexOf(id);
      if (i >= 0) cancelOne(i);
    }
    for (const phone of selection.phones ?? []) {
      const digits = parsePhone(phone, () => {});
      const phoneId = digits === undefined ? -1 : this.#state.phones.find(digits);
      if (phoneId < 0) continue;
      for (let i = this.#state.phones.firstJob[phoneId]!; i >= 0; i = jobs.nextOfPhone[i]!) cancelOne(i);
    }
    return cancelled;
  }

  /** Stops serving: `next` returns nothing and `nextReadyAt` undefined until `resume()`. */
  pause(): void {
    this.#state.paused = true;
  }

  resume(): void {
    this.#state.paused = false;
  }

  /** Whether the campaign is paused. */
  get isPaused(): boolean {
    return this.#state.paused;
  }

  /** A read-only view of a job as of the campaign's latest instant, or `undefined` for an unknown ID. */
  job(jobId: string): JobView | undefined {
    const i = this.#indexOf(jobId);
    if (i < 0) return undefined;
    const { jobs, schedules, phones } = this.#state;
    const code = jobs.state[i]!;
    const redialOf = jobs.redialOf[i]!;
    return {
      id: jobIdOf(i),
      phone: phones.digitsOf(jobs.phone[i]!),
      payload: jobs.payloads[i],
      state: STATE_NAMES[code]!,
      attempts: jobs.attempts[i]!,
      maxAttempts: jobs.maxAttempts[i]!,
      dialerPriority: jobs.priority[i]!,
      gmtZone: schedules[jobs.schedule[i]!]!.zone.id,
      nextAttemptAt: code === WAITING || code === READY ? jobs.readyAtMs[i]! : null,
      redialOf: redialOf >= 0 ? jobIdOf(redialOf) : null,
    };
  }

  /** Jobs by state as of the campaign's latest instant. */
  stats(): CampaignStats {
    const c = this.#counts;
    const total = this.#state.jobs.length;
    return {
      waiting: c[WAITING]! + c[PENDING]!,
      ready: c[READY]!,
      dialing: c[DIALING]!,
      completed: c[COMPLETED]!,
      exhausted: c[EXHAUSTED]!,
      expired: c[EXPIRED]!,
      cancelled: c[CANCELLED]!,
      redialed: c[REDIALED]!,
      total,
    };
  }

  /** The campaign's time: the latest `now` it has seen (`-Infinity` before any). */
  get latestMs(): number {
    return this.#state.latestMs;
  }

  /**
   * Listens to lifecycle events (spec section 9); returns a function that removes the listener.
   * Listeners are called synchronously, during the call that caused the change.
   */
  on(type: CampaignEventType, listener: CampaignListener): () => void {
    if (!EVENT_TYPES.includes(type)) {
      throw new DialerError([
        {
          path: ['type'],
          code: 'invalid.option',
          message: `event type ${quote(type)} is not known: expected one of ${EVENT_TYPES.join(', ')}.`,
        },
      ]);
    }
    if (typeof listener !== 'function') throw optionError('listener', listener, 'a function');
    return this.#events.on(type, listener);
  }

  /** The whole campaign state as a JSON-serialisable value (spec section 9); functions are left out. */
  snapshot(): CampaignSnapshot {
    return writeSnapshot(this.#state, this.#options);
  }

  // --- time ---

  /** Validates a `now` and returns the instant the call acts at, without moving the campaign's time. */
  #timeOf(now: unknown): number {
    const value = now === undefined ? this.#options.clock() : now;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw optionError(now === undefined ? 'clock()' : 'now', value, 'finite epoch milliseconds');
    }
    return Math.max(value, this.#state.latestMs);
  }

  /** Brings everything time-driven up to `t`, in time order, then makes `t` the campaign's time. */
  #advance(t: number): void {
    const { jobs } = this.#state;
    for (;;) {
      const leaseAt = this.#queues.peekLease();
      const closeAt = this.#queues.peekClosing();
      const readyAt = this.#queues.peekWaiting();
      if (leaseAt <= t && leaseAt <= closeAt && leaseAt <= readyAt) {
        const i = this.#queues.popLease();
        jobs.flags[i]! |= LEASE_EXPIRED;
        this.#emit('leaseExpired', i, leaseAt, jobs.attempts[i]!);
        this.#endAttempt(i, leaseAt, true);
      } else if (closeAt <= t && closeAt <= readyAt) {
        // The window a ready job waited in closed: wait for the next one, or expire.
        const i = this.#queues.popClosing();
        this.#setState(i, WAITING);
        this.#enqueue(i, closeAt, closeAt);
      } else if (readyAt <= t) {
        this.#makeReady(this.#queues.popWaiting());
      } else break;
    }
    this.#state.latestMs = t;
  }

  // --- queues ---

  /** Puts a job in line for its next window from `fromMs`, or ends it `expired` at `atMs` when none is left. */
  #enqueue(i: number, fromMs: number, atMs: number): void {
    const { jobs, schedules } = this.#state;
    const window = schedules[jobs.schedule[i]!]!.nextWindow(fromMs);
    if (window === null) this.#finish(i, EXPIRED, atMs);
    else this.#place(i, window);
  }

  /** Puts a job in line for a window: ready now if it has started, else waiting for it. */
  #place(i: number, window: CallWindow): void {
    const { jobs } = this.#state;
    jobs.readyAtMs[i] = window.start;
    jobs.windowEndMs[i] = window.end;
    this.#setState(i, WAITING);
    if (window.start <= this.#state.latestMs) this.#makeReady(i);
    else this.#queues.pushWaiting(i);
  }

  #makeReady(i: number): void {
    this.#setState(i, READY);
    this.#queues.pushReady(i);
  }

  /** When dialing job `i`'s next attempt, or its redial, would become ready if its lease expired. */
  #readyAfterLease(i: number): number {
    const { jobs, schedules } = this.#state;
    if (jobs.flags[i]! & CANCEL_REQUESTED) return Number.POSITIVE_INFINITY;
    const deadline = jobs.leaseUntilMs[i]!;
    const child = jobs.redialChild[i]!;
    if (child >= 0) {
      return jobs.state[child] === PENDING
        ? schedules[jobs.schedule[child]!]!.nextStart(deadline)
        : Number.POSITIVE_INFINITY;
    }
    if (jobs.attempts[i]! >= jobs.maxAttempts[i]! || this.#atCap(jobs.phone[i]!)) {
      return Number.POSITIVE_INFINITY;
    }
    return schedules[jobs.schedule[i]!]!.nextStart(deadline + jobs.retryMinutes[i]! * MINUTE_MS);
  }

  /** Refills the counts and queues from the job states (after a restore). */
  #rebuildQueues(): void {
    const { jobs } = this.#state;
    this.#counts.fill(0);
    for (let i = 0; i < jobs.length; i++) this.#counts[jobs.state[i]!]!++;
    this.#queues.rebuild();
  }

  // --- lifecycle ---

  /**
   * The job an identical entry created less than `dedupWindowMs` before `t` (spec section 8), or -1.
   * Remembered jobs are found through their phone, so the memory is two integers and an instant per job.
   */
  #findDuplicate(entry: AcceptedEntry, keyId: number, t: number): number {
    const ownFields = entry.ownFields;
    const state = this.#state;
    const phoneId = state.phones.find(entry.phone);
    if (phoneId < 0) return -1;
    const { jobs } = state;
    const windowMs = this.#options.dedupWindowMs;
    for (let j = state.phones.firstJob[phoneId]!; j >= 0; j = jobs.nextOfPhone[j]!) {
      if (
        jobs.policyKey[j] === keyId &&
        jobs.ownFields[j] === ownFields &&
        t - jobs.addedAtMs[j]! < windowMs &&
        samePayload(jobs.payloads[j], entry.payload)
      ) {
        return j;
      }
    }
    return -1;
  }

  #createEntryJob(entry: AcceptedEntry, t: number): number {
    const defaults = this.#options.defaults;
    const own = entry.ownFields;
    const i = this.#createJob(
      entry.phone,
      entry.payload,
      this.#state.scheduleId(entry.schedule),
      ownDialerPriority(own) ?? defaults.dialerPriority ?? BUILT_IN.dialerPriority,
      ownMaxAttempts(own) ?? defaults.maxAttempts ?? BUILT_IN.maxAttempts,
      ownRetryInterval(own) ?? defaults.retryIntervalInMinutes ?? BUILT_IN.retryIntervalInMinutes,
    );
    this.#counts[WAITING]!++;
    this.#emit('added', i, t, 0);
    if (this.#atCap(this.#state.jobs.phone[i]!)) this.#finish(i, EXHAUSTED, t);
    else this.#enqueue(i, t, t);
    return i;
  }

  /** Appends a job (state WAITING, not yet counted or queued) and links it to its phone. */
  #createJob(
    phone: string,
    payload: JsonValue | undefined,
    scheduleId: number,
    priority: number,
    maxAttempts: number,
    retryMinutes: number,
  ): number {
    const state = this.#state;
    const jobs = state.jobs;
    const i = jobs.add();
    const phoneId = state.phones.add(phone);
    jobs.state[i] = WAITING;
    jobs.phone[i] = phoneId;
    jobs.nextOfPhone[i] = state.phones.firstJob[phoneId]!;
    state.phones.firstJob[phoneId] = i;
    jobs.schedule[i] = scheduleId;
    jobs.priority[i] = priority;
    jobs.maxAttempts[i] = maxAttempts;
    jobs.retryMinutes[i] = retryMinutes;
    jobs.addedAtMs[i] = state.latestMs;
    if (payload !== undefined) {
      jobs.payloads[i] = payload;
      jobs.flags[i]! |= HAS_PAYLOAD;
    }
    return i;
  }

  #startAttempt(i: number, t: number): CallTask {
    const state = this.#state;
    const { jobs } = state;
    jobs.attempts[i]!++;
    this.#setState(i, DIALING);
    jobs.flags[i]! &= ~LEASE_EXPIRED;
    jobs.leaseUntilMs[i] = t + this.#options.leaseTimeoutMs;
    this.#queues.pushLease(i);
    const phoneId = jobs.phone[i]!;
    state.phones.attempts[phoneId]!++;
    this.#emit('dialing', i, t, jobs.attempts[i]!);
    if (this.#atCap(phoneId)) {
      // The phone reached maxTotalAttempts: its other unfinished jobs end now.
      for (let j = state.phones.firstJob[phoneId]!; j >= 0; j = jobs.nextOfPhone[j]!) {
        const code = jobs.state[j]!;
        if (j !== i && code !== DIALING && !isFinalCode(code)) this.#finish(j, EXHAUSTED, t);
      }
    }
    return {
      jobId: jobIdOf(i),
      phone: state.phones.digitsOf(phoneId),
      payload: jobs.payloads[i],
      attempt: jobs.attempts[i]!,
      dialerPriority: jobs.priority[i]!,
      windowEnd: jobs.windowEndMs[i]!,
      gmtZone: state.schedules[jobs.schedule[i]!]!.zone.id,
    };
  }

  /** Ends the current attempt of job `i` at `atMs`: completed, or failed (a report or an expired lease). */
  #endAttempt(i: number, atMs: number, failed: boolean): void {
    const { jobs } = this.#state;
    const child = jobs.redialChild[i]!;
    if (jobs.flags[i]! & CANCEL_REQUESTED) {
      this.#finish(i, CANCELLED, atMs);
      if (child >= 0 && jobs.state[child] === PENDING) this.#finish(child, CANCELLED, atMs);
      return;
    }
    if (child >= 0) {
      this.#finish(i, REDIALED, atMs);
      if (jobs.state[child] === PENDING) {
        this.#setState(child, WAITING);
        this.#enqueue(child, atMs, atMs);
      }
      return;
    }
    if (!failed) {
      this.#finish(i, COMPLETED, atMs);
      return;
    }
    if (jobs.attempts[i]! >= jobs.maxAttempts[i]! || this.#atCap(jobs.phone[i]!)) {
      this.#finish(i, EXHAUSTED, atMs);
      return;
    }
    const retryFromMs = atMs + jobs.retryMinutes[i]! * MINUTE_MS;
    const window = this.#state.schedules[jobs.schedule[i]!]!.nextWindow(retryFromMs);
    if (window === null) {
      this.#finish(i, EXPIRED, atMs);
      return;
    }
    this.#emit('retry', i, atMs, jobs.attempts[i]!);
    this.#place(i, window);
  }

  #finish(i: number, code: number, atMs: number): void {
    this.#setState(i, code);
    const type = STATE_NAMES[code] as CampaignEventType;
    this.#emit(type, i, atMs, this.#state.jobs.attempts[i]!);
  }

  #setState(i: number, code: number): void {
    const jobs = this.#state.jobs;
    this.#counts[jobs.state[i]!]!--;
    this.#counts[code]!++;
    jobs.state[i] = code;
  }

  #atCap(phoneId: number): boolean {
    const cap = this.#options.maxTotalAttempts;
    return cap !== undefined && this.#state.phones.attempts[phoneId]! >= cap;
  }

  // --- reports ---

  /** The job a report (or redial) names, checked against its state at `t` without changing anything. */
  #reportedJob(jobIdOrTask: unknown, t: number, what: 'report' | 'redial' = 'report'): number {
    let id: unknown = jobIdOrTask;
    let attempt: unknown;
    if (typeof jobIdOrTask === 'object' && jobIdOrTask !== null) {
      id = (jobIdOrTask as CallTask).jobId;
      attempt = (jobIdOrTask as CallTask).attempt;
    }
    const i = this.#indexOf(id);
    if (i < 0)
      throw reportError(
        'job.not.found',
        `job ${quote(id)} is not a job of this campaign: expected a job ID or a call task.`,
      );
    const { jobs } = this.#state;
    const attempts = jobs.attempts[i]!;
    if (attempt !== undefined && attempt !== attempts) {
      throw reportError(
        'invalid.call.task.state',
        `the call task for attempt ${quote(attempt)} of job ${quote(id)} is stale: the job is on attempt ${attempts}.`,
      );
    }
    const code = jobs.state[i]!;
    const leaseExpired =
      code === DIALING ? jobs.leaseUntilMs[i]! <= t : (jobs.flags[i]! & LEASE_EXPIRED) !== 0;
    if (leaseExpired) {
      throw reportError(
        'lease.expired',
        `the lease of job ${quote(id)} attempt ${attempts} expired at ${isoOf(jobs.leaseUntilMs[i]!)}; the attempt already counted as failed.`,
      );
    }
    if (code !== DIALING)
      throw reportError(
        'invalid.call.task.state',
        `cannot ${what} job ${quote(id)}: it is ${STATE_NAMES[code]}, not dialing.`,
      );
    return i;
  }

  #indexOf(jobId: unknown): number {
    if (typeof jobId !== 'string' || !/^[1-9]\d{0,14}$/.test(jobId)) return -1;
    const i = Number(jobId) - 1;
    return i < this.#state.jobs.length ? i : -1;
  }

  // --- events ---

  #emit(type: CampaignEventType, i: number, atMs: number, attempt: number): void {
    if (!this.#events.has(type)) return;
    this.#events.emit({ type, jobId: jobIdOf(i), atMs, attempt });
  }

  #emitWarning(i: number, atMs: number, issue: Issue): void {
    if (!this.#events.has('warning')) return;
    const event: CampaignEvent = {
      type: 'warning',
      jobId: jobIdOf(i),
      atMs,
      attempt: this.#state.jobs.attempts[i]!,
      issue,
    };
    this.#events.emit(event);
  }

  #parseOptions() {
    const o = this.#options;
    return {
      defaults: o.defaults,
      zoneResolver: o.zoneResolver,
      strictPriority: o.strictPriority,
      maxPayloadBytes: o.maxPayloadBytes,
    };
  }
}
