import type { EntryInput, PolicyInput } from '../policy/types.js';
import type { Campaign } from './campaign.js';
import type { CampaignEventType, CampaignListener } from './events.js';
import type { JobExplanation } from './explain-job.js';
import type { CampaignSnapshot } from './snapshot.js';
import type {
  AddPhonesOptions,
  AddPhonesResult,
  CallTask,
  CampaignStats,
  CancelSelection,
  JobView,
} from './types.js';

/**
 * A campaign whose calls are promises: what `PostgresCampaign` (`dialer-scheduler/postgres`) is, and
 * what {@link asyncCampaign} makes of an in-memory `Campaign`, so one dialer loop or one test drives
 * either backend. Arguments, results and errors are those of `Campaign` (spec sections 5 to 10); the
 * `isPaused` and `latestMs` getters are methods here.
 */
export interface AsyncCampaign {
  addPhones(entries: readonly unknown[], options?: AddPhonesOptions): Promise<AddPhonesResult>;
  addTestPhone(entry: EntryInput, options?: { readonly now?: number }): Promise<string>;
  next(now?: number): Promise<CallTask | undefined>;
  nextReadyAt(now?: number): Promise<number | undefined>;
  complete(jobIdOrTask: string | CallTask, now?: number): Promise<void>;
  fail(
    jobIdOrTask: string | CallTask,
    now?: number,
    options?: { readonly retryIntervalInMinutes?: number },
  ): Promise<void>;
  completeAndNext(jobIdOrTask: string | CallTask, now?: number): Promise<CallTask | undefined>;
  failAndNext(
    jobIdOrTask: string | CallTask,
    now?: number,
    options?: { readonly retryIntervalInMinutes?: number },
  ): Promise<CallTask | undefined>;
  redial(jobId: string | CallTask, params: PolicyInput, now?: number): Promise<string | null>;
  cancel(selection: CancelSelection, now?: number): Promise<string[]>;
  /** Puts phones on the do-not-call list and cancels their unfinished jobs; the IDs cancelled (spec section 12). */
  blockPhones(phones: readonly (string | number)[], now?: number): Promise<string[]>;
  /** Takes phones off the do-not-call list; the phones (digits) that were on it. */
  unblockPhones(phones: readonly (string | number)[], now?: number): Promise<string[]>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  isPaused(): Promise<boolean>;
  job(jobId: string): Promise<JobView | undefined>;
  /** Why the job is or is not served now (spec section 12); `undefined` for an unknown ID. */
  explain(jobId: string, now?: number): Promise<JobExplanation | undefined>;
  unfinishedJobs(options?: { readonly offset?: number; readonly limit?: number }): Promise<JobView[]>;
  stats(): Promise<CampaignStats>;
  /** The campaign's time: the latest `now` it has seen (`-Infinity` before any). */
  latestMs(): Promise<number>;
  /** Listens to the lifecycle events of this process's calls; returns a function that removes the listener. */
  on(type: CampaignEventType, listener: CampaignListener): () => void;
  snapshot(): Promise<CampaignSnapshot>;
  /** Releases what the campaign holds (a database backend's connections); the in-memory one holds none. */
  close(): Promise<void>;
}

/** The in-memory `campaign` behind the {@link AsyncCampaign} interface: each call runs at once, its result or error in a promise. */
export function asyncCampaign(campaign: Campaign): AsyncCampaign {
  const run = <T>(call: () => T): Promise<T> => {
    try {
      return Promise.resolve(call());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    addPhones: (entries, options) => run(() => campaign.addPhones(entries, options)),
    addTestPhone: (entry, options) => run(() => campaign.addTestPhone(entry, options)),
    next: (now) => run(() => campaign.next(now)),
    nextReadyAt: (now) => run(() => campaign.nextReadyAt(now)),
    complete: (job, now) => run(() => campaign.complete(job, now)),
    fail: (job, now, options) => run(() => campaign.fail(job, now, options)),
    completeAndNext: (job, now) => run(() => campaign.completeAndNext(job, now)),
    failAndNext: (job, now, options) => run(() => campaign.failAndNext(job, now, options)),
    redial: (job, params, now) => run(() => campaign.redial(job, params, now)),
    cancel: (selection, now) => run(() => campaign.cancel(selection, now)),
    blockPhones: (phones, now) => run(() => campaign.blockPhones(phones, now)),
    unblockPhones: (phones, now) => run(() => campaign.unblockPhones(phones, now)),
    pause: () => run(() => campaign.pause()),
    resume: () => run(() => campaign.resume()),
    isPaused: () => run(() => campaign.isPaused),
    job: (jobId) => run(() => campaign.job(jobId)),
    explain: (jobId, now) => run(() => campaign.explain(jobId, now)),
    unfinishedJobs: (options) => run(() => campaign.unfinishedJobs(options)),
    stats: () => run(() => campaign.stats()),
    latestMs: () => run(() => campaign.latestMs),
    on: (type, listener) => campaign.on(type, listener),
    snapshot: () => run(() => campaign.snapshot()),
    close: () => Promise.resolve(),
  };
}
