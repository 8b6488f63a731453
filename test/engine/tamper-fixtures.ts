/**
 * Realistic campaigns for snapshot tamper tests: several phones and zones, jobs in every state (a
 * seeded driver serves, fails, completes, redials, cancels and lets leases expire), and for every job
 * the effective calling policy it was given (spec section 3, README "Call log"), by job ID, so that an
 * independent checker can tell whether a call was inside its window.
 */
import {
  type CallingRule,
  Campaign,
  type CampaignOptions,
  type EntryInput,
  type PolicyInput,
} from '../../src/index.js';
import { type EffectivePolicy, effectivePolicy } from '../../src/sim/effective-policy.js';
import { DAY_MS, daily, HOUR_MS, MINUTE_MS } from './helpers.js';

/** A campaign built from known entries, with the effective policy of each of its jobs. */
export interface Fixture {
  readonly name: string;
  readonly campaign: Campaign;
  readonly options: CampaignOptions;
  /** Effective policy by job ID. */
  readonly policies: ReadonlyMap<string, EffectivePolicy>;
  /** The calling rules that apply to each job (spec section 12), by job ID, as the recipe places its phones. */
  readonly rules: ReadonlyMap<string, readonly CallingRule[]>;
}

/** A small seeded PRNG (mulberry32): deterministic, no Math.random. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Recipe {
  readonly name: string;
  readonly options: CampaignOptions;
  readonly startMs: number;
  readonly hours: number;
  readonly entries: readonly EntryInput[];
  /** Entries added later, at `laterMs`. */
  readonly later: readonly EntryInput[];
  readonly redials: readonly PolicyInput[];
  readonly seed: number;
  /** The rules of `options.rules` that apply to a phone, decided by the recipe (its phones' places are known). */
  readonly rulesOf?: (phone: string) => readonly CallingRule[];
}

/** Rules of the calling-rules recipe: hours and days for every phone, two blackout dates, Florida's hours. */
const HOURS_RULE: CallingRule = {
  name: 'hours',
  allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
  allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '20:00' }] },
};
const BLACKOUT_RULE: CallingRule = {
  name: 'independence',
  appliesTo: { countries: ['US'] },
  blackoutDates: ['2024-07-04', '2024-07-05'],
};
const FLORIDA_RULE: CallingRule = {
  name: 'florida',
  appliesTo: { regions: ['US-FL'] },
  allowedTime: { default: [{ localTimeFrom: '10:00', localTimeTo: '18:00' }] },
};

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

