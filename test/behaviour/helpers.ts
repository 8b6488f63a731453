/**
 * Helpers of the behaviour suite over `AsyncCampaign`, whichever backend runs it (`backend.ts`). The
 * instants, durations and the event recorder are those of the engine tests.
 */
import { expect } from 'vitest';
import type { AsyncCampaign, DialerError, IssueCode, JobView } from '../../src/index.js';
import { dialerErrorOf } from '../engine/helpers.js';

export {
  at,
  DAY_MS,
  daily,
  EVENT_TYPES,
  HOUR_MS,
  MINUTE_MS,
  record,
  sumOfStates,
} from '../engine/helpers.js';

/** The campaign's whole state as text, to check that a call changed nothing. */
export const stateText = async (campaign: AsyncCampaign): Promise<string> =>
  JSON.stringify(await campaign.snapshot());

/** The DialerError a promise rejects with, failing the test when it resolves or rejects with something else. */
export const rejected = (promise: Promise<unknown>): Promise<DialerError> =>
  promise.then(() => {
    throw new Error('expected a DialerError, but the promise resolved');
  }, dialerErrorOf);

/**
 * Asserts that a call fails with a DialerError whose issues have the given codes (first issue first),
 * and that the campaign's state, its latest instant included, is the same afterwards. Returns the
 * error. A call that throws at once (such as `on`) counts as one that rejects.
 */
export async function rejects(
  campaign: AsyncCampaign,
  call: () => unknown,
  ...codes: IssueCode[]
): Promise<DialerError> {
  const before = await stateText(campaign);
  const latest = await campaign.latestMs();
  const error = await rejected(Promise.resolve().then(call));
  expect(error.issues.length).toBeGreaterThan(0);
  if (codes.length > 0) expect(error.issues.map((issue) => issue.code)).toEqual(codes);
  expect(await stateText(campaign)).toBe(before);
  expect(await campaign.latestMs()).toBe(latest);
  return error;
}

/** The views of the given jobs, asked one after the other. */
export async function jobViews(
  campaign: AsyncCampaign,
  ids: readonly string[],
): Promise<(JobView | undefined)[]> {
  const views: (JobView | undefined)[] = [];
  for (const id of ids) views.push(await campaign.job(id));
  return views;
}

/** The IDs `'1'` to `String(count)`. */
export const idsUpTo = (count: number): string[] => Array.from({ length: count }, (_, k) => String(k + 1));
