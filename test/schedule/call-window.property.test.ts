import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyInput } from '../../src/policy/types.js';
import { instantArb, policyArb } from '../oracles/window-arbitraries.js';
import { expectAsOracle } from '../oracles/window-check.js';
import { type OraclePolicy, WindowOracle } from '../oracles/window-oracle.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 2000);
/** Cases on which the fast oracle is checked against the slow minute scan (about 30 ms each). */
const CROSS_CHECK_RUNS = Number(process.env.FC_CROSS_CHECK_RUNS ?? 60);
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
        expectAsOracle(oracle, policy as PolicyInput, fromMs, options);
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
        const slow = new WindowOracle(policy as OraclePolicy, (defaults ?? {}) as OraclePolicy, {
          scan: 'minutes',
        });
        expect([fast.startMs, fast.finishMs]).toEqual([slow.startMs, slow.finishMs]);
        fc.pre(slow.startMs < slow.finishMs);
        expect(fast.nextWindow(fromMs)).toEqual(slow.nextWindow(fromMs));
      }),
      { numRuns: CROSS_CHECK_RUNS },
    );
  });
});
