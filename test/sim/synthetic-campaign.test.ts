import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Campaign, parseGmtZone } from '../../src/index.js';
import { phonePlace } from '../../src/rules/phone-place.js';
import { Random } from '../../src/sim/random.js';
import {
  syntheticBody,
  syntheticDefaults,
  syntheticEntries,
  writeSyntheticBody,
} from '../../src/sim/synthetic-campaign.js';
import { SYNTHETIC_CALLEE_ZONES, syntheticPhone } from '../../src/sim/synthetic-zones.js';

const START_MS = Date.parse('2024-03-09T00:00:00Z');

describe('syntheticEntries', () => {
  it('gives the same body for the same seed and another for another seed', () => {
    const a = syntheticBody({ numbers: 500, seed: 7, startMs: START_MS });
    const b = syntheticBody({ numbers: 500, seed: 7, startMs: START_MS });
    const c = syntheticBody({ numbers: 500, seed: 8, startMs: START_MS });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('makes a body the campaign accepts, with warnings for the invalid priorities and some duplicates', () => {
    const body = syntheticBody({ numbers: 3000, seed: 1, startMs: START_MS });
    const campaign = new Campaign({ defaults: syntheticDefaults(START_MS) });
    const result = campaign.addPhones(body, { now: START_MS });
    expect(result.rejected).toEqual([]);
    expect(result.warnings.length).toBeGreaterThan(0);
    expect(result.warnings.every((w) => w.code === 'invalid.dialer_priority')).toBe(true);
    expect(result.duplicates.length).toBeGreaterThan(30);
    expect(result.duplicates.length).toBeLessThan(200);
  });

  it('mixes every zone form, phone form and policy shape', () => {
    const body = syntheticBody({ numbers: 5000, seed: 1, startMs: START_MS });
    const zones = new Set(body.map((e) => e.gmtZone));
    for (const zone of ['America/Phoenix', 'Pacific/Honolulu', 'America/St_Johns', 'Australia/Lord_Howe']) {
      expect(zones).toContain(zone);
    }
    for (const zone of ['Pacific/Chatham', 'Asia/Kathmandu', 'GMT-5', 'UTC+3', '+0530', 'Z', undefined]) {
      expect(zones).toContain(zone);
    }
    expect(body.some((e) => typeof e.phone === 'number')).toBe(true);
    expect(body.some((e) => typeof e.phone === 'string' && e.phone.includes('('))).toBe(true);
    expect(body.some((e) => e.allowedTime?.sat !== undefined && e.allowedTime.default !== undefined)).toBe(
      true,
    );
    expect(
      body.some((e) =>
        e.allowedTime?.default?.some((i) => i.localTimeFrom > i.localTimeTo && i.localTimeTo !== '24:00'),
      ),
    ).toBe(true);
    expect(body.some((e) => typeof e.startDateTime === 'number')).toBe(true);
    expect(
      body.some((e) => typeof e.finishDateTime === 'string' && !/Z|[+-]\d\d:\d\d$/.test(e.finishDateTime)),
    ).toBe(true);
    expect(new Set(body.map((e) => e.dialerPriority))).toEqual(
      new Set([undefined, 1, 2, 3, 4, 5, 0, 7, '2', 2.5, null, -1]),
    );
  });

  it('writes only zones that parse and phones that are unique per serial', () => {
    for (const zone of SYNTHETIC_CALLEE_ZONES) expect(() => parseGmtZone(zone.gmtZone)).not.toThrow();
    const phones = [...syntheticEntries({ numbers: 2000, seed: 3, startMs: START_MS })].map((e) =>
      String(e.phone).replace(/\D/g, ''),
    );
    // Repeats come only from the duplicates (about 4%).
    expect(new Set(phones).size).toBeGreaterThan(1900);
  });
});

describe('synthetic numbers', () => {
  it('are valid numbers whose digits tell their country, and the state of US numbers (§12)', () => {
    const random = new Random(3);
    const regions = new Set<string>();
    for (const zone of SYNTHETIC_CALLEE_ZONES) {
      for (const serial of [0, 1, 4_321, 99_999, 123_456]) {
        const digits = String(syntheticPhone(random, zone, serial)).replace(/\D/g, '');
        const place = phonePlace(digits);
        expect(place, `${zone.gmtZone} ${digits}`).toBeDefined();
        if (zone.countryCode === '1') {
          expect(place!.region, digits).toMatch(/^(US|CA)-[A-Z]{2}$/);
          regions.add(place!.region!);
        }
      }
    }
    // The strict states of US_STATE_RULES are all dialed.
    for (const state of ['AL', 'CT', 'FL', 'KY', 'LA', 'MA', 'MD', 'MS', 'OK', 'TX', 'UT', 'WA'])
      expect(regions).toContain(`US-${state}`);
  });

  it('leave out the zone of about 15% of the entries, and the defaults give none (§4, §12)', () => {
    expect(syntheticDefaults(START_MS).gmtZone).toBeUndefined();
    const body = syntheticBody({ numbers: 4000, seed: 2, startMs: START_MS });
    const zoneless = body.filter((e) => e.gmtZone === undefined).length / body.length;
    expect(zoneless).toBeGreaterThan(0.12);
    expect(zoneless).toBeLessThan(0.18);
  });
});

describe('writeSyntheticBody', () => {
  it('writes the body as a JSON array equal to the generated one', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dialer-sim-')), 'body.json');
    const options = { numbers: 1200, seed: 5, startMs: START_MS };
    expect(writeSyntheticBody(path, options)).toBe(1200);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(syntheticBody(options));
  });
});
