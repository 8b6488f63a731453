import { describe, expect, it } from 'vitest';
import { Campaign } from '../../src/index.js';
import { at, campaignOf, DAY_MS, HOUR_MS, MINUTE_MS } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');

describe('retention of finished jobs (§10)', () => {
  it('forgets a finished job retentionMs after it ended: job() is undefined and stats no longer count it', () => {
    const campaign = campaignOf({ retentionMs: 2 * DAY_MS });
    campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    campaign.complete(campaign.next(T0)!, T0 + MINUTE_MS);
    campaign.nextReadyAt(T0 + MINUTE_MS + 2 * DAY_MS - 1);
    expect(campaign.job('1')).toMatchObject({ state: 'completed' });
    campaign.nextReadyAt(T0 + MINUTE_MS + 2 * DAY_MS);
    expect(campaign.job('1')).toBeUndefined();
    expect(campaign.job('2')).toMatchObject({ state: 'ready' });
    expect(campaign.stats()).toMatchObject({ completed: 0, ready: 1, total: 1 });
    expect(campaign.snapshot().jobs.number).toEqual([1]);
  });

  it('keeps handing out increasing job IDs after jobs are forgotten', () => {
    const campaign = campaignOf({ retentionMs: 0, dedupWindowMs: 0 });
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    campaign.complete(campaign.next(T0)!, T0);
    expect(campaign.addPhones([{ phone: '100' }], { now: T0 + 1 }).jobIds).toEqual(['2']);
    expect(campaign.job('1')).toBeUndefined();
    expect(campaign.stats().total).toBe(1);
  });

  it('keeps a finished job for the duplicate check until dedupWindowMs after its add (§8)', () => {
    const campaign = campaignOf({ retentionMs: 0 });
    campaign.addPhones([{ phone: '100', payload: { a: 1 } }], { now: T0 });
    campaign.complete(campaign.next(T0)!, T0 + MINUTE_MS);
    const again = campaign.addPhones([{ phone: '100', payload: { a: 1 } }], { now: T0 + 23 * HOUR_MS });
    expect(again).toMatchObject({ jobIds: ['1'], duplicates: [0] });
    const later = campaign.addPhones([{ phone: '100', payload: { a: 1 } }], { now: T0 + DAY_MS });
    expect(later).toMatchObject({ jobIds: ['2'], duplicates: [] });
    expect(campaign.job('1')).toBeUndefined();
  });

  it('forgets a phone with its jobs: its attempts no longer count for maxTotalAttempts (§6)', () => {
    const campaign = campaignOf({ retentionMs: HOUR_MS, dedupWindowMs: 0, maxTotalAttempts: 1 });
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    campaign.fail(campaign.next(T0)!, T0 + MINUTE_MS);
    campaign.addPhones([{ phone: '100', payload: 'at the cap' }], { now: T0 + 2 * MINUTE_MS });
    expect(campaign.job('2')).toMatchObject({ state: 'exhausted' });
    campaign.addPhones([{ phone: '100', payload: 'later' }], { now: T0 + 3 * HOUR_MS });
    expect(campaign.job('3')).toMatchObject({ state: 'ready' });
  });

  it('keeps what it retains across a restore, and forgets on schedule afterwards (§9)', () => {
    const campaign = campaignOf({ retentionMs: DAY_MS });
    campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    campaign.complete(campaign.next(T0)!, T0 + MINUTE_MS);
    const restored = Campaign.restore(JSON.parse(JSON.stringify(campaign.snapshot())));
    expect(restored.job('1')).toMatchObject({ state: 'completed' });
    restored.nextReadyAt(T0 + MINUTE_MS + DAY_MS);
    expect(restored.job('1')).toBeUndefined();
    expect(restored.stats().total).toBe(1);
  });

  it('rejects a retentionMs that is not a duration with invalid.option', () => {
    for (const retentionMs of [-1, Number.NaN, 1e300, '1']) {
      expect(() => new Campaign({ retentionMs: retentionMs as number })).toThrow(/retentionMs/);
    }
  });
});
