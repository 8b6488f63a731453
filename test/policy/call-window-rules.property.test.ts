/**
 * nextCallWindow and isCallAllowed with calling rules (spec section 12: "the exact intersection, DST
 * included, not a minute scan") against the brute-force oracle, which reads the raw rules with luxon
 * and the holiday calendar and shares no code with src/.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallingRule, PolicyInput } from '../../src/index.js';
import {
  allowedDaysArb,
  allowedTimeArb,
  DAYS,
  hhmm,
  instantArb,
  intervalListArb,
  policyArb,
} from '../oracles/window-arbitraries.js';
import { expectAsOracle } from '../oracles/window-check.js';
import { type OraclePolicy, type OracleRule, WindowOracle } from '../oracles/window-oracle.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 1500);
const CROSS_CHECK_RUNS = Number(process.env.FC_CROSS_CHECK_RUNS ?? 30);
const DAY_MS = 86_400_000;

/** Real calendars with holidays that move (Mardi Gras, Easter), and the kinds of holidays beyond public ones. */
const CALENDARS: NonNullable<OracleRule['holidays']>[] = [
  { country: 'US', region: 'US-LA' },
  { country: 'US' },
  { country: 'AU', region: 'AU-NSW', types: ['public', 'observance'] },
  { country: 'DE', region: 'DE-BY', types: ['bank', 'public'] },
];

/** Local dates near an instant (within 12 days either side), in runs of one to four days. */
function blackoutDatesArb(nearMs: number) {
  return fc
    .array(fc.tuple(fc.integer({ min: -12, max: 12 }), fc.integer({ min: 1, max: 4 })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((runs) =>
      runs.flatMap(([offset, length]) =>
        Array.from({ length }, (_, k) => new Date(nearMs + (offset + k) * DAY_MS).toISOString().slice(0, 10)),
      ),
    );
}

/** Calling hours as rules have them: mostly long days (some to 24:00, some overnight), at times any list. */
const ruleTimeArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 26 }), fc.integer({ min: 20, max: 40 }))
      .map(([from, length]) => ({
        default: [
          { localTimeFrom: hhmm(from * 30), localTimeTo: hhmm((from * 30 + length * 30) % 1440 || 1440) },
        ],
      })),
  },
  { weight: 1, arbitrary: allowedTimeArb },
  { weight: 1, arbitrary: intervalListArb.map((list) => ({ default: list })) },
);

/** Days as rules have them: mostly six or seven, at times any. */
const ruleDaysArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...DAYS).map((day) => DAYS.filter((d) => d !== day)) },
  { weight: 1, arbitrary: allowedDaysArb },
);

/** A rule: hours (overnight and 24:00 included), days, blackout dates, holidays, in any mix. */
function ruleArb(nearMs: number, name: string) {
  return fc
    .record(
      {
        allowedDays: ruleDaysArb,
        allowedTime: ruleTimeArb,
        blackoutDates: blackoutDatesArb(nearMs),
        holidays: fc.constantFrom(...CALENDARS),
        maxAttemptsPer24h: fc.integer({ min: 1, max: 5 }),
        appliesTo: fc.constantFrom({ countries: ['US'] }, { regions: ['US-FL', 'CA-NL'] }),
      },
      { requiredKeys: [] },
    )
    .map((fields): OracleRule => ({ name, ...fields }));
}

const rulesArb = (nearMs: number) =>
  fc
    .integer({ min: 1, max: 3 })
    .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => ruleArb(nearMs, `rule-${i}`))));

const caseArb = instantArb.chain((fromMs) =>
  fc.record({
    fromMs: fc.constant(fromMs),
    policy: policyArb(fromMs),
    defaults: fc.option(policyArb(fromMs), { nil: undefined }),
    rules: rulesArb(fromMs),
  }),
);

describe('nextCallWindow with rules (spec §12) against the brute-force oracle', () => {
  it('is the exact intersection of the policy and every rule, blackout days and holidays included', () => {
    fc.assert(
      fc.property(caseArb, ({ fromMs, policy, defaults, rules }) => {
        const oracle = new WindowOracle(policy as OraclePolicy, (defaults ?? {}) as OraclePolicy, { rules });
        fc.pre(oracle.startMs < oracle.finishMs);
        const options = {
          rules: rules as CallingRule[],
          ...(defaults === undefined ? {} : { defaults: defaults as PolicyInput }),
        };
        expectAsOracle(oracle, policy as PolicyInput, fromMs, options);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('WindowOracle with rules', () => {
  it('finds the same windows at candidate instants as by scanning every minute', () => {
    fc.assert(
      fc.property(caseArb, ({ fromMs, policy, defaults, rules }) => {
        const own = [policy as OraclePolicy, (defaults ?? {}) as OraclePolicy] as const;
        const fast = new WindowOracle(...own, { rules });
        const slow = new WindowOracle(...own, { rules, scan: 'minutes' });
        fc.pre(slow.startMs < slow.finishMs);
        expect(fast.nextWindow(fromMs, 30 * DAY_MS)).toEqual(slow.nextWindow(fromMs, 30 * DAY_MS));
      }),
      { numRuns: CROSS_CHECK_RUNS },
    );
  });
});
