import { describe, expect, it } from 'vitest';
import { nextCallWindow } from '../../src/index.js';
import { openCampaign, restoreCampaign } from './backend.js';
import { at, DAY_MS, daily, MINUTE_MS, record, rejected, rejects } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');
const MAX = 8.64e15;

describe('time (the contract intro, §2)', () => {
  it.each([1e25, MAX + 1, -MAX - 1, 2e24, Number.MAX_VALUE])(
    'rejects now %d beyond the range of Date with invalid.option, changing nothing',
    async (now) => {
      const campaign = await openCampaign();
      await campaign.addPhones([{ phone: '100' }], { now: T0 });
      await rejects(campaign, () => campaign.next(now), 'invalid.option');
      await rejects(campaign, () => campaign.nextReadyAt(now), 'invalid.option');
      await rejects(campaign, () => campaign.addPhones([{ phone: '200' }], { now }), 'invalid.option');
    },
  );

  it('accepts the very end of the range', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(await campaign.next(MAX)).toMatchObject({ jobId: '1' });
    expect(await campaign.latestMs()).toBe(MAX);
  });

  it.each(['leaseTimeoutMs', 'dedupWindowMs'])('rejects a %s of 1e300 with invalid.option', async (name) => {
    expect((await rejected(openCampaign({ [name]: 1e300 }))).issues[0]?.code).toBe('invalid.option');
  });

  it('rejects a snapshot whose latest instant lies beyond the range with invalid.snapshot', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    const snapshot = { ...(await campaign.snapshot()), latestMs: 1e25 };
    expect((await rejected(restoreCampaign(snapshot))).issues[0]?.code).toBe('invalid.snapshot');
  });

  it('reports on a lease whose deadline lies beyond the range of Date without a RangeError', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: MAX });
    await campaign.addPhones([{ phone: '100', maxAttempts: 2 }], { now: MAX - 10 });
    const task = (await campaign.next(MAX - 10))!;
    await campaign.fail(task, MAX);
    // The retry would start after the end of time: no window is left.
    expect(await campaign.job('1')).toMatchObject({ state: 'expired', attempts: 1 });
    expect((await rejected(campaign.fail(task, MAX))).issues[0]?.code).toBe('invalid.call.task.state');
  });

  it('jumps a job far behind straight to its window at the new instant (ten years ahead)', async () => {
    const policy = { gmtZone: 'America/New_York', allowedTime: daily('09:00', '17:00') };
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100', ...policy }], { now: T0 });
    const later = T0 + 3652 * DAY_MS + 7 * 3_600_000;
    await campaign.nextReadyAt(later);
    const window = nextCallWindow(policy, later)!;
    // Allowed at `later` (2034-06-03 12:00 EDT), so its window began at 09:00 EDT that day.
    expect(window.start).toBe(later);
    expect(await campaign.job('1')).toMatchObject({
      state: 'ready',
      nextAttemptAt: at('2034-06-03T13:00:00Z'),
    });
    expect(await campaign.next(later)).toMatchObject({ jobId: '1', windowEnd: window.end });
  });

  it('expires a job whose last window passed during a jump at that window end, in time order', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: 'Z' } });
    const events = record(campaign, ['expired']);
    await campaign.addPhones(
      [
        { phone: '100', allowedTime: daily('09:00', '10:00'), finishDateTime: '2024-06-20T09:30:00Z' },
        { phone: '200', allowedTime: daily('09:00', '10:00'), finishDateTime: '2024-06-05T12:00:00Z' },
      ],
      { now: T0 },
    );
    await campaign.nextReadyAt(T0 + 60 * DAY_MS);
    expect(events.map((e) => [e.jobId, new Date(e.atMs).toISOString()])).toEqual([
      ['2', '2024-06-05T10:00:00.000Z'],
      ['1', '2024-06-20T09:30:00.000Z'],
    ]);
  });

  it('survives a now in microseconds by mistake: the jobs jump to the far future at once', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      Array.from({ length: 10 }, (_, k) => ({
        phone: String(100 + k),
        allowedTime: daily('09:00', '10:00'),
      })),
      { now: T0 },
    );
    const micros = T0 * 1000;
    await campaign.nextReadyAt(micros);
    expect(await campaign.latestMs()).toBe(micros);
    expect((await campaign.stats()).waiting + (await campaign.stats()).ready).toBe(10);
  });
});

describe('inputs read once, options copied (§10)', () => {
  it('copies the defaults at construction: changing the object afterwards changes nothing', async () => {
    const defaults = { gmtZone: 'America/New_York', maxAttempts: 2 };
    const campaign = await openCampaign({ defaults });
    defaults.gmtZone = 'Asia/Tokyo';
    defaults.maxAttempts = 9;
    expect((await campaign.snapshot()).options.defaults).toEqual({
      gmtZone: 'America/New_York',
      maxAttempts: 2,
    });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(await campaign.job('1')).toMatchObject({ gmtZone: 'America/New_York', maxAttempts: 2 });
    const restored = await restoreCampaign(JSON.parse(JSON.stringify(await campaign.snapshot())));
    await restored.addPhones([{ phone: '200' }], { now: T0 });
    expect(await restored.job('2')).toMatchObject({ gmtZone: 'America/New_York' });
  });

  it('reads a cancel selection through its getters once', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    let reads = 0;
    const selection = {
      get jobIds() {
        reads++;
        return reads === 1 ? ['1'] : [{ not: 'a string' }];
      },
    };
    expect(await campaign.cancel(selection as never, T0 + MINUTE_MS)).toEqual(['1']);
    expect(reads).toBe(1);
  });
});
