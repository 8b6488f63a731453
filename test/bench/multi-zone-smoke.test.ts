import { describe, expect, it } from 'vitest';
import { benchMultiZoneWindow } from '../../bench/multi-zone-window.js';
import { benchPhoneZones } from '../../bench/phone-zones.js';

// A smoke run of the phone zone benchmark at a tiny size: it must run and agree with its baseline; no timing is asserted.
describe('benchPhoneZones (smoke)', () => {
  it('runs phoneZones, its Map baseline and phonePlace, with no mismatch', async () => {
    const figures = await benchPhoneZones(200, 10);
    expect(figures.phones).toBe(200);
    expect(figures.mismatches).toBe(0);
    expect([figures.nsPerOp, figures.mapNsPerOp, figures.phonePlaceNsPerOp].every(Number.isFinite)).toBe(
      true,
    );
  });
});

describe('benchMultiZoneWindow (smoke)', () => {
  it('runs nextWindow in one, two and three zones', async () => {
    const figures = await benchMultiZoneWindow(200, 10);
    expect(figures.queries).toBe(200);
    expect(
      [figures.oneZoneNsPerOp, figures.twoZonesNsPerOp, figures.threeZonesNsPerOp].every(Number.isFinite),
    ).toBe(true);
  });
});
