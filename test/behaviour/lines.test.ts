import { describe, expect, it } from 'vitest';
import { openCampaign } from './backend.js';
import { at, daily, HOUR_MS, MINUTE_MS, record } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');
const min = (n: number) => T0 + n * MINUTE_MS;

describe('one line per phone (§5)', () => {
  it('does not serve a second job of a phone while the first is being dialed', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [
        { phone: '100', payload: 'first' },
        { phone: '100', payload: 'second', dialerPriority: 1 },
        { phone: '200' },
      ],
      { now: T0 },
    );
    expect(await campaign.next(min(0))).toMatchObject({ jobId: '2', phone: '100' });
    // Job 1 is ready on its own, but its phone is on a line: job 3 comes first.
    expect(await campaign.next(min(0))).toMatchObject({ jobId: '3', phone: '200' });
    expect(await campaign.next(min(0))).toBeUndefined();
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', nextAttemptAt: T0 });
    expect(await campaign.stats()).toMatchObject({ waiting: 1, ready: 0, dialing: 2 });
  });

  it('serves the held job when the attempt ends, with its order keys kept', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }, { phone: '300' }], { now: T0 });
    await campaign.next(min(0)); // job 1
    await campaign.next(min(1)); // job 3 (job 2's phone is busy)
    await campaign.addPhones([{ phone: '400' }], { now: min(2) });
    await campaign.complete('1', min(5));
    expect(await campaign.job('2')).toMatchObject({ state: 'ready', nextAttemptAt: T0 });
    // Job 2 became ready at T0, before job 4 (added at min(2)): it still comes first.
    expect(await campaign.next(min(5))).toMatchObject({ jobId: '2' });
    expect(await campaign.next(min(5))).toMatchObject({ jobId: '4' });
  });

  it('counts the lease deadline in nextReadyAt: a held job may go on when the lease expires', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 20 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }], { now: T0 });
    await campaign.next(min(0));
    expect(await campaign.nextReadyAt(min(1))).toBe(min(20));
    expect(await campaign.next(min(20))).toMatchObject({ jobId: '2', attempt: 1 });
  });

  it('releases a held job only inside its window: past it, the job waits for its next window', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 2 * HOUR_MS });
    await campaign.addPhones(
      [
        { phone: '100', dialerPriority: 1 },
        { phone: '100', allowedTime: daily('09:00', '10:00') },
      ],
      { now: T0 },
    );
    await campaign.next(min(0));
    // The lease expires at 11:00, after job 2's window: its next window is tomorrow 09:00.
    expect(await campaign.nextReadyAt(min(1))).toBe(at('2024-06-04T09:00:00Z'));
    await campaign.fail('1', min(90));
    expect(await campaign.job('2')).toMatchObject({
      state: 'waiting',
      nextAttemptAt: at('2024-06-04T09:00:00Z'),
    });
  });

  it('lets a retry of the same job and a redial wait for the line like any other job', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['dialing']);
    await campaign.addPhones(
      [{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 1 }, { phone: '100' }],
      {
        now: T0,
      },
    );
    await campaign.next(min(0));
    await campaign.fail('1', min(1));
    await campaign.next(min(2)); // job 2 (job 1 retries from min(2), behind it)
    expect(await campaign.next(min(3))).toBeUndefined();
    await campaign.complete('2', min(4));
    expect(await campaign.next(min(4))).toMatchObject({ jobId: '1', attempt: 2 });
    expect(events.map((e) => e.jobId)).toEqual(['1', '2', '1']);
  });
});
