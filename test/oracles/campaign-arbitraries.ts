/**
 * Random campaigns for the property tests that drive a campaign with commands (the model test and the
 * backends' differential test): entries, campaign setups, clock steps and redial parameters.
 */
import fc from 'fast-check';
import type { CallingRule } from '../../src/index.js';
import {
  DAY,
  DAYS,
  HOUR,
  type Interval,
  MINUTE,
  type ModelEntry,
  type PolicyFields,
  phoneDigits,
  ZONES,
} from './campaign-model.js';

/** The campaigns' start: a Saturday; New York springs forward on Sunday 2024-03-10. */
export const T0 = Date.parse('2024-03-09T00:00:00Z');

/** Six phones, each in a few spellings of the same digits. */
export const PHONES: (string | number)[] = [
  '+1 555 000-0001',
  '15550000001',
  15550000001,
  '1 (555) 000.0001',
  '4930000002',
  '+49 300 000 02',
  '79000000003',
  79000000003,
  '123',
  '+123',
  '447000000005',
  '15550000006',
  '+1-555-000-0006',
  // NANP numbers whose state the phone data knows: New York, Florida, Louisiana (calling rules, spec section 12).
  '12125550123',
  '+1 212 555 0123',
  '13055550123',
  '15045550123',
];
export const phoneArb = fc.constantFrom(...PHONES);
/** Phones for the do-not-call list: mostly the campaigns' own, sometimes one that is not a phone. */
export const blockPhoneArb = fc.oneof(
  { weight: 12, arbitrary: phoneArb },
  { weight: 1, arbitrary: fc.constantFrom<string | number>('12', '+1 555 x') },
);
export const zoneArb = fc.constantFrom(...Object.keys(ZONES));
export const STARTS: (string | number)[] = [
  T0 - DAY,
  '2024-03-09T06:00:00Z',
  '2024-03-09T08:00:00+02:00',
  T0 + 6 * HOUR,
  '2024-03-10T02:30:00', // local: in New York's spring-forward gap
  '2024-03-09T13:30',
  '2024-03-09T13:30:00',
  '2024-03-10T12:00:00Z',
];
export const FINISHES: (string | number)[] = [
  '2024-03-09T12:00:00Z',
  T0 + 30 * HOUR + 30 * MINUTE,
  '2024-03-10T03:30:00',
  '2024-03-11T09:00:00-05:00',
  '2024-03-12T00:00:00Z',
  '2024-03-13T18:00',
];
export const hhmm = (h: number) => `${String(h).padStart(2, '0')}:00`;
export const intervalsArb: fc.Arbitrary<Interval[]> = fc.oneof(
  fc.uniqueArray(fc.integer({ min: 0, max: 24 }), { minLength: 2, maxLength: 4 }).map((hours) => {
    const h = [...hours].sort((a, b) => a - b);
    const list = [{ localTimeFrom: hhmm(h[0]!), localTimeTo: hhmm(h[1]!) }];
    if (h.length === 4) list.push({ localTimeFrom: hhmm(h[2]!), localTimeTo: hhmm(h[3]!) });
    return list;
  }),
  fc
    .tuple(fc.integer({ min: 13, max: 23 }), fc.integer({ min: 0, max: 11 }))
    .map(([from, to]) => [{ localTimeFrom: hhmm(from), localTimeTo: hhmm(to) }]),
);
export const allowedTimeArb: fc.Arbitrary<Record<string, Interval[]>> = fc
  .tuple(
    fc.option(intervalsArb, { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom(...DAYS), intervalsArb), { nil: undefined }),
  )
  .filter(([all, one]) => all !== undefined || one !== undefined)
  .map(([all, one]) => {
    const allowedTime: Record<string, Interval[]> = {};
    if (all !== undefined) allowedTime.default = all;
    if (one !== undefined) allowedTime[one[0]] = one[1];
    return allowedTime;
  });
export const allowedDaysArb: fc.Arbitrary<string[]> = fc.oneof(
  fc.subarray([...DAYS], { minLength: 4 }),
  fc.array(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 3 }),
);

/** Drops the keys whose value is undefined (absent fields). */
export function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
/** `arb`'s value one time in `oneIn`, else undefined. */
export const some = <T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

export const entryArb: fc.Arbitrary<ModelEntry> = fc
  .record({
    phone: phoneArb,
    payload: some(fc.constantFrom<unknown>({ a: 1, b: [2] }, { b: [2], a: 1 }, 'x', null, 42), 2),
    gmtZone: some(zoneArb, 2),
    startDateTime: some(fc.constantFrom(...STARTS), 4),
    finishDateTime: some(fc.constantFrom(...FINISHES), 3),
    allowedDays: some(allowedDaysArb, 3),
    allowedTime: some(allowedTimeArb, 2),
    retryIntervalInMinutes: some(fc.constantFrom(1, 20, 45, 60, 180), 2),
    maxAttempts: some(fc.integer({ min: 0, max: 4 }), 2),
    dialerPriority: some(
      fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 5 }) }, fc.constant(7)),
      2,
    ),
  })
  .map((entry) => defined(entry) as ModelEntry);

