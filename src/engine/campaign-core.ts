import type { Issue } from '../errors.js';
import type { AcceptedEntry } from '../policy/parse-entries.js';
import type { ResolvedJob } from '../policy/resolve.js';
import type { JsonValue } from '../policy/types.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { jobIdOf } from './call-args.js';
import { DuplicateMemory } from './duplicate-memory.js';
import { type CampaignEvent, type CampaignEventType, EventHub } from './events.js';
import { Interner } from './interner.js';
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
import { CANCEL_REQUESTED, JobStore, LEASE_EXPIRED, PARKED } from './job-store.js';
import {
  type AttemptEnd,
  admit,
  becomeReady,
  cancel,
  type EmitEvent,
  endAttempt,
  enqueue,
  finish,
  forgetAtMs,
  type JobRecord,
  newJob,
  readyAfterLease,
  serve,
  windowClosed,
} from './lifecycle.js';
import type { ResolvedOptions } from './options.js';
import { CAP_FREES, CAP_HELD, PARKED_READY, PhoneCaps } from './phone-caps.js';
import { PhoneLines } from './phone-lines.js';
import { PhoneTable } from './phone-table.js';
import type { CallTask, CampaignStats } from './types.js';

/**
 * The state and lifecycle of one campaign (spec sections 5 to 9), without argument checks: the
 * `Campaign` facade validates every input first, then calls in here. Changes are applied whole and their
 * events queued on `events`; the facade delivers them once the change is complete.
 */
