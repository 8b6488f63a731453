import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHONE_ZONE_LINES } from '../../src/rules/data/phone-zones.js';
import { phonePlace, phoneZones } from '../../src/rules/phone-place.js';
import { zoneRulesOf } from '../../src/schedule/gmt-zone.js';

/** The map as written, `prefix -> zones` (sorted), for a naive longest-prefix reading. */
const ENTRIES = new Map(
  PHONE_ZONE_LINES.split('\n').map((line) => {
    const [prefix, zones] = line.split('|') as [string, string];
    return [prefix, zones.split('&').sort()];
  }),
);

/** Longest prefix by trying every length, the calling code `1` entry read as unknown. */
function naiveZones(digits: string): string[] {
  const plain = digits.replace(/^\+/, '').replace(/\D.*$/, '');
  for (let length = plain.length; length > 0; length--) {
    const prefix = plain.slice(0, length);
    const zones = ENTRIES.get(prefix);
    if (zones !== undefined) return prefix === '1' ? [] : zones;
  }
  return [];
}

describe('phoneZones (spec §12, zone from the phone)', () => {
  it('tells the zone of a New York number', () => {
    expect(phoneZones('12125550123')).toEqual(['America/New_York']);
    expect(phoneZones('+12125550123')).toBe(phoneZones('12125550123'));
  });

  it('tells the zone of a Chicago number', () => {
    expect(phoneZones('13125550123')).toEqual(['America/Chicago']);
  });

  it('names every zone of an Alaska area code that spans zones, and a Juneau exchange alone', () => {
    expect(phoneZones('19075550123')).toEqual(['America/Adak', 'America/Anchorage']);
    expect(phoneZones('19072220123')).toEqual(['America/Juneau']);
  });

  it('tells a London, an Indian (Asia/Calcutta, as the map spells it) and a Sydney number', () => {
    expect(phoneZones('442079460000')).toEqual(['Europe/London']);
    expect(phoneZones('919876543210')).toEqual(['Asia/Calcutta']);
    expect(phoneZones('61291234567')).toEqual(['Australia/Sydney']);
  });

  it('reads the catch-all of calling code 1 as unknown: toll-free and unassigned area codes', () => {
    expect(phoneZones('18005550123')).toEqual([]);
    expect(phoneZones('19995550123')).toEqual([]);
    expect(phoneZones('1')).toEqual([]);
  });

  it('returns an empty list when the map has no entry', () => {
    expect(phoneZones('')).toEqual([]);
    expect(phoneZones('+')).toEqual([]);
    expect(phoneZones('0123')).toEqual([]);
    expect(phoneZones('x12125550123')).toEqual([]);
  });

  it('returns frozen arrays shared by equal lists', () => {
    expect(Object.isFrozen(phoneZones('12125550123'))).toBe(true);
    expect(Object.isFrozen(phoneZones('0'))).toBe(true);
    expect(phoneZones('12125550123')).toBe(phoneZones('17185550123'));
    expect(phoneZones('0')).toBe(phoneZones('18005550123'));
  });

  it('agrees with phonePlace on valid numbers', () => {
    for (const digits of [
      '12125550123',
      '13125550123',
      '19075550123',
      '442079460000',
      '919876543210',
      '61291234567',
    ]) {
      expect(phonePlace(digits)?.zones).toBe(phoneZones(digits));
    }
  });

  it('names only zones that our zone rules read (old IDs such as Asia/Calcutta and Europe/Kyiv included)', () => {
    const ids = new Set([...ENTRIES.values()].flat());
    const summer = Date.parse('2024-07-01T00:00:00Z');
    for (const id of ids) expect(Number.isFinite(zoneRulesOf(id).offsetSecondsAt(summer)), id).toBe(true);
    expect(zoneRulesOf('Asia/Calcutta').offsetSecondsAt(summer)).toBe(19_800);
  });

  it('equals a naive longest-prefix reading of the map, for every entry and random digits', () => {
    for (const prefix of ENTRIES.keys()) {
      expect(phoneZones(prefix)).toEqual(naiveZones(prefix));
      expect(phoneZones(`${prefix}0123456`)).toEqual(naiveZones(`${prefix}0123456`));
    }
    const digitsArb = fc.oneof(
      fc.stringMatching(/^\+?[0-9]{0,15}$/),
      fc
        .constantFrom(...ENTRIES.keys())
        .chain((prefix) => fc.stringMatching(/^[0-9]{0,8}$/).map((rest) => prefix + rest)),
    );
    fc.assert(
      fc.property(digitsArb, (digits) => {
        expect(phoneZones(digits)).toEqual(naiveZones(digits));
      }),
      { numRuns: 1000 },
    );
  });
});
