import { describe, expect, it } from 'vitest';
import type { AsyncCampaign, CampaignEventType, CampaignOptions } from '../../src/index.js';
import { openCampaign } from './backend.js';
import { daily, EVENT_TYPES, idsUpTo, jobViews, record } from './helpers.js';
import { BASE, CAPPED, dialingOne, goOn, min } from './listener-fixtures.js';

/** One scenario: a campaign built by `setup`, then one call (`act`) that emits `type`. */
interface Scenario {
  readonly call: string;
  readonly type: CampaignEventType;
  readonly why: string;
  readonly options?: CampaignOptions;
  readonly setup?: (c: AsyncCampaign) => Promise<unknown>;
  readonly act: (c: AsyncCampaign) => Promise<unknown>;
}

const SCENARIOS: readonly Scenario[] = [
  // addPhones
  {
    call: 'addPhones',
    type: 'added',
    why: 'a new job',
    act: (c) => c.addPhones([{ phone: '100' }], { now: min(0) }),
  },
  {
    call: 'addPhones',
    type: 'exhausted',
    why: 'a job added for a phone at maxTotalAttempts',
    options: CAPPED,
    setup: async (c) => {
      await dialingOne(c);
      await c.complete('1', min(1));
    },
    act: (c) => c.addPhones([{ phone: '100', payload: 2 }], { now: min(2) }),
  },
  {
    call: 'addPhones',
    type: 'expired',
    why: 'a job added after its finish',
    act: (c) =>
      c.addPhones(
        [{ phone: '100', startDateTime: '2024-06-01T00:00:00Z', finishDateTime: '2024-06-03T08:00:00Z' }],
        {
          now: min(0),
        },
      ),
  },
  {
    call: 'addPhones',
    type: 'leaseExpired',
    why: 'a lease expiring before the add',
    setup: dialingOne,
    act: (c) => c.addPhones([{ phone: '200' }], { now: min(31) }),
  },
  {
    call: 'addPhones',
    type: 'retry',
    why: 'the retry of an expired lease',
    setup: dialingOne,
    act: (c) => c.addPhones([{ phone: '200' }], { now: min(31) }),
  },
  {
    call: 'addPhones',
    type: 'expired',
    why: 'a window closing with none left before the finish',
    setup: (c) => c.addPhones([{ phone: '100', finishDateTime: '2024-06-04T08:00:00Z' }], { now: min(0) }),
    act: (c) => c.addPhones([{ phone: '200' }], { now: min(600) }),
  },
  // addTestPhone
  {
    call: 'addTestPhone',
    type: 'added',
    why: 'a new job',
    act: (c) => c.addTestPhone({ phone: '100' }, { now: min(0) }),
  },
  {
    call: 'addTestPhone',
    type: 'warning',
    why: 'a replaced priority',
    act: (c) => c.addTestPhone({ phone: '100', dialerPriority: 7 }, { now: min(0) }),
  },
  {
    call: 'addTestPhone',
    type: 'exhausted',
    why: 'a job added for a phone at maxTotalAttempts',
    options: CAPPED,
    setup: async (c) => {
      await dialingOne(c);
      await c.fail('1', min(1));
    },
    act: (c) => c.addTestPhone({ phone: '100' }, { now: min(2) }),
  },
  {
    call: 'addTestPhone',
    type: 'expired',
    why: 'a job added after its finish',
    act: (c) =>
      c.addTestPhone(
        { phone: '100', allowedDays: ['sun'], finishDateTime: '2024-06-08T00:00:00Z' },
        { now: min(0) },
      ),
  },
  {
    call: 'addTestPhone',
    type: 'exhausted',
    why: 'an expired lease of a last attempt',
    setup: async (c) => {
      await c.addPhones([{ phone: '100', maxAttempts: 1 }], { now: min(0) });
      await c.next(min(0));
    },
    act: (c) => c.addTestPhone({ phone: '200' }, { now: min(45) }),
  },
  // next
  {
    call: 'next',
    type: 'dialing',
    why: 'a served job',
    setup: (c) => c.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) }),
    act: (c) => c.next(min(1)),
  },
  {
    call: 'next',
    type: 'exhausted',
    why: 'maxTotalAttempts reached by the served job, ending the phone’s other jobs',
    options: CAPPED,
    setup: (c) =>
      c.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }, { phone: '200' }], { now: min(0) }),
    act: (c) => c.next(min(1)),
  },
  {
    call: 'next',
    type: 'leaseExpired',
    why: 'a lease expiring before the serve',
    setup: dialingOne,
    act: (c) => c.next(min(45)),
  },
  {
    call: 'next',
    type: 'retry',
    why: 'the retry of an expired lease',
    setup: dialingOne,
    act: (c) => c.next(min(45)),
  },
  {
    call: 'next',
    type: 'redialed',
    why: 'an expired lease releasing a redial',
    setup: async (c) => {
      await dialingOne(c);
      await c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(5));
    },
    act: (c) => c.next(min(45)),
  },
  {
    call: 'next',
    type: 'dialing',
    why: 'a released redial served at once',
    setup: async (c) => {
      await dialingOne(c);
      await c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(5));
    },
    act: (c) => c.next(min(45)),
  },
  {
    call: 'next',
    type: 'cancelled',
    why: 'an expired lease of a job with a cancel pending, and its redial',
    setup: async (c) => {
      await dialingOne(c);
      await c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(5));
      await c.cancel({ jobIds: ['1'] }, min(6));
    },
    act: (c) => c.next(min(45)),
  },
  {
    call: 'next',
    type: 'expired',
    why: 'a window closing with none left before the finish',
    setup: (c) =>
      c.addPhones([{ phone: '100', finishDateTime: '2024-06-04T08:00:00Z' }, { phone: '200' }], {
        now: min(0),
      }),
    act: (c) => c.next(min(600)),
  },
  // nextReadyAt
  {
    call: 'nextReadyAt',
    type: 'leaseExpired',
    why: 'a lease expiring',
    setup: dialingOne,
    act: (c) => c.nextReadyAt(min(31)),
  },
  {
    call: 'nextReadyAt',
    type: 'retry',
    why: 'the retry of an expired lease',
    setup: dialingOne,
    act: (c) => c.nextReadyAt(min(31)),
  },
  {
    call: 'nextReadyAt',
    type: 'exhausted',
    why: 'an expired lease of a last attempt',
    setup: async (c) => {
      await c.addPhones([{ phone: '100', maxAttempts: 1 }], { now: min(0) });
      await c.next(min(0));
    },
    act: (c) => c.nextReadyAt(min(31)),
  },
  {
    call: 'nextReadyAt',
    type: 'expired',
    why: 'an expired lease with no window left for the retry',
    setup: async (c) => {
      await c.addPhones([{ phone: '100', finishDateTime: '2024-06-03T09:35:00Z' }], { now: min(0) });
      await c.next(min(0));
    },
    act: (c) => c.nextReadyAt(min(31)),
  },
  {
    call: 'nextReadyAt',
    type: 'redialed',
    why: 'an expired lease releasing a redial',
    setup: async (c) => {
      await dialingOne(c);
      await c.redial('1', { allowedTime: daily('12:00', '13:00') }, min(5));
    },
    act: (c) => c.nextReadyAt(min(31)),
  },
  {
    call: 'nextReadyAt',
    type: 'cancelled',
    why: 'an expired lease of a job with a cancel pending',
    setup: async (c) => {
      await dialingOne(c);
      await c.cancel({ phones: ['100'] }, min(6));
    },
    act: (c) => c.nextReadyAt(min(31)),
  },
  // complete
  {
    call: 'complete',
    type: 'completed',
    why: 'the report',
    setup: dialingOne,
    act: (c) => c.complete('1', min(5)),
  },
  {
    call: 'complete',
    type: 'redialed',
    why: 'the report releasing a redial',
    setup: async (c) => {
      await dialingOne(c);
      await c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(2));
    },
    act: (c) => c.complete('1', min(5)),
  },
  {
    call: 'complete',
    type: 'cancelled',
    why: 'the report of a job with a cancel pending',
    setup: async (c) => {
      await dialingOne(c);
      await c.cancel({ jobIds: ['1'] }, min(2));
    },
    act: (c) => c.complete('1', min(5)),
  },
  {
    call: 'complete',
    type: 'leaseExpired',
    why: 'another job’s lease expiring before the report',
    setup: async (c) => {
      await c.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) });
      await c.next(min(0));
      await c.next(min(10));
    },
    act: (c) => c.complete('2', min(35)),
  },
  // fail
  {
    call: 'fail',
    type: 'retry',
    why: 'the report with an attempt left',
    setup: dialingOne,
    act: (c) => c.fail('1', min(5)),
  },
  {
    call: 'fail',
    type: 'exhausted',
    why: 'the report of the last attempt',
    setup: async (c) => {
      await c.addPhones([{ phone: '100', maxAttempts: 1 }], { now: min(0) });
      await c.next(min(0));
    },
    act: (c) => c.fail('1', min(5)),
  },
  {
    call: 'fail',
    type: 'exhausted',
    why: 'the report of a phone at maxTotalAttempts',
    options: CAPPED,
    setup: dialingOne,
    act: (c) => c.fail('1', min(5)),
  },
  {
    call: 'fail',
    type: 'expired',
    why: 'the report with no window left for the retry',
    setup: async (c) => {
      await c.addPhones([{ phone: '100', finishDateTime: '2024-06-03T09:10:00Z' }], { now: min(0) });
      await c.next(min(0));
    },
    act: (c) => c.fail('1', min(5)),
  },
  {
    call: 'fail',
    type: 'cancelled',
    why: 'the report of a job with a cancel pending',
    setup: async (c) => {
      await dialingOne(c);
      await c.cancel({ jobIds: ['1'] }, min(2));
    },
    act: (c) => c.fail('1', min(5)),
  },
  {
    call: 'fail',
    type: 'redialed',
    why: 'the report releasing a redial',
    setup: async (c) => {
      await dialingOne(c);
      await c.redial('1', { allowedTime: daily('09:00', '10:00'), maxAttempts: 3 }, min(2));
    },
    act: (c) => c.fail('1', min(5)),
  },
  {
    call: 'fail',
    type: 'leaseExpired',
    why: 'another job’s lease expiring before the report',
    setup: async (c) => {
      await c.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) });
      await c.next(min(0));
      await c.next(min(10));
    },
    act: (c) => c.fail('2', min(35)),
  },
  // fail with a retry pause for this retry
  {
    call: 'fail { retryIntervalInMinutes }',
    type: 'retry',
    why: 'the report with an attempt left',
    setup: dialingOne,
    act: (c) => c.fail('1', min(5), { retryIntervalInMinutes: 1 }),
  },
  {
    call: 'fail { retryIntervalInMinutes }',
    type: 'expired',
    why: 'a retry pause that passes the finish',
    setup: async (c) => {
      await c.addPhones([{ phone: '100', finishDateTime: '2024-06-04T12:00:00Z' }], { now: min(0) });
      await c.next(min(0));
    },
    act: (c) => c.fail('1', min(5), { retryIntervalInMinutes: 2880 }),
  },
  // redial
  {
    call: 'redial',
    type: 'added',
    why: 'the new series',
    setup: dialingOne,
    act: (c) => c.redial('1', { startDateTime: '2024-06-03T12:00:00Z' }, min(5)),
  },
  {
    call: 'redial',
    type: 'warning',
    why: 'maxAttempts clamped to 5',
    setup: dialingOne,
    act: (c) => c.redial('1', { startDateTime: '2024-06-03T12:00:00Z', maxAttempts: 9 }, min(5)),
  },
  {
    call: 'redial',
    type: 'leaseExpired',
    why: 'another job’s lease expiring before the redial',
    setup: async (c) => {
      await c.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) });
      await c.next(min(0));
      await c.next(min(10));
    },
    act: (c) => c.redial('2', { startDateTime: '2024-06-03T12:00:00Z' }, min(35)),
  },
  // cancel
  {
    call: 'cancel',
    type: 'cancelled',
    why: 'jobs of a phone and by ID',
    setup: async (c) => {
      await c.addPhones(
        [{ phone: '100' }, { phone: '100', payload: 2 }, { phone: '200' }, { phone: '300' }],
        {
          now: min(0),
        },
      );
      await c.next(min(0));
    },
    act: (c) => c.cancel({ phones: ['100'], jobIds: ['3'] }, min(5)),
  },
  {
    call: 'cancel',
    type: 'expired',
    why: 'a window closing with none left before the finish',
    setup: (c) =>
      c.addPhones([{ phone: '100', finishDateTime: '2024-06-04T08:00:00Z' }, { phone: '200' }], {
        now: min(0),
      }),
    act: (c) => c.cancel({ jobIds: ['2'] }, min(600)),
  },
  {
    call: 'cancel',
    type: 'leaseExpired',
    why: 'a lease expiring before the cancel',
    setup: dialingOne,
    act: (c) => c.cancel({ jobIds: ['1'] }, min(31)),
  },
];
/** Every job's view, by ID. */
const views = async (c: AsyncCampaign) => jobViews(c, idsUpTo((await c.stats()).total + 1));

