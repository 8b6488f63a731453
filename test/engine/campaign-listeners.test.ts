import { describe, expect, it } from 'vitest';
import {
  Campaign,
  type CampaignEvent,
  type CampaignEventType,
  type CampaignOptions,
} from '../../src/index.js';
import { at, campaignOf, daily, EVENT_TYPES, MINUTE_MS, record, sumOfStates } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z'); // a Monday
const min = (n: number) => T0 + n * MINUTE_MS;

const BASE: CampaignOptions = {
  defaults: { maxAttempts: 2, retryIntervalInMinutes: 10, allowedTime: daily('09:00', '17:00') },
  leaseTimeoutMs: 30 * MINUTE_MS,
};
const CAPPED: CampaignOptions = { ...BASE, maxTotalAttempts: 1 };

/** A campaign with phone 100 (job 1) being dialed since 09:00. */
const dialingOne = (c: Campaign) => {
  c.addPhones([{ phone: '100' }], { now: min(0) });
  c.next(min(0));
};

/** One scenario: a campaign built by `setup`, then one call (`act`) that emits `type`. */
interface Scenario {
  readonly call: string;
  readonly type: CampaignEventType;
  readonly why: string;
  readonly options?: CampaignOptions;
  readonly setup?: (c: Campaign) => void;
  readonly act: (c: Campaign) => unknown;
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
    setup: (c) => {
      dialingOne(c);
      c.complete('1', min(1));
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
    setup: (c) => {
      dialingOne(c);
      c.fail('1', min(1));
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
    setup: (c) => {
      c.addPhones([{ phone: '100', maxAttempts: 1 }], { now: min(0) });
      c.next(min(0));
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
    setup: (c) => {
      dialingOne(c);
      c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(5));
    },
    act: (c) => c.next(min(45)),
  },
  {
    call: 'next',
    type: 'dialing',
    why: 'a released redial served at once',
    setup: (c) => {
      dialingOne(c);
      c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(5));
    },
    act: (c) => c.next(min(45)),
  },
  {
    call: 'next',
    type: 'cancelled',
    why: 'an expired lease of a job with a cancel pending, and its redial',
    setup: (c) => {
      dialingOne(c);
      c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(5));
      c.cancel({ jobIds: ['1'] }, min(6));
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
    setup: (c) => {
      c.addPhones([{ phone: '100', maxAttempts: 1 }], { now: min(0) });
      c.next(min(0));
    },
    act: (c) => c.nextReadyAt(min(31)),
  },
  {
    call: 'nextReadyAt',
    type: 'expired',
    why: 'an expired lease with no window left for the retry',
    setup: (c) => {
      c.addPhones([{ phone: '100', finishDateTime: '2024-06-03T09:35:00Z' }], { now: min(0) });
      c.next(min(0));
    },
    act: (c) => c.nextReadyAt(min(31)),
  },
  {
    call: 'nextReadyAt',
    type: 'redialed',
    why: 'an expired lease releasing a redial',
    setup: (c) => {
      dialingOne(c);
      c.redial('1', { allowedTime: daily('12:00', '13:00') }, min(5));
    },
    act: (c) => c.nextReadyAt(min(31)),
  },
  {
    call: 'nextReadyAt',
    type: 'cancelled',
    why: 'an expired lease of a job with a cancel pending',
    setup: (c) => {
      dialingOne(c);
      c.cancel({ phones: ['100'] }, min(6));
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
    setup: (c) => {
      dialingOne(c);
      c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(2));
    },
    act: (c) => c.complete('1', min(5)),
  },
  {
    call: 'complete',
    type: 'cancelled',
    why: 'the report of a job with a cancel pending',
    setup: (c) => {
      dialingOne(c);
      c.cancel({ jobIds: ['1'] }, min(2));
    },
    act: (c) => c.complete('1', min(5)),
  },
  {
    call: 'complete',
    type: 'leaseExpired',
    why: 'another job’s lease expiring before the report',
    setup: (c) => {
      c.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) });
      c.next(min(0));
      c.next(min(10));
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
    setup: (c) => {
      c.addPhones([{ phone: '100', maxAttempts: 1 }], { now: min(0) });
      c.next(min(0));
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
    setup: (c) => {
      c.addPhones([{ phone: '100', finishDateTime: '2024-06-03T09:10:00Z' }], { now: min(0) });
      c.next(min(0));
    },
    act: (c) => c.fail('1', min(5)),
  },
  {
    call: 'fail',
    type: 'cancelled',
    why: 'the report of a job with a cancel pending',
    setup: (c) => {
      dialingOne(c);
      c.cancel({ jobIds: ['1'] }, min(2));
    },
    act: (c) => c.fail('1', min(5)),
  },
  {
    call: 'fail',
    type: 'redialed',
    why: 'the report releasing a redial',
    setup: (c) => {
      dialingOne(c);
      c.redial('1', { allowedTime: daily('09:00', '10:00'), maxAttempts: 3 }, min(2));
    },
    act: (c) => c.fail('1', min(5)),
  },
  {
    call: 'fail',
    type: 'leaseExpired',
    why: 'another job’s lease expiring before the report',
    setup: (c) => {
      c.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) });
      c.next(min(0));
      c.next(min(10));
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
    setup: (c) => {
      c.addPhones([{ phone: '100', finishDateTime: '2024-06-04T12:00:00Z' }], { now: min(0) });
      c.next(min(0));
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
    setup: (c) => {
      c.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) });
      c.next(min(0));
      c.next(min(10));
    },
    act: (c) => c.redial('2', { startDateTime: '2024-06-03T12:00:00Z' }, min(35)),
  },
  // cancel
  {
    call: 'cancel',
    type: 'cancelled',
    why: 'jobs of a phone and by ID',
    setup: (c) => {
      c.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }, { phone: '200' }, { phone: '300' }], {
        now: min(0),
      });
      c.next(min(0));
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
const views = (c: Campaign) => Array.from({ length: c.stats().total + 1 }, (_, k) => c.job(String(k + 1)));

