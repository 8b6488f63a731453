/**
 * What the listener tests share: the options, a campaign dialing one job, and the calls that follow a
 * scenario. The behaviour suite's throwing listeners use them, and so do the engine's listeners that
 * call back into an in-memory campaign.
 */
import type { AsyncCampaign, CampaignOptions } from '../../src/index.js';
import { at, daily, MINUTE_MS } from '../engine/helpers.js';

export const T0 = at('2024-06-03T09:00:00Z'); // a Monday
export const min = (n: number) => T0 + n * MINUTE_MS;

export const BASE: CampaignOptions = {
  defaults: {
    gmtZone: 'Z',
    maxAttempts: 2,
    retryIntervalInMinutes: 10,
    allowedTime: daily('09:00', '17:00'),
  },
  leaseTimeoutMs: 30 * MINUTE_MS,
};
export const CAPPED: CampaignOptions = { ...BASE, maxTotalAttempts: 1 };

/** A campaign with phone 100 (job 1) being dialed since 09:00. */
export const dialingOne = async (c: AsyncCampaign) => {
  await c.addPhones([{ phone: '100' }], { now: min(0) });
  await c.next(min(0));
};

/** What follows the call: the campaign goes on the same way. */
export async function goOn(c: AsyncCampaign): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let k = 0; k < 40; k++) {
    const t = min(60 + k * 17);
    out.push(await c.nextReadyAt(t));
    const task = await c.next(t);
    out.push(task);
    if (task !== undefined) {
      if (k % 3 === 0) await c.fail(task, t + MINUTE_MS);
      else if (k % 3 === 1) await c.complete(task, t + MINUTE_MS);
    }
    out.push(await c.stats());
  }
  out.push(JSON.stringify(await c.snapshot()));
  return out;
}
