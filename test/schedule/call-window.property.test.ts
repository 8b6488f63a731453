import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCallAllowed, nextCallWindow } from '../../src/index.js';
import type { PolicyInput } from '../../src/policy/types.js';
import { type OraclePolicy, transitionsOf, WindowOracle } from '../oracles/window-oracle.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 2000);
/** Cases on which the fast oracle is checked against the slow minute scan (about 30 ms each). */
const CROSS_CHECK_RUNS = Number(process.env.FC_CROSS_CHECK_RUNS ?? 60);
const REGION_ZONES = [
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Havana',
  'Europe/London',
  'Europe/Moscow',
  'Africa/Casablanca',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Australia/Sydney',
  'Pacific/Chatham',
  'Pacific/Apia',
  'America/Phoenix',
];
const FIXED_ZONES = ['Z', '+05:30:15', '-03', 'UTC+3', 'GMT-05:00', '+0545', '-09:30', '+14', 'UT-11:45:30'];
const FROM_MS = Date.parse('2024-01-01T00:00:00Z');
const TO_MS = Date.parse('2031-01-01T00:00:00Z');
const TRANSITIONS = REGION_ZONES.flatMap((zone) => transitionsOf(zone, FROM_MS, TO_MS));
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Minutes of day, biased to the edges and to the hours DST changes touch. */
const minuteArb = fc.oneof(
  fc.integer({ min: 0, max: 1439 }),
  fc.constantFrom(0, 30, 60, 90, 120, 150, 180, 1380, 1410, 1439),
  fc.integer({ min: 0, max: 47 }).map((h) => h * 30),
);

/** A list of non-overlapping intervals (on the 48-hour line), some overnight, some ending 24:00. */
const intervalListArb = fc
  .array(
    fc
      .tuple(minuteArb, fc.oneof(minuteArb, fc.constant(1440)))
      .filter(([from, to]) => from !== to && from < 1440),
    { minLength: 1, maxLength: 4 },
  )
  .map((pairs) => {
    const kept: [number, number][] = [];
    for (const [from, to] of pairs) {
      const end = from < to ? to : to + 1440;
      if (kept.every(([f, t]) => from >= (f < t ? t : t + 1440) || end <= f)) kept.push([from, to]);
    }
    return kept.map(([from, to]) => ({ localTimeFrom: hhmm(from), localTimeTo: hhmm(to) }));
  });

const allowedTimeArb = fc
  .uniqueArray(fc.constantFrom(...DAYS, 'default' as const), { minLength: 1, maxLength: 4 })
  .chain((keys) => fc.tuple(...keys.map((key) => intervalListArb.map((list) => [key, list] as const))))
  .map((entries) => Object.fromEntries(entries));

const allowedDaysArb = fc.array(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 8 });

const zoneArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REGION_ZONES) },
  fc.constantFrom(...FIXED_ZONES),
);

/** An instant in 2024..2030, half of them within three days of a DST change. */
const instantArb = fc.oneof(
  fc.integer({ min: FROM_MS, max: TO_MS }),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }))
    .map(([t, delta]) => t + delta),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -180, max: 180 }))
    .map(([t, minutes]) => t + minutes * 60_000),
);

/** A date-time near an instant, written as epoch ms, ISO with Z, ISO with an offset, or local ISO. */
function dateTimeArb(nearMs: number) {
  return fc
    .tuple(fc.integer({ min: -10 * 1440, max: 20 * 1440 }), fc.integer({ min: 0, max: 3 }))
    .map(([minutes, form]) => {
      const t = Math.floor(nearMs / 60_000) * 60_000 + minutes * 60_000;
      const iso = new Date(t).toISOString().slice(0, 16);
      switch (form) {
        case 0:
          return t;
        case 1:
          return `${iso}:00Z`;
        case 2:
          return `${new Date(t + 5.5 * 3600_000).toISOString().slice(0, 19)}+05:30`;
        default:
          return iso;
      }
    });
}

function policyArb(nearMs: number) {
  return fc.record(
    {
      gmtZone: zoneArb,
      allowedDays: allowedDaysArb,
      allowedTime: allowedTimeArb,
      startDateTime: dateTimeArb(nearMs),
      finishDateTime: dateTimeArb(nearMs + 10 * 86_400_000),
    },
    { requiredKeys: [] },
  );
}

const caseArb = instantArb.chain((fromMs) =>
  fc.record({
    fromMs: fc.constant(fromMs),
    policy: policyArb(fromMs),
    defaults: fc.option(policyArb(fromMs), { nil: undefined }),
  }),
);

describe('nextCallWindow (spec §3) against the brute-force oracle', () => {
  it('equals a scan of the reference rule over local minute boundaries', () => {
    fc.assert(
      fc.property(caseArb, ({ fromMs, policy, defaults }) => {
        const oracle = new WindowOracle(policy as OraclePolicy, (defaults ?? {}) as OraclePolicy);
        fc.pre(oracle.startMs < oracle.finishMs);
        const options = defaults === undefined ? {} : { defaults: defaults as PolicyInput };
        const actual = nextCallWindow(policy as PolicyInput, fromMs, options);
        const expected = oracle.nextWindow(fromMs);
        expect(actual).toEqual(expected);
        expect(isCallAllowed(policy as PolicyInput, fromMs, options)).toBe(oracle.isAllowed(fromMs));
        if (expected !== null) {
          // The instants around both ends agree with the reference too.
          for (const t of [expected.start - 1, expected.start, expected.end - 1, expected.end]) {
            if (Number.isFinite(t))
              expect(isCallAllowed(policy as PolicyInput, t, options)).toBe(oracle.isAllowed(t));
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('WindowOracle', () => {
  it('finds the same windows and start and finish at candidate instants as by scanning every minute', () => {
    fc.assert(
      fc.property(caseArb, ({ fromMs, policy, defaults }) => {
        const fast = new WindowOracle(policy as OraclePolicy, (defaults ?? {}) as OraclePolicy);
        const slow = new WindowOracle(policy as OraclePolicy, (defaults ?? {}) as OraclePolicy, 'minutes');
        expect([fast.startMs, fast.finishMs]).toEqual([slow.startMs, slow.finishMs]);
        fc.pre(slow.startMs < slow.finishMs);
        expect(fast.nextWindow(fromMs)).toEqual(slow.nextWindow(fromMs));
      }),
      { numRuns: CROSS_CHECK_RUNS },
    );
  });
});