/** Runs a scenario; with `throwOn`, a listener of that type throws a fresh error. */
function runScenario(s: Scenario, throwOn?: CampaignEventType) {
  const campaign = campaignOf(s.options ?? BASE);
  s.setup?.(campaign);
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
    result = s.act(campaign);
  } catch (caught) {
    error = caught;
  }
  // Only the call under test meets the throwing listener.
  off();
  return { campaign, events, result, error, boom, calls };
}

/** What follows the call: the campaign goes on the same way. */
function goOn(c: Campaign): unknown[] {
  const out: unknown[] = [];
  for (let k = 0; k < 40; k++) {
    const t = min(60 + k * 17);
    out.push(c.nextReadyAt(t));
    const task = c.next(t);
    out.push(task);
    if (task !== undefined) {
      if (k % 3 === 0) c.fail(task, t + MINUTE_MS);
      else if (k % 3 === 1) c.complete(task, t + MINUTE_MS);
    }
    out.push(c.stats());
  }
  out.push(JSON.stringify(c.snapshot()));
  return out;
}

const totalOf = sumOfStates;

describe('listeners that throw (§9)', () => {
  it.each(SCENARIOS.map((s) => [s.call, s.type, s.why, s] as const))(
    '%s with a throwing %s listener (%s) leaves the campaign as without it, and the error reaches the caller',
    (_call, type, _why, scenario) => {
      const twin = runScenario(scenario);
      expect(twin.error).toBeUndefined();
      const emitted = twin.events.filter((event) => event.type === type);
      // The scenario does emit the event type under test.
      expect(emitted.length).toBeGreaterThan(0);
      const run = runScenario(scenario, type);
      // The very error the listener threw, not swallowed nor wrapped.
      expect(run.error).toBe(run.boom);
      // Once per event of its type; every other listener got every event, in order.
      expect(run.calls).toBe(emitted.length);
      expect(run.events).toEqual(twin.events);
      expect(JSON.stringify(run.campaign.snapshot())).toBe(JSON.stringify(twin.campaign.snapshot()));
      expect(run.campaign.latestMs).toBe(twin.campaign.latestMs);
      expect(run.campaign.stats()).toEqual(twin.campaign.stats());
      expect(views(run.campaign)).toEqual(views(twin.campaign));
      // The state that the snapshot does not show (queues, parked jobs) is the same too.
      expect(goOn(run.campaign)).toEqual(goOn(twin.campaign));
    },
  );

  it('covers every operation and every event type', () => {
    expect(new Set(SCENARIOS.map((s) => s.type))).toEqual(new Set(EVENT_TYPES));
    expect(new Set(SCENARIOS.map((s) => s.call.split(' ')[0]))).toEqual(
      new Set(['addPhones', 'addTestPhone', 'next', 'nextReadyAt', 'complete', 'fail', 'redial', 'cancel']),
    );
  });

  it('delivers the remaining events to other listeners after one throws (§9)', () => {
    const campaign = campaignOf(BASE);
    const seen: string[] = [];
    campaign.on('added', (event) => {
      if (event.jobId === '1') throw new Error('first');
    });
    campaign.on('added', (event) => {
      seen.push(event.jobId);
      throw new Error(`second ${event.jobId}`);
    });
    expect(() => campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) })).toThrow('first');
    expect(seen).toEqual(['1', '2']);
    expect(campaign.stats().total).toBe(2);
  });
});

/** One nesting: a listener of `type` makes `nested` (once), a later call into the same campaign. */
interface Nesting {
  readonly type: CampaignEventType;
  readonly options?: CampaignOptions;
  readonly setup: (c: Campaign) => void;
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
      setup: (c) => {
        c.addPhones([{ phone: '100' }, { phone: '200' }], { now: min(0) });
        c.next(min(0));
        c.next(min(1));
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
      setup: (c) => {
        dialingOne(c);
        c.redial('1', { startDateTime: '2024-06-03T09:00:00Z' }, min(1));
      },
      outer: (c) => c.complete('1', min(2)),
      nested: (c) => c.cancel({ jobIds: ['2'] }, min(50)),
      laterMs: min(50),
    },
  ],
];

describe('listeners that call back into the campaign (§9)', () => {
  it.each(NESTINGS)('%s: time stays at the later instant, the campaign stays consistent', (_label, n) => {
    // The twin makes the same two calls one after the other.
    const twin = campaignOf(n.options ?? BASE);
    n.setup(twin);
    const twinEvents = record(twin);
    const twinOuter = n.outer(twin);
    const outerCount = twinEvents.length;
    const twinNested = n.nested(twin);

    const campaign = campaignOf(n.options ?? BASE);
    n.setup(campaign);
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
    expect(totalOf(stats)).toBe(stats.total);
    const restored = Campaign.restore(JSON.parse(JSON.stringify(campaign.snapshot())));
    expect(restored.snapshot()).toEqual(campaign.snapshot());
    expect(restored.latestMs).toBe(n.laterMs);
    // Time never goes back: a smaller now acts at the later instant.
    campaign.nextReadyAt(min(0));
    expect(campaign.latestMs).toBe(n.laterMs);
    expect(goOn(campaign)).toEqual(goOn(twin));
  });
});