export type Corruption = 'phone' | 'maxAttempts' | 'retry' | 'unknown';
export const corrupt = (entry: ModelEntry, kind: Corruption): ModelEntry => {
  switch (kind) {
    case 'phone':
      return { ...entry, phone: '12ab' };
    case 'maxAttempts':
      return { ...entry, maxAttempts: 51 };
    case 'retry':
      return { ...entry, retryIntervalInMinutes: 0 };
    case 'unknown':
      return { ...entry, allowedDay: ['mon'] };
  }
};
export const corruptionKindArb = fc.constantFrom<Corruption>('phone', 'maxAttempts', 'retry', 'unknown');
export const corruptionArb = some(corruptionKindArb, 12);

/** Step markers (not durations): see `nowOf`. */
export const ON_QUARTER = 0.25;
export const BEFORE_QUARTER = 0.75;
/** How far a command moves the clock: often not at all, minutes, hours, a day, backwards, to a quarter hour. */
export const stepArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 30 }).map((m) => m * MINUTE) },
  { weight: 1, arbitrary: fc.constant(20 * MINUTE) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 8 * 60 }).map((m) => m * MINUTE) },
  { weight: 1, arbitrary: fc.integer({ min: 12 * 60, max: 30 * 60 }).map((m) => m * MINUTE) },
  // Jumps over many windows at once (the engine finds each job's window at the new instant directly).
  { weight: 1, arbitrary: fc.integer({ min: 2 * 24 * 60, max: 5 * 24 * 60 }).map((m) => m * MINUTE) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 120 }).map((m) => -m * MINUTE) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 59_999 }) },
  { weight: 2, arbitrary: fc.constantFrom(ON_QUARTER, BEFORE_QUARTER) },
);
/** Reports mostly come while the call's lease runs, sometimes later. */
export const reportStepArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 19 * 60 }).map((s) => s * 1000) },
  { weight: 2, arbitrary: stepArb },
);

export const setupArb = fc.record({
  defaults: fc
    .record({
      // Always a zone: the model knows the zones of ZONES, not those of phone numbers (spec section 12).
      gmtZone: zoneArb,
      allowedTime: some(allowedTimeArb, 3),
      allowedDays: some(
        fc.constantFrom<string[]>(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], ['sat', 'sun', 'mon']),
        4,
      ),
      maxAttempts: some(fc.integer({ min: 1, max: 3 }), 2),
      retryIntervalInMinutes: some(fc.constantFrom(15, 60), 2),
      finishDateTime: some(fc.constant('2024-03-19T00:00:00Z'), 2),
      dialerPriority: some(fc.integer({ min: 1, max: 5 }), 3),
    })
    .map((d) => defined(d) as PolicyFields),
  leaseTimeoutMs: fc.constantFrom(20 * MINUTE, 45 * MINUTE),
  maxTotalAttempts: some(fc.integer({ min: 1, max: 8 }), 3),
  dedupWindowMs: some(fc.constant(2 * HOUR), 3),
  retentionMs: some(fc.constantFrom(0, 3 * HOUR, DAY), 2),
  per24h: some(
    fc.record({
      all: some(fc.constantFrom(1, 1, 2, 3), 4),
      de: some(fc.integer({ min: 1, max: 2 }), 2),
    }),
    2,
  ),
  /** The `doNotCall` option names the phones ending in this digit (section 12). */
  doNotCallDigit: some(fc.constantFrom('3', '6'), 4),
});
/** Places of `appliesTo`: regions of the NANP numbers of PHONES, and countries of others. */
const placesArb = fc.constantFrom(
  { regions: ['US-FL'] },
  { regions: ['US-LA', 'US-NY'] },
  { countries: ['US'] },
  { countries: ['DE', 'RU'] },
);
/** Local dates of the campaigns' days (a Saturday onwards), for blackout dates. */
const blackoutDateArb = fc.constantFrom('2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12', '2024-03-14');
/**
 * A campaign's calling rules (spec section 12): one to three rules of hours, days and blackout dates,
 * some applying only to the places they name.
 */
