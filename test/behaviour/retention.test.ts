import { describe, expect, it } from 'vitest';
import { openCampaign, restoreCampaign } from './backend.js';
import { at, DAY_MS, HOUR_MS, MINUTE_MS } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');

describe('retention of finished jobs (§10)', () => {
  it('forgets a finished job retentionMs after it ended: job() is undefined and stats no longer count it', async () => {
    const campaign = await openCampaign({ retentionMs: 2 * DAY_MS });
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    await campaign.complete((await campaign.next(T0))!, T0 + MINUTE_MS);
    await campaign.nextReadyAt(T0 + MINUTE_MS + 2 * DAY_MS - 1);
    expect(await campaign.job('1')).toMatchObject({ state: 'completed' });
    await campaign.nextReadyAt(T0 + MINUTE_MS + 2 * DAY_MS);
    expect(await campaign.job('1')).toBeUndefined();
    expect(await campaign.job('2')).toMatchObject({ state: 'ready' });
    expect(await campaign.stats()).toMatchObject({ completed: 0, ready: 1, total: 1 });
    expect((await campaign.snapshot()).jobs.number).toEqual([1]);
  });

  it('keeps handing out increasing job IDs after jobs are forgotten', async () => {
    const campaign = await openCampaign({ retentionMs: 0, dedupWindowMs: 0 });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.complete((await campaign.next(T0))!, T0);
    expect((await campaign.addPhones([{ phone: '100' }], { now: T0 + 1 })).jobIds).toEqual(['2']);
    expect(await campaign.job('1')).toBeUndefined();
    expect((await campaign.stats()).total).toBe(1);
  });

  it('keeps a finished job for the duplicate check until dedupWindowMs after its add (§8)', async () => {
    const campaign = await openCampaign({ retentionMs: 0 });
    await campaign.addPhones([{ phone: '100', payload: { a: 1 } }], { now: T0 });
    await campaign.complete((await campaign.next(T0))!, T0 + MINUTE_MS);
    const again = await campaign.addPhones([{ phone: '100', payload: { a: 1 } }], { now: T0 + 23 * HOUR_MS });
    expect(again).toMatchObject({ jobIds: ['1'], duplicates: [0] });
    const later = await campaign.addPhones([{ phone: '100', payload: { a: 1 } }], { now: T0 + DAY_MS });
    expect(later).toMatchObject({ jobIds: ['2'], duplicates: [] });
    expect(await campaign.job('1')).toBeUndefined();
  });

  it('forgets a phone with its jobs: its attempts no longer count for maxTotalAttempts (§6)', async () => {
    const campaign = await openCampaign({ retentionMs: HOUR_MS, dedupWindowMs: 0, maxTotalAttempts: 1 });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.fail((await campaign.next(T0))!, T0 + MINUTE_MS);
    await campaign.addPhones([{ phone: '100', payload: 'at the cap' }], { now: T0 + 2 * MINUTE_MS });
    expect(await campaign.job('2')).toMatchObject({ state: 'exhausted' });
    await campaign.addPhones([{ phone: '100', payload: 'later' }], { now: T0 + 3 * HOUR_MS });
    expect(await campaign.job('3')).toMatchObject({ state: 'ready' });
  });

  it('keeps what it retains across a restore, and forgets on schedule afterwards (§9)', async () => {
    const campaign = await openCampaign({ retentionMs: DAY_MS });
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    await campaign.complete((await campaign.next(T0))!, T0 + MINUTE_MS);
    const restored = await restoreCampaign(JSON.parse(JSON.stringify(await campaign.snapshot())));
    expect(await restored.job('1')).toMatchObject({ state: 'completed' });
    await restored.nextReadyAt(T0 + MINUTE_MS + DAY_MS);
    expect(await restored.job('1')).toBeUndefined();
    expect((await restored.stats()).total).toBe(1);
  });

  it('rejects a retentionMs that is not a duration with invalid.option', async () => {
    for (const retentionMs of [-1, Number.NaN, 1e300, '1']) {
      await expect(openCampaign({ retentionMs: retentionMs as number })).rejects.toThrow(/retentionMs/);
    }
  });
});
