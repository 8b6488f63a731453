import { pathToFileURL } from 'node:url';
import { isCallAllowed, nextCallWindow, US_RULES } from '../src/index.js';
import { cycling, measure } from './harness.js';
import { syntheticQueries } from './next-call-window.js';

/** Figures of the calling-rules scenario, ns per query. */
export interface NextCallWindowRulesFigures {
  readonly policies: number;
  /** nextCallWindow without rules. */
  readonly nsPerOp: number;
  /** nextCallWindow on the same queries with `{ rules: US_RULES }`. */
  readonly usRulesNsPerOp: number;
  readonly isCallAllowedNsPerOp: number;
  readonly usRulesIsCallAllowedNsPerOp: number;
}

/**
 * `nextCallWindow` and `isCallAllowed` over the queries of the window scenario (`syntheticQueries`), with
 * the built-in US rules laid over every policy, against the same queries without rules, in one tinybench
 * run. With no phone every rule applies: the hours and days of all of them (Monday to Saturday,
 * 10:00-20:00) and the holidays of Alabama, Louisiana and Utah. Run last: the holiday calendar it loads
 * stays in memory, and would count in the memory figures of the scenarios after it.
 */
export async function benchNextCallWindowRules(
  count = 10_000,
  timeMs = 1500,
): Promise<NextCallWindowRulesFigures> {
  const { policies, instants } = syntheticQueries(count);
  const withUsRules = { rules: US_RULES };
  // Warm-up: compile every policy with and without the rules, and read the holidays they need.
  for (let i = 0; i < count; i++) {
    nextCallWindow(policies[i]!, instants[i]!);
    nextCallWindow(policies[i]!, instants[i]!, withUsRules);
  }
  const task = (name: string, op: (i: number) => unknown) => ({
    name,
    opsPerBatch: 1000,
    batch: cycling(count, 1000, op),
  });
  const figures = await measure(
    [
      task('nextCallWindow', (i) => nextCallWindow(policies[i]!, instants[i]!)),
      task('nextCallWindow US rules', (i) => nextCallWindow(policies[i]!, instants[i]!, withUsRules)),
      task('isCallAllowed', (i) => isCallAllowed(policies[i]!, instants[i]!)),
      task('isCallAllowed US rules', (i) => isCallAllowed(policies[i]!, instants[i]!, withUsRules)),
    ],
    timeMs,
  );
  return {
    policies: count,
    nsPerOp: figures.nextCallWindow!,
    usRulesNsPerOp: figures['nextCallWindow US rules']!,
    isCallAllowedNsPerOp: figures.isCallAllowed!,
    usRulesIsCallAllowedNsPerOp: figures['isCallAllowed US rules']!,
  };
}

// Run alone: `node --import tsx bench/next-call-window-rules.ts` prints this scenario's figures.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchNextCallWindowRules();
  const ns = (value: number) => `${value.toFixed(1)} ns`;
  console.table({
    nextCallWindow: { 'no rules': ns(figures.nsPerOp), US_RULES: ns(figures.usRulesNsPerOp) },
    isCallAllowed: {
      'no rules': ns(figures.isCallAllowedNsPerOp),
      US_RULES: ns(figures.usRulesIsCallAllowedNsPerOp),
    },
  });
  console.log(
    `nextCallWindow with US_RULES: ${(figures.usRulesNsPerOp / figures.nsPerOp).toFixed(2)}x without rules`,
  );
}
