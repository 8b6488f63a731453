import { expect } from 'vitest';
import { type CallWindowOptions, isCallAllowed, nextCallWindow, type PolicyInput } from '../../src/index.js';
import type { WindowOracle } from './window-oracle.js';

/**
 * Expects `nextCallWindow` and `isCallAllowed` to answer one query as the oracle does: the window from
 * `fromMs`, whether `fromMs` is allowed, and whether the instants around both ends of the window are.
 */
export function expectAsOracle(
  oracle: WindowOracle,
  policy: PolicyInput,
  fromMs: number,
  options: CallWindowOptions,
): void {
  const expected = oracle.nextWindow(fromMs);
  expect(nextCallWindow(policy, fromMs, options)).toEqual(expected);
  expect(isCallAllowed(policy, fromMs, options)).toBe(oracle.isAllowed(fromMs));
  if (expected === null) return;
  for (const t of [expected.start - 1, expected.start, expected.end - 1, expected.end]) {
    if (Number.isFinite(t)) expect(isCallAllowed(policy, t, options)).toBe(oracle.isAllowed(t));
  }
}
