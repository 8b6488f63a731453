import type { AsyncCampaign, CallTask, Campaign } from '../../src/index.js';

/** How a step reports a task: failed or completed, with the next serve in the same call or not. */
export interface ReportKind {
  readonly fail: boolean;
  readonly thenNext: boolean;
  /** `retryIntervalInMinutes` of a failure. */
  readonly retry: number | undefined;
}

/** The report call `kind` names, of `job` at `now`, on either backend: its result (the next task, or none). */
export function reportCall(
  campaign: Campaign | AsyncCampaign,
  job: string | CallTask,
  now: number,
  kind: ReportKind,
): unknown {
  const options = kind.retry === undefined ? undefined : { retryIntervalInMinutes: kind.retry };
  if (kind.thenNext)
    return kind.fail ? campaign.failAndNext(job, now, options) : campaign.completeAndNext(job, now);
  return kind.fail ? campaign.fail(job, now, options) : campaign.complete(job, now);
}
