import { describe, expect, it } from 'vitest';
import { type CallingRule, Campaign, DialerError } from '../../src/index.js';
import { at, DAY_MS, MINUTE_MS } from './helpers.js';

// What is particular to the in-memory engine's `maxAttemptsPer24h`: the memory it keeps (starts bounded
// by the cap, for capped phones only, dropped once they lapse) and the checks of a snapshot's starts.
// The behaviour is the behaviour suite's (test/behaviour/per24h.test.ts), run on every backend.

const T0 = at('2024-06-03T09:00:00Z');
const min = (n: number) => T0 + n * MINUTE_MS;
const clock = () => {
  throw new Error('the test forgot to pass `now`');
};
const cap = (maxAttemptsPer24h: number, appliesTo?: CallingRule['appliesTo']): CallingRule[] => [
  { name: 'per24h', maxAttemptsPer24h, ...(appliesTo === undefined ? {} : { appliesTo }) },
];
type Json = { phones: { phone: string; attempts: number; recentStarts?: number[] }[]; latestMs: number };
const throughJson = (campaign: Campaign) => JSON.parse(JSON.stringify(campaign.snapshot())) as Json;

/** A phone of 2 attempts at min(0) and min(1), capped at 2, whose job is forgotten at once. */
function cappedCampaign(): Campaign {
  const campaign = new Campaign({ clock, rules: cap(2), retentionMs: 0, dedupWindowMs: 0 });
  campaign.addPhones([{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 1 }], { now: T0 });
  campaign.next(min(0));
  campaign.fail('1', min(0));
  campaign.next(min(1));
  campaign.complete('1', min(1));
  return campaign;
}

describe('maxAttemptsPer24h in memory (§12)', () => {
  it('keeps no more starts than the cap (§12)', () => {
    const campaign = new Campaign({ clock, rules: cap(2) });
    campaign.addPhones([{ phone: '100', maxAttempts: 5, retryIntervalInMinutes: 1 }], { now: T0 });
    for (let day = 0; day < 4; day++) {
      campaign.next(T0 + day * DAY_MS);
      campaign.fail('1', T0 + day * DAY_MS);
    }
    // The starts of day 0 and 1 are gone; of day 2 and 3, the one of day 3 still counts.
    expect(throughJson(campaign).phones).toEqual([
      { phone: '100', attempts: 4, recentStarts: [T0 + 3 * DAY_MS] },
    ]);
  });

  it('keeps starts only for the phones a rule caps (§12)', () => {
    const campaign = new Campaign({ clock, rules: cap(1, { countries: ['DE'] }) });
    campaign.addPhones([{ phone: '4930000002' }, { phone: '79000000003' }], { now: T0 });
    campaign.next(min(0));
    campaign.next(min(0));
    expect(throughJson(campaign).phones).toEqual([
      { phone: '4930000002', attempts: 1, recentStarts: [min(0)] },
      { phone: '79000000003', attempts: 1 },
    ]);
  });

  it("reads a reused phone row's cap for its new number, added by addPhones or as a test phone (§12)", () => {
    // An uncapped phone's row is freed with its last job and reused by the next new phone.
    for (const add of ['addPhones', 'addTestPhone'] as const) {
      const campaign = new Campaign({
        clock,
        rules: cap(1, { countries: ['DE'] }),
        retentionMs: 0,
        dedupWindowMs: 0,
      });
      campaign.addPhones([{ phone: '79000000003' }], { now: T0 });
      campaign.complete(campaign.next(min(0))!, min(0));
      campaign.nextReadyAt(min(1));
      expect(throughJson(campaign).phones).toEqual([]);
      const entry = { phone: '4930000002', maxAttempts: 3, retryIntervalInMinutes: 1 };
      if (add === 'addPhones') campaign.addPhones([entry], { now: min(1) });
      else campaign.addTestPhone(entry, { now: min(1) });
      expect(campaign.next(min(1))).toMatchObject({ phone: '4930000002', attempt: 1 });
      campaign.fail('2', min(1));
      // The German number's cap of one holds its retry until a day after its start.
      expect(campaign.next(min(5)), add).toBeUndefined();
      expect(campaign.nextReadyAt(min(5))).toBe(min(1) + DAY_MS);
    }
  });

  it('drops a phone without jobs once its starts lapse (§12)', () => {
    const campaign = cappedCampaign();
    campaign.nextReadyAt(min(2));
    expect(throughJson(campaign).phones).toEqual([
      { phone: '100', attempts: 0, recentStarts: [min(0), min(1)] },
    ]);
    // 24 hours after the last start, nothing of the phone is left.
    campaign.nextReadyAt(min(1) + DAY_MS);
    expect(throughJson(campaign).phones).toEqual([]);
  });

  it('keeps the snapshot of a campaign without rules as it was (§9)', () => {
    const campaign = new Campaign({ clock });
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    campaign.next(min(0));
    expect(throughJson(campaign).phones).toEqual([{ phone: '100', attempts: 1 }]);
  });

  it('drops the starts on restore without the rule, and counts them again with it (§12, §9)', () => {
    const campaign = cappedCampaign();
    campaign.nextReadyAt(min(2));
    const snapshot = throughJson(campaign);
    // The snapshot carries the rule: `rules: []` given to restore overrides it.
    const without = Campaign.restore(snapshot, { clock, rules: [] });
    without.addPhones([{ phone: '100' }], { now: min(3) });
    expect(without.next(min(3))).toMatchObject({ phone: '100' });
    expect(throughJson(without).phones).toEqual([{ phone: '100', attempts: 1 }]);
    const withCap = Campaign.restore(snapshot, { clock });
    withCap.addPhones([{ phone: '100' }], { now: min(3) });
    expect(withCap.next(min(3))).toBeUndefined();
    expect(withCap.nextReadyAt(min(3))).toBe(min(0) + DAY_MS);
  });
});