const RECIPES: readonly Recipe[] = [
  {
    name: 'New York office hours, maxTotalAttempts 4',
    options: {
      defaults: {
        gmtZone: 'America/New_York',
        allowedDays: [...weekdays, 'sat'],
        allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '17:00' }] },
        maxAttempts: 3,
        retryIntervalInMinutes: 30,
      },
      leaseTimeoutMs: 20 * MINUTE_MS,
      maxTotalAttempts: 4,
    },
    // Friday 09:00 in New York; the US springs forward on Sunday 2024-03-10.
    startMs: Date.parse('2024-03-08T14:00:00Z'),
    hours: 5,
    entries: [
      { phone: '12120000001', payload: { name: 'Ada' } },
      { phone: '12120000002', dialerPriority: 1 },
      { phone: '12120000003', maxAttempts: 1 },
      { phone: '12120000004', finishDateTime: '2024-03-08T10:30:00' },
      { phone: '12120000005', startDateTime: '2024-03-11T09:00:00' },
      { phone: '12120000006', gmtZone: 'Asia/Kathmandu', allowedTime: daily('20:00', '02:00') },
      {
        phone: '12120000007',
        gmtZone: '+05:30',
        allowedTime: {
          mon: [
            { localTimeFrom: '09:00', localTimeTo: '12:00' },
            { localTimeFrom: '13:00', localTimeTo: '18:00' },
          ],
          default: [{ localTimeFrom: '10:00', localTimeTo: '16:00' }],
        },
      },
      { phone: '12120000008', dialerPriority: 2, maxAttempts: 5, retryIntervalInMinutes: 5 },
      { phone: '12120000009', maxAttempts: 5, retryIntervalInMinutes: 10 },
      { phone: '12120000010', gmtZone: 'Europe/London', allowedDays: ['sat', 'sun'] },
      { phone: '12120000011', allowedTime: { fri: [{ localTimeFrom: '09:00', localTimeTo: '11:00' }] } },
      { phone: '12120000012', dialerPriority: 3, finishDateTime: '2024-03-12T12:00:00-04:00' },
      { phone: '12120000002', payload: 'second', dialerPriority: 1 },
      { phone: '12120000013', maxAttempts: 4, retryIntervalInMinutes: 1 },
      { phone: '12120000015', finishDateTime: '2024-03-08T11:00:00', allowedTime: daily('09:00', '09:10') },
      { phone: '12120000016', finishDateTime: '2024-03-08T10:00:00', maxAttempts: 3, dialerPriority: 1 },
    ],
    later: [{ phone: '12120000008', payload: 'again' }, { phone: '12120000014' }],
    redials: [
      { startDateTime: '2024-03-11T10:00:00', allowedTime: daily('18:00', '21:00') },
      { allowedTime: daily('12:00', '13:00'), maxAttempts: 2 },
      { startDateTime: '2024-03-08T12:00:00', dialerPriority: 1 },
    ],
    seed: 11,
  },
  {
    name: 'fixed zones, split days',
    options: {
      defaults: {
        gmtZone: '+03:00',
        allowedTime: {
          default: [{ localTimeFrom: '09:00', localTimeTo: '21:00' }],
          sat: [{ localTimeFrom: '10:00', localTimeTo: '14:00' }],
        },
        allowedDays: [...weekdays, 'sat'],
        maxAttempts: 4,
        retryIntervalInMinutes: 15,
      },
      leaseTimeoutMs: 30 * MINUTE_MS,
    },
    startMs: Date.parse('2024-06-06T06:00:00Z'), // Thursday 09:00 at +03:00
    hours: 7,
    entries: [
      { phone: '74950000001' },
      { phone: '74950000002', gmtZone: 'UTC+5', allowedTime: daily('08:00', '12:00') },
      { phone: '74950000003', gmtZone: '-05:00', allowedTime: daily('22:00', '03:00') },
      { phone: '74950000004', gmtZone: 'Z', dialerPriority: 1, maxAttempts: 2 },
      {
        phone: '74950000005',
        finishDateTime: '2024-06-06T11:00:00',
        maxAttempts: 6,
        retryIntervalInMinutes: 20,
      },
      { phone: '74950000006', gmtZone: '+05:30:15', allowedDays: ['fri'] },
      { phone: '74950000007', startDateTime: '2024-06-08T00:00:00Z' },
      { phone: '74950000008', dialerPriority: 2, retryIntervalInMinutes: 1, maxAttempts: 6 },
      {
        phone: '74950000009',
        payload: [1, 2, 3],
        allowedTime: { thu: [{ localTimeFrom: '09:00', localTimeTo: '09:30' }] },
      },
      { phone: '74950000010', gmtZone: 'GMT-03:00' },
      { phone: '74950000011', dialerPriority: 4, maxAttempts: 1 },
      { phone: '74950000013', finishDateTime: '2024-06-06T10:00:00', allowedTime: daily('09:00', '09:05') },
      {
        phone: '74950000014',
        finishDateTime: '2024-06-06T09:20:00',
        dialerPriority: 1,
        retryIntervalInMinutes: 30,
      },
    ],
    later: [
      { phone: '74950000001', payload: 'second' },
      { phone: '74950000012', gmtZone: '+14:00' },
    ],
    redials: [
      { startDateTime: '2024-06-07T09:00:00', maxAttempts: 3 },
      { allowedTime: daily('19:00', '21:00'), allowedDays: ['mon', 'tue'] },
    ],
    seed: 22,
  },
  {
    name: 'UTC defaults, DST zones, maxTotalAttempts 2',
    options: {
      defaults: { maxAttempts: 3, retryIntervalInMinutes: 45 },
      leaseTimeoutMs: 15 * MINUTE_MS,
      maxTotalAttempts: 2,
    },
    // Saturday; New York falls back on Sunday 2024-11-03.
    startMs: Date.parse('2024-11-02T12:00:00Z'),
    hours: 6,
    entries: [
      { phone: '15550000001', gmtZone: 'America/New_York', allowedTime: daily('01:00', '02:30') },
      { phone: '15550000002', gmtZone: 'Australia/Lord_Howe', allowedTime: daily('09:00', '17:00') },
      { phone: '15550000003', gmtZone: 'Asia/Kathmandu', allowedTime: daily('09:00', '18:00') },
      {
        phone: '15550000004',
        gmtZone: 'US/Eastern',
        allowedTime: daily('08:00', '20:00'),
        dialerPriority: 2,
      },
      { phone: '15550000005' },
      {
        phone: '15550000006',
        allowedTime: daily('12:00', '12:30'),
        maxAttempts: 5,
        retryIntervalInMinutes: 1,
      },
      { phone: '15550000007', gmtZone: 'America/New_York', finishDateTime: '2024-11-03T01:30:00' },
      { phone: '15550000008', gmtZone: 'Europe/Paris', allowedDays: ['sun', 'mon'] },
      { phone: '15550000009', dialerPriority: 1, maxAttempts: 2 },
      { phone: '15550000010', gmtZone: 'America/Phoenix', startDateTime: '2024-11-04T00:00:00Z' },
      { phone: '15550000011', finishDateTime: '2024-11-02T12:30:00Z', allowedTime: daily('12:00', '12:05') },
      { phone: '15550000012', finishDateTime: '2024-11-02T12:20:00Z', dialerPriority: 1, maxAttempts: 2 },
    ],
    later: [
      { phone: '15550000005', payload: 'second' },
      { phone: '15550000009', payload: 'x' },
    ],
    redials: [
      { startDateTime: '2024-11-03T01:15:00', allowedTime: daily('01:00', '03:00') },
      { allowedTime: daily('18:00', '23:00'), maxAttempts: 9 },
    ],
    seed: 33,
  },
  {
    name: 'calling rules: hours, blackout dates, a Florida rule',
    options: {
      defaults: {
        gmtZone: 'America/New_York',
        maxAttempts: 3,
        retryIntervalInMinutes: 30,
      },
      leaseTimeoutMs: 20 * MINUTE_MS,
      rules: [HOURS_RULE, BLACKOUT_RULE, FLORIDA_RULE],
    },
    // Wednesday 09:00 in New York; 4 and 5 July are blacked out.
    startMs: Date.parse('2024-07-03T13:00:00Z'),
    hours: 7,
    entries: [
      { phone: '12120000001', payload: { name: 'Ada' } },
      { phone: '12120000002', dialerPriority: 1 },
      { phone: '13050000003', maxAttempts: 5, retryIntervalInMinutes: 10 },
      { phone: '12120000004', finishDateTime: '2024-07-03T10:30:00' },
      { phone: '12120000005', startDateTime: '2024-07-06T09:00:00' },
      { phone: '13050000006', gmtZone: 'America/Chicago', allowedTime: daily('07:00', '22:00') },
      { phone: '12120000007', gmtZone: 'Europe/London', allowedTime: daily('08:00', '23:00') },
      { phone: '12120000008', dialerPriority: 2, maxAttempts: 5, retryIntervalInMinutes: 5 },
      { phone: '13050000009', maxAttempts: 5, retryIntervalInMinutes: 10, dialerPriority: 3 },
      { phone: '12120000010', allowedDays: ['sat', 'sun'] },
      { phone: '12120000002', payload: 'second', dialerPriority: 1 },
      { phone: '12120000013', maxAttempts: 4, retryIntervalInMinutes: 1 },
      { phone: '12120000015', finishDateTime: '2024-07-03T11:00:00', allowedTime: daily('09:00', '09:10') },
      { phone: '12120000016', finishDateTime: '2024-07-03T10:00:00', maxAttempts: 3, dialerPriority: 1 },
    ],
    later: [{ phone: '12120000008', payload: 'again' }, { phone: '13050000014' }],
    redials: [
      { startDateTime: '2024-07-05T10:00:00', allowedTime: daily('18:00', '21:00') },
      { allowedTime: daily('12:00', '13:00'), maxAttempts: 2 },
      { allowedTime: daily('10:00', '19:00'), dialerPriority: 1 },
    ],
    seed: 45,
    rulesOf: (phone) =>
      phone.startsWith('1305') ? [HOURS_RULE, BLACKOUT_RULE, FLORIDA_RULE] : [HOURS_RULE, BLACKOUT_RULE],
  },
];

