import { type BlockReason, explainWithLayers, type PolicyReasonCode } from '../policy/explain-call.js';
import {
  formatInstant,
  type PolicyLayer,
  scheduleLayer,
  zonedPolicyLayers,
} from '../policy/explain-layers.js';
import type { PhoneRuleSet } from '../policy/phone-rules.js';
import { policyOfOriginKey } from '../policy/policy-key.js';
import type { PolicyFields } from '../policy/types.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { LruCache } from '../schedule/lru-cache.js';
import type { JobState } from './job-state.js';
import { DIALING, EXHAUSTED, isFinalCode, PENDING } from './job-state.js';

/** Why a campaign's job is not served now: a layer of its policy, or one of the engine's own. */
export type JobReasonCode =
  | PolicyReasonCode
  | 'retry.pause'
  | 'phone.busy'
  | 'max.attempts.per.24h'
  | 'campaign.paused'
  | 'job.dialing'
  | 'max.attempts'
  | 'max.total.attempts'
  | 'final.state';

/** What a campaign's `explain(jobId, now?)` tells of a job (spec section 12, "Explain"). */
export interface JobExplanation {
  readonly jobId: string;
  /** As `job(jobId).state`. */
  readonly state: JobState;
  /** Whether `next` could serve the job now (it is ready, its phone is free, the campaign is not paused). */
  readonly callable: boolean;
  /** As `job(jobId).nextAttemptAt`: when the job becomes (or became) ready for its next attempt, or `null`. */
  readonly nextAttemptAt: number | null;
  /**
   * Every layer that keeps `next` from serving the job now, empty exactly when `callable`: the engine's
   * (`state`, `attempts`, `paused`, `phone`, `retry`) first, then the policy's as `explainCall` gives
   * them (`entry`, `defaults`, `rule:<name>`), for the job's own fields and the rules that apply to its phone.
   */
  readonly reasons: readonly BlockReason<JobReasonCode>[];
}

/** What the explanation of one job reads, from either backend. */
export interface JobFacts {
  readonly jobId: string;
  /** Internal state code (job-state.ts). */
  readonly code: number;
  /** The public state, as `job()` shows it. */
  readonly state: JobState;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly readyAtMs: number;
  readonly leaseUntilMs: number;
  readonly schedule: CallSchedule;
  /** The job's policy layers ({@link jobLayers}). */
  readonly layers: readonly PolicyLayer[];
  readonly paused: boolean;
  /** The attempt holding the job's phone when it is another job's (for a held redial, its parent's). */
  readonly phoneHeldBy: { readonly jobId: string; readonly leaseUntilMs: number } | undefined;
  /** The phone's `maxAttemptsPer24h` while it holds the phone: the rule, its cap, when it frees the phone, and the job's `nextAttemptAt` then. */
  readonly capHold: CapHold | undefined;
}

/** A phone held by its 24-hour cap (spec section 12), as `explain` reports it. */
export interface CapHold {
  /** The rule whose `maxAttemptsPer24h` holds the phone (the first with the smallest cap). */
  readonly ruleName: string;
  readonly cap: number;
  /** When the cap lets an attempt start again. */
  readonly untilMs: number;
  /** As `job(jobId).nextAttemptAt` meanwhile. */
  readonly nextAttemptAt: number | null;
}

