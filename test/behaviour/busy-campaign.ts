/**
 * A campaign with jobs in every state, for the snapshot tests of the behaviour suite and the engine's
 * tests of `Campaign.restore`.
 */
import type { AsyncCampaign, CampaignOptions } from '../../src/index.js';
import { at, daily, MINUTE_MS } from '../engine/helpers.js';

export const T0 = at('2024-06-03T09:00:00+03:00');
export const min = (n: number) => T0 + n * MINUTE_MS;

export const OPTIONS: CampaignOptions = {
  defaults: {
    gmtZone: 'Europe/Moscow',
    maxAttempts: 3,
    retryIntervalInMinutes: 15,
    allowedTime: daily('09:00', '21:00'),
  },
  leaseTimeoutMs: 20 * MINUTE_MS,
  maxTotalAttempts: 5,
};

/**
 * Fills a campaign opened with {@link OPTIONS} with jobs in every state: waiting, ready, dialing, a
 * pending redial, a cancel awaiting its report (jobs 1 to 8, the last a test phone).
 */
export async function addBusyJobs(campaign: AsyncCampaign): Promise<void> {
  await campaign.addPhones(
    [
      { phone: '+7 495 000-00-01', payload: { name: 'Ada', tags: ['x'] }, dialerPriority: 1 },
      { phone: '74950000002', allowedTime: daily('09:00', '09:40') },
      { phone: '74950000003', dialerPriority: 2, allowedTime: daily('10:00', '12:00') },
      { phone: '74950000004', finishDateTime: '2024-06-03T09:50:00' },
      { phone: '74950000005', gmtZone: 'Asia/Tokyo', allowedDays: ['tue', 'wed'] },
      { phone: '74950000006', payload: 6 },
      { phone: '74950000007', dialerPriority: 7 },
    ],
    { now: min(0) },
  );
  await campaign.next(min(0));
  await campaign.next(min(1));
  await campaign.next(min(2));
  await campaign.fail('1', min(3));
  await campaign.redial('2', { startDateTime: '2024-06-03T09:00:00', maxAttempts: 2 }, min(4));
  await campaign.cancel({ phones: ['74950000004'] }, min(5));
  await campaign.next(min(6));
  await campaign.cancel({ jobIds: [String(6)] }, min(7));
  await campaign.addTestPhone({ phone: '74950000001', payload: 'test' }, { now: min(8) });
}
