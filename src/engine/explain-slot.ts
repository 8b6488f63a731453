import { jobIdOf } from './call-args.js';
import type { CampaignCore } from './campaign-core.js';
import { explainJob, type JobExplanation, type JobLayerCache, jobLayers } from './explain-job.js';
import { PENDING } from './job-state.js';

/** The explanation of the in-memory job in `slot` at `t` (time already advanced to it). */
export function explainSlot(
  core: CampaignCore,
  slot: number,
  t: number,
  cache: JobLayerCache,
): JobExplanation {
  const { jobs, phones, options } = core;
  const code = jobs.state[slot]!;
  const phone = jobs.phone[slot]!;
  const schedule = core.schedules.get(jobs.schedule[slot]!);
  // A held redial waits for its parent's attempt; any other job for another job dialing its phone.
  const holder = code === PENDING ? jobs.slotOf(jobs.redialOf[slot]!) : phones.dialing[phone]!;
  const originId = jobs.origin[slot]!;
  const policyKey = jobs.policyKey[slot]!;
  const key =
    originId >= 0
      ? core.origins.get(originId)
      : policyKey >= 0
        ? core.duplicates.policyKeys.get(policyKey)
        : undefined;
  const digits = phones.digitsOf(phone);
  const ruleSet = options.rules.forPhone(digits);
  const freeAt = core.caps.enabled ? core.caps.freeAtMs(phone) : Number.NEGATIVE_INFINITY;
  const capHold =
    freeAt > t && ruleSet.maxAttemptsPer24h !== undefined
      ? {
          ruleName: ruleSet.capRuleName!,
          cap: ruleSet.maxAttemptsPer24h,
          untilMs: freeAt,
          nextAttemptAt: core.nextAttemptAtOf(slot),
        }
      : undefined;
  return explainJob(
    {
      jobId: jobIdOf(jobs.number[slot]!),
      code,
      state: core.stateOf(slot),
      attempts: jobs.attempts[slot]!,
      maxAttempts: jobs.maxAttempts[slot]!,
      readyAtMs: jobs.readyAtMs[slot]!,
      leaseUntilMs: jobs.leaseUntilMs[slot]!,
      schedule,
      layers: jobLayers(key, schedule, options.defaults, ruleSet, cache),
      paused: core.paused,
      phoneHeldBy:
        holder >= 0 && holder !== slot
          ? { jobId: jobIdOf(jobs.number[holder]!), leaseUntilMs: jobs.leaseUntilMs[holder]! }
          : undefined,
      capHold,
    },
    t,
  );
}