/** Builds a fixture: adds its entries, then drives it for its hours with seeded outcomes. */
function build(recipe: Recipe): Fixture {
  const options: CampaignOptions = {
    ...recipe.options,
    clock: () => {
      throw new Error('the test forgot to pass `now`');
    },
  };
  const campaign = new Campaign(options);
  const defaults = recipe.options.defaults ?? {};
  const policies = new Map<string, EffectivePolicy>();
  const rules = new Map<string, readonly CallingRule[]>();
  const rulesOf = (id: string) => recipe.rulesOf?.(campaign.job(id)!.phone) ?? [];
  const add = (entries: readonly EntryInput[], now: number) => {
    const { jobIds, duplicates } = campaign.addPhones(entries, { now });
    jobIds.forEach((id, k) => {
      if (id !== null && !duplicates.includes(k)) {
        policies.set(id, effectivePolicy(entries[k] as PolicyInput, defaults));
        rules.set(id, rulesOf(id));
      }
    });
  };
  add(recipe.entries, recipe.startMs);
  const random = prng(recipe.seed);
  const endMs = recipe.startMs + recipe.hours * HOUR_MS;
  const laterMs = recipe.startMs + recipe.hours * HOUR_MS * 0.6;
  let addedLater = false;
  for (let t = recipe.startMs; t < endMs; t += 4 * MINUTE_MS) {
    if (!addedLater && t >= laterMs) {
      add(recipe.later, t);
      addedLater = true;
    }
    for (let task = campaign.next(t); task !== undefined; task = campaign.next(t)) {
      const r = random();
      if (r < 0.3) campaign.complete(task, t);
      else if (r < 0.6) campaign.fail(task, t, r < 0.45 ? { retryIntervalInMinutes: 2 } : undefined);
      else if (r < 0.75) {
        const params = recipe.redials[Math.floor(random() * recipe.redials.length)]!;
        const id = campaign.redial(task, params, t);
        if (id !== null) {
          const zone = policies.get(task.jobId)!.gmtZone;
          policies.set(id, effectivePolicy(params, defaults, zone));
          rules.set(id, rulesOf(id));
        }
        if (random() < 0.6) campaign.complete(task, t);
      } else if (r < 0.82) campaign.cancel({ jobIds: [task.jobId] }, t);
      // Else left unreported: its lease expires.
    }
    if (random() < 0.02)
      campaign.cancel({ phones: [campaign.job(String(1 + Math.floor(random() * 10)))!.phone] }, t);
  }
  // At the snapshot instant: fresh jobs, a dialing job with a pending redial, one with a cancel pending,
  // two more leased, the rest ready.
  const base = String(recipe.entries[0]!.phone).slice(0, -2);
  add(
    [0, 1, 2, 3, 4, 5].map((k) => ({
      phone: `${base}9${k}`,
      dialerPriority: 1 + (k % 5),
      maxAttempts: 1 + (k % 3),
    })),
    endMs,
  );
  for (let k = 0; k < 4; k++) {
    const task = campaign.next(endMs);
    if (task === undefined) break;
    if (k === 0) {
      const params = recipe.redials[0]!;
      const id = campaign.redial(task, params, endMs);
      if (id !== null) {
        policies.set(id, effectivePolicy(params, defaults, policies.get(task.jobId)!.gmtZone));
        rules.set(id, rulesOf(id));
      }
    } else if (k === 1) campaign.cancel({ jobIds: [task.jobId] }, endMs);
  }
  add([{ phone: `${base}99`, payload: 'cancelled' }], endMs);
  campaign.cancel({ phones: [`${base}99`] }, endMs);
  // A do-not-call list: a phone with jobs (all ended by the block) and one without.
  campaign.blockPhones([`${base}99`, `${base}98`], endMs);
  return { name: recipe.name, campaign, options, policies, rules };
}

let built: Fixture[] | undefined;

/** The fixtures, built once. */
export function fixtures(): readonly Fixture[] {
  built ??= RECIPES.map(build);
  return built;
}

export { DAY_MS };
