/**
 * explainCall (spec §12, "Explain") against brute-force oracles that share no code with src/: callable
 * is isCallAllowed's answer, the layers that block are exactly those whose oracle blocks, each reason's
 * untilMs is its layer's first allowed instant found by the luxon scan, and there are no reasons
 * exactly when the call is allowed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallingRule, explainCall, isCallAllowed, type PolicyInput } from '../../src/index.js';
import { oracleLayers } from '../oracles/explain-oracle.js';
import {
  allowedDaysArb,
  allowedTimeArb,
  DAYS,
  hhmm,
  instantArb,
  intervalListArb,
  policyArb,
} from '../oracles/window-arbitraries.js';
import { type OraclePolicy, type OracleRule, WindowOracle } from '../oracles/window-oracle.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 400);
const DAY_MS = 86_400_000;

/** A rule with some of: long hours (overnight, 24:00), days, blackout dates near the instant, a holiday calendar. */
function ruleArb(nearMs: number, name: string) {
  return fc
    .record(
      {
        allowedDays: fc.oneof(
          fc.constantFrom(...DAYS).map((day) => DAYS.filter((d) => d !== day)),
          allowedDaysArb,
        ),
        allowedTime: fc.oneof(
          fc
            .tuple(fc.integer({ min: 0, max: 26 }), fc.integer({ min: 20, max: 40 }))
            .map(([from, length]) => ({
              default: [
                {
                  localTimeFrom: hhmm(from * 30),
                  localTimeTo: hhmm((from * 30 + length * 30) % 1440 || 1440),
                },
              ],
            })),
          allowedTimeArb,
          intervalListArb.map((list) => ({ default: list })),
        ),
        blackoutDates: fc
          .array(fc.integer({ min: -6, max: 6 }), { minLength: 1, maxLength: 4 })
          .map((days) => days.map((k) => new Date(nearMs + k * DAY_MS).toISOString().slice(0, 10))),
        holidays: fc.constantFrom({ country: 'US', region: 'US-LA' }, { country: 'US' }),
      },
      { requiredKeys: [] },
    )
    .map((fields): OracleRule => ({ name, ...fields }));
}

const caseArb = instantArb.chain((atMs) =>
  fc.record({
    atMs: fc.constant(atMs),
    policy: policyArb(atMs),
    defaults: fc.option(policyArb(atMs), { nil: undefined }),
    rules: fc
      .integer({ min: 0, max: 2 })
      .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => ruleArb(atMs, `rule-${i}`)))),
  }),
);

describe('explainCall (§12) against the oracles', () => {
  it('blames exactly the layers that block, each with its exact untilMs, and none when callable', () => {
    fc.assert(
      fc.property(caseArb, ({ atMs, policy, defaults, rules }) => {
        const whole = new WindowOracle(policy as OraclePolicy, (defaults ?? {}) as OraclePolicy, { rules });
        fc.pre(whole.startMs < whole.finishMs);
        const options = {
          rules: rules as CallingRule[],
          ...(defaults === undefined ? {} : { defaults: defaults as PolicyInput }),
        };
        const explanation = explainCall(policy as PolicyInput, atMs, options);
        expect(explanation.callable).toBe(isCallAllowed(policy as PolicyInput, atMs, options));
        expect(explanation.callable).toBe(whole.isAllowed(atMs));
        expect(explanation.reasons.length === 0).toBe(explanation.callable);
        const expected = oracleLayers(policy as OraclePolicy, defaults as OraclePolicy | undefined, rules)
          .filter((layer) => !layer.isAllowed(atMs))
          .map((layer) => ({ layer: layer.layer, untilMs: layer.nextAllowed(atMs) }));
        expect(explanation.reasons.map(({ layer, untilMs }) => ({ layer, untilMs }))).toEqual(expected);
        expect(explanation.nextAttemptAt).toBe(whole.nextWindow(atMs)?.start ?? null);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
