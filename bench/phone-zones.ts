import { pathToFileURL } from 'node:url';
import { PHONE_ZONE_LINES } from '../src/rules/data/phone-zones.js';
import { phonePlace, phoneZones } from '../src/rules/phone-place.js';
import { Random } from '../src/sim/random.js';
import { cycling, measure } from './harness.js';

/** Figures of the phone zone lookup scenario, ns per lookup. */
export interface PhoneZonesFigures {
  readonly phones: number;
  /** `phoneZones` (the digit trie). */
  readonly nsPerOp: number;
  /** Baseline: longest prefix in a Map of the same entries, one `slice` and `get` per length tried. */
  readonly mapNsPerOp: number;
  /** `phonePlace` (libphonenumber-js validity check, then the trie and the region table). */
  readonly phonePlaceNsPerOp: number;
  /** Phones whose zones the trie and the Map baseline disagree on (should be 0). */
  readonly mismatches: number;
}

/**
 * The zones of a phone number without an explicit zone, as addPhones needs them (spec section 12):
 * `phoneZones` against a Map-based longest prefix and against `phonePlace`, over `count` numbers: a
 * prefix of the map followed by random digits up to 11 to 13 digits, in one tinybench run.
 */
export async function benchPhoneZones(count = 100_000, timeMs = 1500): Promise<PhoneZonesFigures> {
  const prefixes = PHONE_ZONE_LINES.split('\n').map((line) => line.slice(0, line.indexOf('|')));
  const byPrefix = new Map(
    PHONE_ZONE_LINES.split('\n').map((line) => [
      line.slice(0, line.indexOf('|')),
      line.slice(line.indexOf('|') + 1),
    ]),
  );
  const maxLength = Math.max(...prefixes.map((prefix) => prefix.length));
  const mapZones = (digits: string): string | undefined => {
    for (let length = Math.min(maxLength, digits.length); length > 0; length--) {
      const zones = byPrefix.get(digits.slice(0, length));
      if (zones !== undefined) return length === 1 && digits[0] === '1' ? undefined : zones;
    }
    return undefined;
  };
  const random = new Random(11);
  const phones: string[] = [];
  for (let i = 0; i < count; i++) {
    let digits = prefixes[random.int(0, prefixes.length - 1)]!;
    const length = random.int(11, 13);
    while (digits.length < length) digits += String(random.int(0, 9));
    phones.push(digits);
  }
  let mismatches = 0;
  for (const digits of phones) {
    const zones = phoneZones(digits);
    const expected = mapZones(digits);
    if ((expected === undefined ? '' : expected.split('&').sort().join('&')) !== zones.join('&'))
      mismatches++;
  }
  phonePlace(phones[0]!);
  const figures = await measure(
    [
      { name: 'phoneZones', opsPerBatch: 1000, batch: cycling(count, 1000, (i) => phoneZones(phones[i]!)) },
      {
        name: 'Map longest prefix',
        opsPerBatch: 1000,
        batch: cycling(count, 1000, (i) => mapZones(phones[i]!)),
      },
      { name: 'phonePlace', opsPerBatch: 100, batch: cycling(count, 100, (i) => phonePlace(phones[i]!)) },
    ],
    timeMs,
  );
  return {
    phones: count,
    nsPerOp: figures.phoneZones!,
    mapNsPerOp: figures['Map longest prefix']!,
    phonePlaceNsPerOp: figures.phonePlace!,
    mismatches,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchPhoneZones();
  console.log(
    `phoneZones ${figures.nsPerOp.toFixed(0)} ns/lookup, Map longest prefix ${figures.mapNsPerOp.toFixed(0)} ns/lookup, ` +
      `phonePlace ${figures.phonePlaceNsPerOp.toFixed(0)} ns/lookup (${figures.phones} phones, ${figures.mismatches} mismatches)`,
  );
}
