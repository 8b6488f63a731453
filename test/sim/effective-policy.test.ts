import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCallAllowed, type PolicyInput } from '../../src/index.js';
import { EffectivePolicyTable, effectivePolicy, inFirstZone } from '../../src/sim/effective-policy.js';
import { syntheticBody, syntheticDefaults } from '../../src/sim/synthetic-campaign.js';

const START_MS = Date.parse('2024-03-09T00:00:00Z');
const iv = (localTimeFrom: string, localTimeTo: string) => ({ localTimeFrom, localTimeTo });

describe('effectivePolicy', () => {
  it('takes each field from the entry, else the defaults, and the zone else UTC', () => {
    expect(effectivePolicy({}, {})).toEqual({ gmtZone: 'UTC' });
    expect(
      effectivePolicy(
        { startDateTime: '2024-03-10T09:00', allowedDays: ['fri', 'mon', 'mon'] },
        { gmtZone: 'Europe/Berlin', finishDateTime: 1_710_000_000_000, allowedDays: ['sat'] },
      ),
    ).toEqual({
      gmtZone: 'Europe/Berlin',
      allowedDays: ['mon', 'fri'],
      startDateTime: '2024-03-10T09:00',
      finishDateTime: 1_710_000_000_000,
    });
  });

  it('merges allowedTime per day: entry day, entry default, defaults day, defaults default, whole day', () => {
    const policy = effectivePolicy(
      { allowedTime: { sat: [iv('10:00', '12:00')] } },
      { allowedTime: { sun: [iv('12:00', '14:00')], mon: [iv('08:00', '09:00')] } },
    );
    expect(policy.allowedTime).toEqual({
      mon: [iv('08:00', '09:00')],
      sat: [iv('10:00', '12:00')],
      sun: [iv('12:00', '14:00')],
      default: [iv('00:00', '24:00')],
    });
    expect(
      effectivePolicy(
        { allowedTime: { default: [iv('09:00', '17:00')] } },
        { allowedTime: { sat: [iv('10:00', '11:00')] } },
      ).allowedTime,
    ).toEqual({ default: [iv('09:00', '17:00')] });
  });

  it('keeps the zone it is given (a redial keeps its number zone)', () => {
    expect(
      effectivePolicy({ allowedTime: { default: [iv('18:00', '21:00')] } }, { gmtZone: 'UTC' }, '+0530')
        .gmtZone,
    ).toBe('+0530');
  });

  it('allows exactly the instants the library allows for the entry over the defaults', () => {
    const defaults = syntheticDefaults(START_MS);
    const body = syntheticBody({ numbers: 400, seed: 11, startMs: START_MS });
    const table = new EffectivePolicyTable(defaults);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: body.length - 1 }),
        fc.integer({ min: START_MS - 2 * 86_400_000, max: START_MS + 20 * 86_400_000 }),
        (k, atMs) => {
          const entry = body[k] as PolicyInput;
          const effective = inFirstZone(table.records[table.intern(entry)]!.policy);
          expect(isCallAllowed(effective, atMs)).toBe(isCallAllowed(entry, atMs, { defaults }));
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });
});