/** The explanation of a job at the campaign's instant `t` (time already advanced to it). */
export function explainJob(facts: JobFacts, t: number): JobExplanation {
  const { jobId, code, state, schedule } = facts;
  const reasons: BlockReason<JobReasonCode>[] = [];
  const at = (ms: number) => formatInstant(schedule.zone, ms);
  const base = { jobId, state };
  if (isFinalCode(code)) {
    reasons.push({
      code: 'final.state',
      layer: 'state',
      message: `job ${jobId} is ${state}: a final job is never served again.`,
      untilMs: null,
    });
    if (code === EXHAUSTED) {
      const used = facts.attempts >= facts.maxAttempts;
      reasons.push({
        code: used ? 'max.attempts' : 'max.total.attempts',
        layer: 'attempts',
        message: used
          ? `job ${jobId} has made all ${facts.maxAttempts} attempts of its series (maxAttempts).`
          : `the phone of job ${jobId} has reached the campaign's maxTotalAttempts.`,
        untilMs: null,
      });
    }
    return { ...base, callable: false, nextAttemptAt: null, reasons };
  }
  if (code === DIALING) {
    reasons.push({
      code: 'job.dialing',
      layer: 'state',
      message: `job ${jobId} is being dialed (attempt ${facts.attempts}); the attempt ends at its report, or when its lease expires at ${at(facts.leaseUntilMs)}.`,
      untilMs: facts.leaseUntilMs,
    });
  }
  if (facts.paused) {
    reasons.push({
      code: 'campaign.paused',
      layer: 'paused',
      message: 'the campaign is paused: nothing is served until resume().',
      untilMs: null,
    });
  }
  const held = facts.phoneHeldBy;
  if (held !== undefined) {
    const whose = code === PENDING ? `the attempt it redials, of job ${held.jobId}` : `job ${held.jobId}`;
    reasons.push({
      code: 'phone.busy',
      layer: 'phone',
      message: `its phone is being dialed by ${whose} (one line per phone); that attempt ends at its report, or when its lease expires at ${at(held.leaseUntilMs)}.`,
      untilMs: held.leaseUntilMs,
    });
  }
  const cap = facts.capHold;
  if (cap !== undefined) {
    reasons.push({
      code: 'max.attempts.per.24h',
      layer: `rule:${cap.ruleName}`,
      message: `its phone has had ${cap.cap} attempt start${cap.cap === 1 ? '' : 's'} in the 24 hours before (maxAttemptsPer24h of rule ${cap.ruleName}); the next may start at ${at(cap.untilMs)}.`,
      untilMs: cap.untilMs,
    });
  }
  if (code === DIALING || code === PENDING) return { ...base, callable: false, nextAttemptAt: null, reasons };
  // A retry whose ready instant lies beyond what the policy alone would allow: the pause still runs.
  const policy = explainWithLayers(schedule, facts.layers, t);
  if (facts.attempts > 0 && facts.readyAtMs > t && facts.readyAtMs > (policy.nextAttemptAt ?? Infinity)) {
    reasons.push({
      code: 'retry.pause',
      layer: 'retry',
      message: `job ${jobId} waits out its pause after attempt ${facts.attempts} (retryIntervalInMinutes); its next attempt is ready at ${at(facts.readyAtMs)}.`,
      untilMs: facts.readyAtMs,
    });
  }
  reasons.push(...policy.reasons);
  const nextAttemptAt = cap === undefined ? facts.readyAtMs : cap.nextAttemptAt;
  return { ...base, callable: reasons.length === 0, nextAttemptAt, reasons };
}

/** Layers by rule set, zone and origin key, per campaign. */
export type JobLayerCache = LruCache<string, readonly PolicyLayer[]>;

/** A campaign's cache of job layers: a few hundred distinct policies. */
export function newJobLayerCache(): JobLayerCache {
  return new LruCache(256);
}

/**
 * The policy layers of a job: those of the own fields its origin key holds (`originKey`) over the
 * campaign defaults, read in the job's zone, with the rules that apply to its phone; the schedule as
 * one layer when the key is unknown (a job restored from a snapshot that does not hold it).
 */
export function jobLayers(
  key: string | undefined,
  schedule: CallSchedule,
  defaults: PolicyFields,
  rules: PhoneRuleSet,
  cache: JobLayerCache,
): readonly PolicyLayer[] {
  const origin = key === undefined ? undefined : policyOfOriginKey(key);
  if (origin === undefined) return [scheduleLayer(schedule)];
  const cacheKey = `${rules.key}|${schedule.zoneKey}|${key}`;
  let layers = cache.get(cacheKey);
  if (layers === undefined) {
    // Every zone of the schedule: several for a number whose area spans zones.
    layers = zonedPolicyLayers(origin.policy, defaults, schedule.zoneIds, {
      rules: rules.compiled,
      ownName: origin.origin === 'redial' ? 'the redial' : 'the entry',
    });
    cache.set(cacheKey, layers);
  }
  return layers;
}