export const rulesArb: fc.Arbitrary<CallingRule[]> = fc
  .array(
    fc.record({
      appliesTo: some(placesArb, 2),
      allowedDays: some(allowedDaysArb, 3),
      allowedTime: some(allowedTimeArb, 2),
      blackoutDates: some(fc.uniqueArray(blackoutDateArb, { minLength: 1, maxLength: 2 }), 2),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((rules) => rules.map((rule, k) => ({ name: `rule-${k}`, ...defined(rule) }) as CallingRule));

export type Setup = typeof setupArb extends fc.Arbitrary<infer S> ? S : never;

/**
 * The phones of `PHONES` inside Germany for section 12's `appliesTo`: the Berlin number, and those whose
 * place cannot be told (the 555 area codes are unassigned, `123` is no number), which count as inside
 * every place.
 */
const INSIDE_DE = new Set(['4930000002', '15550000001', '15550000006', '123']);

/** The `rules` option of a setup: `maxAttemptsPer24h` for every phone and for German ones. */
export function rulesOf(
  setup: Setup,
): { name: string; maxAttemptsPer24h: number; appliesTo?: { countries: string[] } }[] {
  const rules = [];
  if (setup.per24h?.all !== undefined) rules.push({ name: 'per24h', maxAttemptsPer24h: setup.per24h.all });
  if (setup.per24h?.de !== undefined)
    rules.push({ name: 'per24h-de', appliesTo: { countries: ['DE'] }, maxAttemptsPer24h: setup.per24h.de });
  return rules;
}

/** The model's reading of `rulesOf(setup)`: the smallest cap of the rules that apply to a phone. */
export function capOfPhone(setup: Setup): (phone: string) => number | undefined {
  return (phone) => {
    const caps: number[] = [];
    if (setup.per24h?.all !== undefined) caps.push(setup.per24h.all);
    if (setup.per24h?.de !== undefined && INSIDE_DE.has(phone)) caps.push(setup.per24h.de);
    return caps.length === 0 ? undefined : Math.min(...caps);
  };
}

/** The same entry as section 8 sees it, spelt differently: phone, zone, date forms, set orders, 0 attempts, priority 7. */
export function respell(entry: ModelEntry): ModelEntry {
  const out: ModelEntry = { ...entry };
  const phones = PHONES.filter((p) => phoneDigits(p) === phoneDigits(entry.phone));
  out.phone = phones[(phones.indexOf(entry.phone) + 1) % phones.length]!;
  if (entry.gmtZone !== undefined) {
    const zones = Object.keys(ZONES).filter((z) => ZONES[z]!.id === ZONES[entry.gmtZone!]!.id);
    out.gmtZone = zones[(zones.indexOf(entry.gmtZone) + 1) % zones.length]!;
  }
  for (const key of ['startDateTime', 'finishDateTime'] as const) {
    const value = entry[key];
    if (typeof value === 'number') out[key] = new Date(value).toISOString();
    else if (value !== undefined && /(Z|[+-]\d{2}:\d{2})$/.test(value)) out[key] = Date.parse(value);
    else if (value !== undefined) out[key] = value.length === 16 ? `${value}:00` : value.slice(0, 16);
  }
  if (entry.allowedDays !== undefined)
    out.allowedDays = [...entry.allowedDays].reverse().concat(entry.allowedDays);
  if (entry.allowedTime !== undefined) {
    out.allowedTime = Object.fromEntries(
      Object.entries(entry.allowedTime)
        .reverse()
        .map(([key, list]) => [key, [...list].reverse()]),
    );
  }
  if (entry.maxAttempts === 0) delete out.maxAttempts;
  else if (entry.maxAttempts === undefined) out.maxAttempts = 0;
  if (entry.dialerPriority === 5) out.dialerPriority = 7;
  else if (entry.dialerPriority === 7) out.dialerPriority = 5;
  const payload = entry.payload;
  if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    out.payload = Object.fromEntries(Object.entries(payload).reverse());
  }
  return out;
}

export type RedialSpec = {
  kind: 'ok' | 'noStart' | 'zone';
  startInMinutes: number;
  startAsIso: boolean;
  allowedTime: Record<string, Interval[]> | undefined;
  dialerPriority: number | undefined;
  maxAttempts: number | undefined;
  retryIntervalInMinutes: number | undefined;
};
export const redialSpecArb: fc.Arbitrary<RedialSpec> = fc.record({
  kind: fc.oneof(
    { weight: 8, arbitrary: fc.constant('ok' as const) },
    fc.constantFrom('noStart' as const, 'zone' as const),
  ),
  startInMinutes: fc.integer({ min: 0, max: 30 * 60 }),
  startAsIso: fc.boolean(),
  allowedTime: some(allowedTimeArb, 2),
  dialerPriority: some(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) }, fc.constant(9)), 2),
  maxAttempts: some(fc.integer({ min: 0, max: 7 }), 2),
  retryIntervalInMinutes: some(fc.constantFrom(5, 30, 120), 2),
});