export class CampaignCore {
  readonly options: ResolvedOptions;
  readonly jobs = new JobStore();
  readonly phones = new PhoneTable();
  /** Compiled schedules, shared by the jobs with the same effective policy. */
  readonly schedules = new Interner<CallSchedule>();
  /** Origin keys (`originKey`) of the jobs' own fields, shared by the jobs with equal ones, for `explain`. */
  readonly origins = new Interner<string>();
  readonly duplicates: DuplicateMemory;
  readonly queues: JobQueues;
  readonly events = new EventHub();
  /** The do-not-call list (spec section 12): phones (digits) no job is added for; kept until unblocked. */
  readonly blocked = new Set<string>();
  /** The phones' recent attempt starts, for `maxAttemptsPer24h` (spec section 12). */
  readonly caps: PhoneCaps;
  /** The latest `now` seen (spec: the campaign's time); `-Infinity` before the first call. */
  latestMs = Number.NEGATIVE_INFINITY;
  paused = false;
  /** Jobs per internal state code. */
  readonly #counts = new Array<number>(9).fill(0);
  readonly #lines: PhoneLines;
  readonly #readyAfterLeaseOf = (slot: number) => this.#readyAfterLease(slot);
  /** The record transitions run on (one at a time: load, transition, store), so serving allocates none. */
  readonly #job: JobRecord = newJob(1, 1, false);
  readonly #end: { -readonly [K in keyof AttemptEnd]: AttemptEnd[K] } = {
    atMs: 0,
    failed: false,
    retryMinutes: 0,
    byLeaseExpiry: false,
    phoneAtCap: false,
    schedule: undefined as unknown as CallSchedule,
    latestMs: 0,
  };
  /** The job whose record is loaded: the one the transition's events are about. */
  #eventSlot = -1;
  readonly #emitOfJob: EmitEvent = (type, atMs, attempt) => this.#emit(type, this.#eventSlot, atMs, attempt);

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.queues = new JobQueues(this.jobs);
    this.duplicates = new DuplicateMemory(this.jobs, this.phones, options.dedupWindowMs);
    this.caps = new PhoneCaps(options.rules, this.jobs, this.phones, this.#scheduleOfSlot);
    this.#lines = new PhoneLines(this.jobs, this.phones, this.queues, this.caps);
  }

  // --- time ---

  /**
   * Brings everything time-driven up to `t`, in time order, then makes `t` the campaign's time. Final
   * jobs past their retention are forgotten here (unless `forget` is false), so a job stays visible
   * during the call that ended it.
   */
  advance(t: number, forget = true): void {
    const { jobs, queues, caps } = this;
    for (;;) {
      const leased = queues.peekLease();
      const closing = queues.peekClosing();
      const waiting = queues.peekWaiting();
      const leaseAt = leased < 0 ? Number.POSITIVE_INFINITY : jobs.leaseUntilMs[leased]!;
      const closeAt = closing < 0 ? Number.POSITIVE_INFINITY : jobs.windowEndMs[closing]!;
      const readyAt = waiting < 0 ? Number.POSITIVE_INFINITY : jobs.readyAtMs[waiting]!;
      const capAt = caps.peekDueAt();
      if (capAt <= t && capAt < leaseAt && capAt < closeAt && capAt < readyAt) {
        this.#capDue(caps.popDue(), caps.dueId, capAt);
      } else if (leaseAt <= t && leaseAt <= closeAt && leaseAt <= readyAt) {
        queues.popLease();
        this.#endAttempt(leased, leaseAt, true, jobs.retryMinutes[leased]!, true);
      } else if (closeAt <= t && closeAt <= readyAt) {
        // The window a ready job waited in closed: on to its window at `t` (however many it missed).
        queues.popClosing();
        windowClosed(
          this.#load(closing),
          this.#scheduleOf(closing),
          closeAt,
          t,
          this.latestMs,
          this.#emitOfJob,
        );
        this.#store(closing);
      } else if (readyAt <= t) {
        queues.popWaiting();
        becomeReady(this.#load(waiting));
        this.#store(waiting);
      } else break;
    }
    if (forget) {
      for (let slot = queues.popForgettable(t); slot >= 0; slot = queues.popForgettable(t))
        this.#forget(slot, t);
    }
    this.latestMs = t;
  }

  // --- adding ---

  /** Adds a job for an accepted entry; remembered for the duplicate check when `payloadKey` is given. */
  addEntryJob(entry: AcceptedEntry, t: number, payloadKey: number | undefined): number {
    const slot = this.#createJob(entry.phone, entry.payload, entry.job, t);
    const { jobs } = this;
    if (this.caps.enabled) this.caps.noteRuleSet(jobs.phone[slot]!, entry.ruleSet);
    // A remembered entry's policy key is its origin key (`originKey('entry', …)` is `scheduleKey`): explain reads that.
    if (payloadKey !== undefined) this.duplicates.remember(slot, entry, payloadKey);
    else jobs.origin[slot] = this.origins.acquire(entry.scheduleKey);
    this.#emit('added', slot, t, 0);
    const job = this.#load(slot);
    admit(job, this.#scheduleOf(slot), this.#atCap(jobs.phone[slot]!), t, this.latestMs, this.#emitOfJob);
    this.#store(slot);
    return slot;
  }

  /** Adds a redial job of the dialing job `parent` (spec section 7), held until the attempt ends. */
  addRedialJob(
    parent: number,
    settings: ResolvedJob,
    t: number,
    warnings: readonly Issue[],
    originKey: string,
  ): number {
    const { jobs } = this;
    const child = this.#createJob(
      this.phones.digitsOf(jobs.phone[parent]!),
      jobs.payloads[parent],
      settings,
      t,
    );
    jobs.origin[child] = this.origins.acquire(originKey);
    this.#setState(child, PENDING);
    jobs.redialOf[child] = jobs.number[parent]!;
    jobs.redialChild[parent] = jobs.number[child]!;
    this.queues.noteAfterLease(parent);
    this.#emit('added', child, t, 0);
    for (const issue of warnings) this.emitWarning(child, t, issue);
    return child;
  }

  // --- serving ---

  /** Serves the first ready job at `t` (time already advanced) and leases it, or `undefined`. */
  serve(t: number): CallTask | undefined {
    const slot = this.queues.peekReady(this.#lines.isBlocked, this.#lines.park);
    if (slot < 0) return undefined;
    this.queues.popReady(slot);
    return this.#startAttempt(slot, t);
  }

  // --- applying transitions ---

  /** Copies job `slot`'s lifecycle fields into the scratch record (events then go to that job). */
  #load(slot: number): JobRecord {
    const { jobs } = this;
    const job = this.#job;
    const flags = jobs.flags[slot]!;
    job.state = jobs.state[slot]!;
    job.attempts = jobs.attempts[slot]!;
    job.maxAttempts = jobs.maxAttempts[slot]!;
    job.retryMinutes = jobs.retryMinutes[slot]!;
    job.readyAtMs = jobs.readyAtMs[slot]!;
    job.windowEndMs = jobs.windowEndMs[slot]!;
    job.leaseUntilMs = jobs.leaseUntilMs[slot]!;
    job.endedAtMs = jobs.endedAtMs[slot]!;
    job.cancelRequested = (flags & CANCEL_REQUESTED) !== 0;
    job.leaseExpired = (flags & LEASE_EXPIRED) !== 0;
    job.hasRedial = jobs.redialChild[slot]! >= 0;
    this.#eventSlot = slot;
    return job;
  }

  /**
   * Writes the scratch record back into job `slot` after a transition, keeping the counts and queues in
   * step with the new state (a job in line goes to the queue of its state; a final one to the forget
   * queue).
   */
  #store(slot: number): void {
    const { jobs, queues } = this;
    const job = this.#job;
    const before = jobs.state[slot]!;
    const moved =
      job.state !== before ||
      job.readyAtMs !== jobs.readyAtMs[slot] ||
      job.windowEndMs !== jobs.windowEndMs[slot];
    if (job.state !== before) this.#setState(slot, job.state);
    jobs.attempts[slot] = job.attempts;
    jobs.readyAtMs[slot] = job.readyAtMs;
    jobs.windowEndMs[slot] = job.windowEndMs;
    jobs.leaseUntilMs[slot] = job.leaseUntilMs;
    jobs.endedAtMs[slot] = job.endedAtMs;
    const flags = (job.cancelRequested ? CANCEL_REQUESTED : 0) | (job.leaseExpired ? LEASE_EXPIRED : 0);
    if ((jobs.flags[slot]! & CANCEL_REQUESTED) === 0 && job.cancelRequested) queues.noteAfterLease(slot);
    jobs.flags[slot] = (jobs.flags[slot]! & PARKED) | flags;
    if (moved) {
      if (job.state === READY) queues.pushReady(slot);
      else if (job.state === WAITING) queues.pushWaiting(slot);
      else if (job.state === DIALING) queues.pushLease(slot);
      else if (isFinalCode(job.state)) queues.pushForget(slot, this.#forgetAtMs(slot));
    }
  }

  /** `nextReadyAt` at `t` (time already advanced, not paused). */
  nextReadyAt(t: number): number | undefined {
    const { queues, jobs } = this;
    if (queues.peekReady(this.#lines.isBlocked, this.#lines.park) >= 0) return t;
    const waiting = queues.peekWaiting(this.#lines.isBlocked, this.#lines.park);
    const earliest = Math.min(
      waiting < 0 ? Number.POSITIVE_INFINITY : jobs.readyAtMs[waiting]!,
      queues.peekReadyAfterLease(this.#readyAfterLeaseOf),
      this.caps.enabled ? this.caps.peekFreeAt() : Number.POSITIVE_INFINITY,
    );
    return earliest === Number.POSITIVE_INFINITY ? undefined : earliest;
  }

  // --- reports ---

  /** Ends the current attempt of dialing job `slot` at `t` by a report (time already advanced). */
  report(slot: number, t: number, failed: boolean, retryMinutes: number): void {
    // Parked jobs the report released may be due already.
    if (this.#endAttempt(slot, t, failed, retryMinutes)) this.advance(t, false);
  }

  /**
   * Ends the given jobs (slots) as `cancelled` (spec section 6), a job being dialed at its report;
   * returns the slots it cancelled.
   */
  cancel(slots: readonly number[], t: number): number[] {
    const cancelled: number[] = [];
    for (const slot of slots) {
      if (!cancel(this.#load(slot), t, this.#emitOfJob)) continue;
      this.#store(slot);
      cancelled.push(slot);
    }
    return cancelled;
  }

  /** The slots of every job of a phone (digits), newest first; empty for an unknown phone. */
  jobsOfPhone(digits: string): number[] {
    const phone = this.phones.find(digits);
    const slots: number[] = [];
    if (phone < 0) return slots;
    for (let s = this.phones.firstJob[phone]!; s >= 0; s = this.jobs.nextOfPhone[s]!) slots.push(s);
    return slots;
  }

  // --- views ---

  /** The public state of job `slot` as of the latest instant. */
  stateOf(slot: number): (typeof STATE_NAMES)[number] {
    const code = this.jobs.state[slot]!;
    return code === READY && this.#lines.isBlocked(slot) ? 'waiting' : STATE_NAMES[code]!;
  }

  stats(): CampaignStats {
    const c = this.#counts;
    return {
      waiting: c[WAITING]! + c[PENDING]! + this.#lines.blockedReady,
      ready: c[READY]! - this.#lines.blockedReady,
      dialing: c[DIALING]!,
      completed: c[COMPLETED]!,
      exhausted: c[EXHAUSTED]!,
      expired: c[EXPIRED]!,
      cancelled: c[CANCELLED]!,
      redialed: c[REDIALED]!,
      total: this.jobs.size,
    };
  }

  atCap(phone: number): boolean {
    return this.#atCap(phone);
  }

  /**
   * The `nextAttemptAt` of job `slot`'s view: its window's start, or while its phone's 24-hour cap holds
   * it, the first instant the cap and its windows allow (`null` when its windows end before).
   */
  nextAttemptAtOf(slot: number): number | null {
    const { jobs, caps } = this;
    const code = jobs.state[slot]!;
    if (code !== WAITING && code !== READY) return null;
    const freeAt = caps.enabled ? caps.freeAtMs(jobs.phone[slot]!) : Number.NEGATIVE_INFINITY;
    if (freeAt <= this.latestMs) return jobs.readyAtMs[slot]!;
    const at = caps.earliestOf(slot, freeAt);
    return at === Number.POSITIVE_INFINITY ? null : at;
  }

  // --- restore ---

  /** Recounts and requeues everything from the job fields (after a restore filled them). */
  rebuild(): void {
    const { jobs, phones } = this;
    this.#counts.fill(0);
    jobs.forEachInOrder((slot) => {
      const code = jobs.state[slot]!;
      this.#counts[code]!++;
      if (code === DIALING) phones.dialing[jobs.phone[slot]!] = slot;
    });
    if (this.caps.enabled) this.caps.rebuild(this.latestMs);
    this.#lines.rebuild();
    this.queues.rebuild((slot) => this.#forgetAtMs(slot));
  }

  /** Refills the duplicate memory from the restored jobs' keys (later jobs win a shared key). */
  rememberRestored(): void {
    this.jobs.forEachInOrder((slot) => this.duplicates.index(slot));
  }

  // --- events ---

  emitWarning(slot: number, atMs: number, issue: Issue): void {
    if (!this.events.has('warning')) return;
    const event: CampaignEvent = {
      type: 'warning',
      jobId: jobIdOf(this.jobs.number[slot]!),
      atMs,
      attempt: this.jobs.attempts[slot]!,
      issue,
    };
    this.events.queue(event);
  }

  #emit(type: CampaignEventType, slot: number, atMs: number, attempt: number): void {
    if (!this.events.has(type)) return;
    this.events.queue({ type, jobId: jobIdOf(this.jobs.number[slot]!), atMs, attempt });
  }

  // --- lifecycle ---

  /** Appends a job (state WAITING, counted, not queued) and links it to its phone. */
  #createJob(phoneDigits: string, payload: JsonValue | undefined, settings: ResolvedJob, t: number): number {
    const { jobs, phones } = this;
    const slot = jobs.add();
    const phone = phones.add(phoneDigits);
    jobs.state[slot] = WAITING;
    this.#counts[WAITING]!++;
    jobs.phone[slot] = phone;
    const first = phones.firstJob[phone]!;
    jobs.nextOfPhone[slot] = first;
    if (first >= 0) jobs.prevOfPhone[first] = slot;
    phones.firstJob[phone] = slot;
    jobs.schedule[slot] = this.schedules.acquire(settings.schedule);
    jobs.priority[slot] = settings.priority;
    jobs.maxAttempts[slot] = settings.maxAttempts;
    jobs.retryMinutes[slot] = settings.retryMinutes;
    jobs.addedAtMs[slot] = t;
    if (payload !== undefined) jobs.payloads[slot] = payload;
    return slot;
  }

  /** When a job of dialing job `slot`'s phone would become ready if its lease expired (`Infinity` when none). */
  #readyAfterLease(slot: number): number {
    const { jobs } = this;
    const deadline = jobs.leaseUntilMs[slot]!;
    const child = jobs.slotOf(jobs.redialChild[slot]!);
    const heldRedial =
      child >= 0 && jobs.state[child] === PENDING ? { schedule: this.#scheduleOf(child) } : undefined;
    const phone = jobs.phone[slot]!;
    const freeAt = this.caps.enabled ? this.caps.freeAtMs(phone) : Number.NEGATIVE_INFINITY;
    const earliest = readyAfterLease(
      this.#load(slot),
      this.#scheduleOf(slot),
      heldRedial,
      this.#atCap(phone),
      freeAt,
    );
    // The phone's other jobs, held back while it is dialed, may go on at the deadline (and its cap).
    return Math.min(
      earliest,
      this.#lines.earliestAfter(phone, Math.max(deadline, freeAt), this.#scheduleOfSlot),
    );
  }

  #startAttempt(slot: number, t: number): CallTask {
    const { jobs, phones } = this;
    serve(this.#load(slot), t, this.options.leaseTimeoutMs, this.#emitOfJob);
    this.#store(slot);
    const phone = jobs.phone[slot]!;
    phones.attempts[phone]!++;
    if (this.caps.enabled) this.caps.record(phone, t);
    this.#lines.startDialing(slot);
    if (this.#atCap(phone)) {
      // The phone reached maxTotalAttempts: its other unfinished jobs end now.
      for (let s = phones.firstJob[phone]!; s >= 0; s = jobs.nextOfPhone[s]!) {
        const code = jobs.state[s]!;
        if (s !== slot && code !== DIALING && !isFinalCode(code)) {
          finish(this.#load(s), EXHAUSTED, t, this.#emitOfJob);
          this.#store(s);
        }
      }
    }
    return {
      jobId: jobIdOf(jobs.number[slot]!),
      phone: phones.digitsOf(phone),
      payload: jobs.payloads[slot],
      attempt: jobs.attempts[slot]!,
      dialerPriority: jobs.priority[slot]!,
      windowEnd: jobs.windowEndMs[slot]!,
      readyAt: jobs.readyAtMs[slot]!,
      gmtZone: this.#scheduleOf(slot).zone.id,
      gmtZones: this.#scheduleOf(slot).zoneIds,
    };
  }

  /**
   * Ends the current attempt of job `slot` at `atMs`: completed, or failed (a report or an expired
   * lease), retrying after `retryMinutes`; a redial it asked for is released (or cancelled with it).
   * Then the phone's other jobs go on; returns whether any were held.
   */
  #endAttempt(
    slot: number,
    atMs: number,
    failed: boolean,
    retryMinutes: number,
    byLeaseExpiry = false,
  ): boolean {
    const { jobs } = this;
    const phone = jobs.phone[slot]!;
    this.queues.endLease();
    this.#lines.stopDialing(phone, this.caps.enabled && this.caps.freeAtMs(phone) > atMs);
    const end = this.#end;
    end.atMs = atMs;
    end.failed = failed;
    end.retryMinutes = retryMinutes;
    end.byLeaseExpiry = byLeaseExpiry;
    end.phoneAtCap = this.#atCap(phone);
    end.schedule = this.#scheduleOf(slot);
    end.latestMs = this.latestMs;
    endAttempt(this.#load(slot), end, this.#emitOfJob);
    this.#store(slot);
    const child = jobs.slotOf(jobs.redialChild[slot]!);
    if (child >= 0 && jobs.state[child] === PENDING) {
      const held = this.#load(child);
      if (jobs.state[slot] === CANCELLED) finish(held, CANCELLED, atMs, this.#emitOfJob);
      else {
        held.state = WAITING;
        enqueue(held, this.#scheduleOf(child), atMs, this.latestMs, this.#emitOfJob);
      }
      this.#store(child);
    }
    return this.#lines.release(phone, atMs);
  }

  /** When a final job is forgotten: `retentionMs` after it ended, and not before the duplicate check is done with it. */
  #forgetAtMs(slot: number): number {
    const { jobs } = this;
    return forgetAtMs(jobs.endedAtMs[slot]!, jobs.addedAtMs[slot]!, jobs.policyKey[slot]! >= 0, this.options);
  }

  /**
   * A time-driven entry of the 24-hour cap at `atMs`: a held phone's cap frees it (its parked jobs go
   * on), a parked waiting job's window starts, or a phone without jobs has its starts lapse.
   */
  #capDue(kind: number, id: number, atMs: number): void {
    const { jobs, phones, caps } = this;
    if (kind === CAP_FREES) {
      if (phones.dialing[id] !== CAP_HELD || caps.freeAtMs(id) > atMs) return;
      this.#lines.unhold(id);
      this.#lines.release(id, atMs);
    } else if (kind === PARKED_READY) {
      const slot = jobs.slotOf(id);
      if (slot < 0 || jobs.state[slot] !== WAITING || (jobs.flags[slot]! & PARKED) === 0) return;
      if (jobs.readyAtMs[slot] !== atMs) return;
      becomeReady(this.#load(slot));
      this.#store(slot);
    } else if (phones.firstJob[id]! < 0 && caps.lapsed(id, atMs)) {
      if (phones.dialing[id] === CAP_HELD) this.#lines.unhold(id);
      phones.remove(id);
    }
  }

  /** Releases everything a final job holds; its ID no longer resolves. */
  #forget(slot: number, atMs: number): void {
    const { jobs, phones } = this;
    const phone = jobs.phone[slot]!;
    const next = jobs.nextOfPhone[slot]!;
    const prev = jobs.prevOfPhone[slot]!;
    if (prev >= 0) jobs.nextOfPhone[prev] = next;
    else phones.firstJob[phone] = next;
    if (next >= 0) jobs.prevOfPhone[next] = prev;
    if (phones.firstJob[phone]! < 0) {
      // A phone whose starts still count for its cap stays until they lapse (its attempt count goes, as
      // a removed phone's does).
      if (this.caps.enabled && this.caps.keepsRow(phone, atMs)) phones.attempts[phone] = 0;
      else phones.remove(phone);
    }
    this.schedules.release(jobs.schedule[slot]!);
    if (jobs.origin[slot]! >= 0) this.origins.release(jobs.origin[slot]!);
    this.duplicates.forget(slot);
    this.#counts[jobs.state[slot]!]!--;
    jobs.remove(slot);
  }

  #setState(slot: number, code: number): void {
    const { jobs } = this;
    const old = jobs.state[slot]!;
    this.#lines.changeState(slot, old, code);
    this.#counts[old]!--;
    this.#counts[code]!++;
    jobs.state[slot] = code;
  }

  #atCap(phone: number): boolean {
    const cap = this.options.maxTotalAttempts;
    return cap !== undefined && this.phones.attempts[phone]! >= cap;
  }

  #scheduleOf(slot: number): CallSchedule {
    return this.schedules.get(this.jobs.schedule[slot]!);
  }

  readonly #scheduleOfSlot = (slot: number): CallSchedule => this.#scheduleOf(slot);
}
