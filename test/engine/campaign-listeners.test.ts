import { describe, expect, it } from 'vitest';
import {
  type AsyncCampaign,
  asyncCampaign,
  Campaign,
  type CampaignEvent,
  type CampaignEventType,
  type CampaignOptions,
} from '../../src/index.js';
import { BASE, CAPPED, dialingOne, goOn, min, T0 } from '../behaviour/listener-fixtures.js';
import { campaignOf, record, sumOfStates } from './helpers.js';

// Listeners of the in-memory campaign run inside the call that caused the change: they see the state
// mid-call and may call back into the campaign synchronously. The rest of §9's events is the behaviour
// suite's (test/behaviour/events.test.ts, listeners.test.ts), run on every backend.

describe('events (§9)', () => {
  it('calls listeners synchronously, during the call that caused the change (§9)', () => {
    const campaign = campaignOf();
    const seen: string[] = [];
    campaign.on('dialing', (event) => seen.push(`${event.jobId}:${campaign.job(event.jobId)?.state}`));
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    campaign.next(T0);
    expect(seen).toEqual(['1:dialing']);
  });
});

/** One nesting: a listener of `type` makes `nested` (once), a later call into the same campaign. */
interface Nesting {
  readonly type: CampaignEventType;
  readonly options?: CampaignOptions;
  readonly setup: (c: AsyncCampaign) => Promise<unknown>;
  readonly outer: (c: Campaign) => unknown;
  readonly nested: (c: Campaign) => unknown;
  readonly laterMs: number;
}

const NESTINGS: readonly [string, Nesting][] = [
  [
    'next(later) from a dialing listener',
    {
      type: 'dialing',
      setup: (c) =>
        c.addPhones([{ phone: '100' }, { phone: '200', finishDateTime: '2024-06-03T09:20:00Z' }], {
          now: min(0),
        }),
      outer: (c) => c.next(min(0)),
      nested: (c) => c.next(min(45)),
      laterMs: min(45),
    },
  ],
  [
    'next(later) from a dialing listener, with other jobs exhausted after the dialing event',
    {
      type: 'dialing',
      options: CAPPED,
      setup: (c) =>
        c.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }, { phone: '200' }], { now: min(0) }),
      outer: (c) => c.next(min(0)),
      nested: (c) => c.next(min(45)),
      laterMs: min(45),
    },
  ],
  [
    'complete(later) from a dialing listener',
    {
      type: 'dialing',
      setup: (c) => c.addPhones([{ phone: '100' }], { now: min(0) }),
      outer: (c) => c.next(min(0)),
      nested: (c) => c.complete('1', min(20)),
      laterMs: min(20),
    },
  ],
  [
    'addPhones(later) from a leaseExpired listener',
    {
      type: 'leaseExpired',
      setup: dialingOne,
      outer: (c) => c.nextReadyAt(min(40)),
      nested: (c) => c.addPhones([{ phone: '300' }], { now: min(200) }),
      laterMs: min(200),
    },
  ],
  [
    'fail(later) from a retry listener of another job',
    {
      type: 'retry',
      setup: async (c) => {
        await c.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) });
        await c.next(min(0));
        await c.next(min(1));
      },
      outer: (c) => c.fail('1', min(2)),
      nested: (c) => c.fail('2', min(3)),
      laterMs: min(3),
    },
  ],
  [
    'nextReadyAt(days later) from an added listener',
    {
      type: 'added',
      setup: dialingOne,
      outer: (c) => c.addPhones([{ phone: '200', finishDateTime: '2024-06-04T12:00:00Z' }], { now: min(1) }),
      nested: (c) => c.nextReadyAt(min(3 * 1440)),
      laterMs: min(3 * 1440),
    },
  ],
  [
    'cancel(later) from a redialed listener',
    {
      type: 'redialed',
      setup: async (c) => {
        await dialingOne(c);
        await c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(1));
      },
      outer: (c) => c.complete('1', min(2)),
      nested: (c) => c.cancel({ jobIds: ['2'] }, min(50)),
      laterMs: min(50),
    },
  ],
];

describe('listeners that call back into the campaign (§9)', () => {
  it.each(NESTINGS)(
    '%s: time stays at the later instant, the campaign stays consistent',
    async (_label, n) => {
      // The twin makes the same two calls one after the other.
      const twin = campaignOf(n.options ?? BASE);
      await n.setup(asyncCampaign(twin));
      const twinEvents = record(twin);
      const twinOuter = n.outer(twin);
      const outerCount = twinEvents.length;
      const twinNested = n.nested(twin);

      const campaign = campaignOf(n.options ?? BASE);
      await n.setup(asyncCampaign(campaign));
      const events = record(campaign);
      let nestedResult: unknown;
      let nestedCalls = 0;
      campaign.on(n.type, () => {
        if (nestedCalls++ > 0) return;
        nestedResult = n.nested(campaign);
      });
      const outer = n.outer(campaign);

      expect(nestedCalls).toBeGreaterThan(0);
      expect(campaign.latestMs).toBe(n.laterMs);
      expect(outer).toEqual(twinOuter);
      expect(nestedResult).toEqual(twinNested);
      expect(JSON.stringify(campaign.snapshot())).toBe(JSON.stringify(twin.snapshot()));
      // Each event once; the outer call's events in their order, the nested call's in theirs.
      const key = (e: CampaignEvent) => JSON.stringify(e);
      expect(events.map(key).sort()).toEqual(twinEvents.map(key).sort());
      const outerKeys = new Set(twinEvents.slice(0, outerCount).map(key));
      expect(events.filter((e) => outerKeys.has(key(e)))).toEqual(twinEvents.slice(0, outerCount));
      expect(events.filter((e) => !outerKeys.has(key(e)))).toEqual(twinEvents.slice(outerCount));
      // Consistent: totals add up, and a snapshot restores to the same campaign.
      const stats = campaign.stats();
      expect(sumOfStates(stats)).toBe(stats.total);
      const restored = Campaign.restore(JSON.parse(JSON.stringify(campaign.snapshot())));
      expect(restored.snapshot()).toEqual(campaign.snapshot());
      expect(restored.latestMs).toBe(n.laterMs);
      // Time never goes back: a smaller now acts at the later instant.
      campaign.nextReadyAt(min(0));
      expect(campaign.latestMs).toBe(n.laterMs);
      expect(await goOn(asyncCampaign(campaign))).toEqual(await goOn(asyncCampaign(twin)));
    },
  );
});
