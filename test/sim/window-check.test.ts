import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCallAllowed } from '../../src/index.js';
import { EffectivePolicyTable, inFirstZone } from '../../src/sim/effective-policy.js';
import { syntheticBody, syntheticDefaults } from '../../src/sim/synthetic-campaign.js';
import { windowChecker } from '../../src/sim/window-check.js';

const iv = (localTimeFrom: string, localTimeTo: string) => ({ localTimeFrom, localTimeTo });
const at = (iso: string) => Date.parse(iso);

describe('windowChecker', () => {
  it('skips the wall-clock times a spring-forward gap removes (America/New_York 2024-03-10)', () => {
    const check = windowChecker({
      gmtZone: 'America/New_York',
      allowedTime: { default: [iv('02:30', '04:00')] },
    });
    expect(check.violation(at('2024-03-10T06:59:59Z'))).toBeDefined();
    // 03:00 EDT is the first allowed instant that day.
    expect(check.violation(at('2024-03-10T07:00:00Z'))).toBeUndefined();
    expect(check.violation(at('2024-03-10T08:00:00Z'))).toBeDefined();
  });

  it('allows the repeated hour of a fold both times (America/New_York 2024-11-03)', () => {
    const check = windowChecker({
      gmtZone: 'America/New_York',
      allowedTime: { default: [iv('01:00', '02:00')] },
    });
    expect(check.violation(at('2024-11-03T05:30:00Z'))).toBeUndefined();
    expect(check.violation(at('2024-11-03T06:30:00Z'))).toBeUndefined();
    expect(check.violation(at('2024-11-03T07:00:00Z'))).toBeDefined();
  });

  it("gives an overnight interval's after-midnight part to the day it starts on", () => {
    const check = windowChecker({
      gmtZone: 'Asia/Kathmandu',
      allowedDays: ['mon'],
      allowedTime: { default: [iv('20:00', '03:00')] },
    });
    // Tuesday 02:59 in Kathmandu (+05:45) is Monday night's window; Tuesday 20:00 is not allowed.
    expect(check.violation(at('2024-03-11T21:14:00Z'))).toBeUndefined();
    expect(check.violation(at('2024-03-11T21:15:00Z'))).toContain('not an allowed day');
    expect(check.violation(at('2024-03-12T14:15:00Z'))).toBeDefined();
  });

  it('reads fixed offsets with seconds and the UTC/GMT prefixes', () => {
    const check = windowChecker({ gmtZone: '+05:30:15', allowedTime: { default: [iv('09:00', '10:00')] } });
    expect(check.violation(at('2024-06-01T03:29:45Z'))).toBeUndefined();
    expect(check.violation(at('2024-06-01T03:29:44Z'))).toBeDefined();
    const gmt = windowChecker({ gmtZone: 'GMT-5', allowedTime: { default: [iv('09:00', '10:00')] } });
    expect(gmt.violation(at('2024-06-01T14:00:00Z'))).toBeUndefined();
  });

  it('reads local start and finish dates in every zone of a number of several (§12)', () => {
    const check = windowChecker({
      gmtZone: ['America/New_York', 'America/Chicago'],
      startDateTime: '2024-06-03T09:00:00',
      finishDateTime: '2024-06-03T17:00:00',
    });
    // 09:30 in New York is 08:30 in Chicago: before the start there.
    expect(check.violation(at('2024-06-03T13:30:00Z'))).toContain(
      'before startDateTime 2024-06-03T14:00:00.000Z',
    );
    expect(check.violation(at('2024-06-03T14:00:00Z'))).toBeUndefined();
    // 16:30 in Chicago is 17:30 in New York: past the finish there.
    expect(check.violation(at('2024-06-03T21:30:00Z'))).toContain('finishDateTime 2024-06-03T21:00:00.000Z');
  });

  it('reads local start dates in the zone: a gap moves forward, a fold takes the earlier instant', () => {
    const gap = windowChecker({ gmtZone: 'America/New_York', startDateTime: '2024-03-10T02:30' });
    expect(gap.violation(at('2024-03-10T07:29:59Z'))).toContain('before startDateTime');
    expect(gap.violation(at('2024-03-10T07:30:00Z'))).toBeUndefined();
    const fold = windowChecker({ gmtZone: 'America/New_York', finishDateTime: '2024-11-03T01:30:00' });
    expect(fold.violation(at('2024-11-03T05:29:59Z'))).toBeUndefined();
    expect(fold.violation(at('2024-11-03T05:30:00Z'))).toContain('finishDateTime');
  });

  it('rejects a policy it cannot read', () => {
    expect(() => windowChecker({ gmtZone: 'Mars/Olympus' })).toThrow(/not a zone/);
    expect(() => windowChecker({ allowedTime: { default: [iv('25:00', '26:00')] } })).toThrow(/HH:mm/);
  });

  it('agrees with isCallAllowed on synthetic policies at random instants', () => {
    const startMs = at('2024-03-09T00:00:00Z');
    const defaults = syntheticDefaults(startMs);
    const table = new EffectivePolicyTable(defaults);
    const body = syntheticBody({ numbers: 600, seed: 5, startMs });
    const policies = body.map((entry) => inFirstZone(table.records[table.intern(entry)]!.policy));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: policies.length - 1 }),
        fc.integer({ min: startMs - 3 * 86_400_000, max: startMs + 30 * 86_400_000 }),
        (k, atMs) => {
          const policy = policies[k]!;
          expect(windowChecker(policy).violation(atMs) === undefined).toBe(isCallAllowed(policy, atMs));
        },
      ),
      { numRuns: 4000, seed: 7 },
    );
  });
});