describe('restore: bad recentStarts (§9, §12)', () => {
  const restoreWith = (edit: (s: Json) => void): DialerError => {
    const snapshot = throughJson(cappedCampaign());
    edit(snapshot);
    try {
      Campaign.restore(snapshot, { clock, rules: cap(2) });
    } catch (error) {
      if (error instanceof DialerError) return error;
      throw error;
    }
    throw new Error('expected restore to throw');
  };
  const first = (s: Json) => s.phones[0]!;

  it.each([
    ['a start after the latest instant', (s: Json) => first(s).recentStarts!.push(s.latestMs + 1)],
    ['starts out of order', (s: Json) => first(s).recentStarts!.reverse()],
    ['a start that is not an instant', (s: Json) => first(s).recentStarts!.push(Number.NaN)],
    ['a start that is text', (s: Json) => Object.assign(first(s), { recentStarts: ['0'] })],
    ['starts that are not a list', (s: Json) => Object.assign(first(s), { recentStarts: 5 })],
    ['more starts than any cap keeps', (s: Json) => (first(s).recentStarts = new Array(1001).fill(min(0)))],
  ])('rejects %s with invalid.snapshot (§9)', (_what, edit) => {
    const error = restoreWith(edit);
    expect(error.issues.map((issue) => issue.code)).toEqual(['invalid.snapshot']);
    expect(error.issues[0]!.path).toEqual(['snapshot', 'phones', 0, 'recentStarts']);
  });

  it('quotes the bad start and says what is expected (§2)', () => {
    const error = restoreWith((s) => first(s).recentStarts!.push(s.latestMs + 1));
    expect(error.issues[0]!.message).toBe(
      `start ${min(1) + 1} is not valid: expected epoch ms, oldest first, none after the latest instant.`,
    );
  });
});

describe('maxAttemptsPer24h in memory: a phone kept for its starts (§12)', () => {
  it('removes it once when its jobs ran out twice before its starts lapse (§12)', () => {
    const campaign = cappedCampaign();
    campaign.nextReadyAt(min(2));
    // A job added and cancelled: the phone runs out of jobs a second time, with the same starts.
    campaign.addPhones([{ phone: '100', payload: 2 }], { now: min(3) });
    campaign.cancel({ phones: ['100'] }, min(3));
    campaign.nextReadyAt(min(4));
    campaign.nextReadyAt(min(1) + DAY_MS);
    expect(throughJson(campaign).phones).toEqual([]);
    // The table is whole: new phones come and go as before.
    campaign.addPhones([{ phone: '100', payload: 3 }, { phone: '300' }], { now: min(1) + DAY_MS });
    expect(campaign.next(min(1) + DAY_MS)).toMatchObject({ phone: '100' });
    expect(campaign.next(min(1) + DAY_MS)).toMatchObject({ phone: '300' });
  });
});