/** Runs a scenario; with `throwOn`, a listener of that type throws a fresh error. */
async function runScenario(s: Scenario, throwOn?: CampaignEventType) {
  const campaign = await openCampaign(s.options ?? BASE);
  await s.setup?.(campaign);
  const events = record(campaign);
  const boom = new Error(`listener of ${throwOn} threw`);
  let calls = 0;
  const off =
    throwOn === undefined
      ? () => {}
      : campaign.on(throwOn, () => {
          calls++;
          throw boom;
        });
  let result: unknown;
  let error: unknown;
  try {
    result = await s.act(campaign);
  } catch (caught) {
    error = caught;
  }
  // Only the call under test meets the throwing listener.
  off();
  return { campaign, events, result, error, boom, calls };
}

describe('listeners that throw (§9)', () => {
  it.each(SCENARIOS.map((s) => [s.call, s.type, s.why, s] as const))(
    '%s with a throwing %s listener (%s) leaves the campaign as without it, and the error reaches the caller',
    async (_call, type, _why, scenario) => {
      const twin = await runScenario(scenario);
      expect(twin.error).toBeUndefined();
      const emitted = twin.events.filter((event) => event.type === type);
      // The scenario does emit the event type under test.
      expect(emitted.length).toBeGreaterThan(0);
      const run = await runScenario(scenario, type);
      // The very error the listener threw, not swallowed nor wrapped.
      expect(run.error).toBe(run.boom);
      // Once per event of its type; every other listener got every event, in order.
      expect(run.calls).toBe(emitted.length);
      expect(run.events).toEqual(twin.events);
      expect(JSON.stringify(await run.campaign.snapshot())).toBe(
        JSON.stringify(await twin.campaign.snapshot()),
      );
      expect(await run.campaign.latestMs()).toBe(await twin.campaign.latestMs());
      expect(await run.campaign.stats()).toEqual(await twin.campaign.stats());
      expect(await views(run.campaign)).toEqual(await views(twin.campaign));
      // The state that the snapshot does not show (queues, parked jobs) is the same too.
      expect(await goOn(run.campaign)).toEqual(await goOn(twin.campaign));
    },
  );

  it('covers every operation and every event type', () => {
    expect(new Set(SCENARIOS.map((s) => s.type))).toEqual(new Set(EVENT_TYPES));
    expect(new Set(SCENARIOS.map((s) => s.call.split(' ')[0]))).toEqual(
      new Set(['addPhones', 'addTestPhone', 'next', 'nextReadyAt', 'complete', 'fail', 'redial', 'cancel']),
    );
  });

  it('delivers the remaining events to other listeners after one throws (§9)', async () => {
    const campaign = await openCampaign(BASE);
    const seen: string[] = [];
    campaign.on('added', (event) => {
      if (event.jobId === '1') throw new Error('first');
    });
    campaign.on('added', (event) => {
      seen.push(event.jobId);
      throw new Error(`second ${event.jobId}`);
    });
    await expect(campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) })).rejects.toThrow(
      'first',
    );
    expect(seen).toEqual(['1', '2']);
    expect((await campaign.stats()).total).toBe(2);
  });
});
