import { afterEach, describe, expect, it, vi } from 'vitest';
import { Campaign, type CampaignOptions, type Issue } from '../../src/index.js';
import { at, thrown } from './helpers.js';

// What only the in-memory constructor has: `Date.now` as its clock, and options that are not an object
// (a `PostgresCampaign` takes the options together with its pool and name). The rest of §10's options
// is the behaviour suite's (test/behaviour/options.test.ts), run on every backend.

const T0 = at('2024-06-03T09:00:00Z');

/** The issues `new Campaign(options)` throws. */
const constructionIssues = (options: unknown): readonly Issue[] =>
  thrown(() => new Campaign(options as CampaignOptions)).issues;

describe('option defaults (§10)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads Date.now when no clock is given (§10)', () => {
    vi.spyOn(Date, 'now').mockReturnValue(T0);
    const campaign = new Campaign();
    campaign.addPhones([{ phone: '100' }]);
    expect(campaign.snapshot().latestMs).toBe(T0);
    expect(campaign.next()).toMatchObject({ jobId: '1' });
  });
});

describe('bad options (§10)', () => {
  it.each([5, null, 'options', [1]])(
    'rejects options %j that are not an object with invalid.option (§10)',
    (options) => {
      expect(constructionIssues(options).map((issue) => issue.code)).toEqual(['invalid.option']);
    },
  );
});
