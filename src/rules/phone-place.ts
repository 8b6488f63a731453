import { createRequire } from 'node:module';
import { NANP_REGION_LINES } from './data/nanp-regions.js';
import { PHONE_ZONE_LINES } from './data/phone-zones.js';

/** Where a phone number is, as its digits tell: the place a rule's `appliesTo` is matched against. */
export interface PhonePlace {
  /** ISO 3166-1 alpha-2, such as `US` (`PR`, `GU`, `CA`, `JM` for the other NANP countries). */
  readonly country: string;
  /** ISO 3166-2, such as `US-NY` or `CA-ON`: only for US and Canadian numbers whose area code tells it. */
  readonly region?: string;
  /**
   * IANA zone IDs of the number's area, sorted, as Google's time-zone map spells them (it keeps old
   * names such as `Asia/Calcutta`); several when the area spans zones. Empty when the map has no entry
   * ({@link phoneZones}).
   */
  readonly zones: readonly string[];
}

/** Longest prefix table: `prefix -> value`, with the longest prefix length to try first. */
interface PrefixTable<T> {
  readonly byPrefix: ReadonlyMap<string, T>;
  readonly maxLength: number;
}

let regionTable: PrefixTable<string> | undefined;
let regions: ReadonlySet<string> | undefined;
type PhoneNumbers = typeof import('libphonenumber-js/max');
let phoneNumbers: PhoneNumbers | undefined;

/**
 * The phone-number package with its "max" metadata, loaded on first use: it takes some 40 ms to load,
 * which a program that never looks a place up should not pay when it imports the library.
 */
function phoneNumbersModule(): PhoneNumbers {
  phoneNumbers ??= createRequire(import.meta.url)('libphonenumber-js/max') as PhoneNumbers;
  return phoneNumbers;
}

/** Whether `country` (ISO 3166-1 alpha-2) is one that {@link phonePlace} can return, such as `US` or `PR`. */
export function isPhoneCountry(country: string): boolean {
  return phoneNumbersModule().isSupportedCountry(country);
}

/** Whether `region` (ISO 3166-2) is one that {@link phonePlace} can return, such as `US-NY` or `CA-ON`. */
export function isPhoneRegion(region: string): boolean {
  regionTable ??= parseTable(NANP_REGION_LINES, (text) => text);
  regions ??= new Set(regionTable.byPrefix.values());
  return regions.has(region);
}

function parseTable<T>(lines: string, parseValue: (text: string) => T): PrefixTable<T> {
  const byPrefix = new Map<string, T>();
  let maxLength = 0;
  for (const line of lines.split('\n')) {
    const bar = line.indexOf('|');
    const prefix = line.slice(0, bar);
    byPrefix.set(prefix, parseValue(line.slice(bar + 1)));
    if (prefix.length > maxLength) maxLength = prefix.length;
  }
  return { byPrefix, maxLength };
}

function longestPrefix<T>(table: PrefixTable<T>, digits: string): T | undefined {
  for (let length = Math.min(table.maxLength, digits.length); length > 0; length--) {
    const value = table.byPrefix.get(digits.slice(0, length));
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * The place and time zones of a phone number, read as an international number (country calling code
 * first, as the entry's digits are stored), or `undefined` when the place cannot be told: the digits
 * are not a valid number of any country (`libphonenumber-js` "max" metadata: unassigned area codes,
 * wrong lengths, unknown calling codes) or belong to no country (`+800` freephone, `+881` satellite).
 *
 * Country and validity come from `libphonenumber-js`; zones from Google libphonenumber's time-zone map
 * as {@link phoneZones} reads it and, for US and Canadian numbers, the state or province from its geocoding data (tables under
 * `data/`, longest prefix wins). Synchronous; the tables are parsed on first use (a few milliseconds)
 * and a lookup then costs a few microseconds, nearly all of it in the validity check.
 *
 * @param digits 3 to 15 digits, country calling code first; a leading `+` is allowed.
 * @example
 * phonePlace('12125550123'); // { country: 'US', region: 'US-NY', zones: ['America/New_York'] }
 * phonePlace('442079460000'); // { country: 'GB', zones: ['Europe/London'] }
 */
export function phonePlace(digits: string): PhonePlace | undefined {
  const international = digits.startsWith('+') ? digits : `+${digits}`;
  const phone = phoneNumbersModule().parsePhoneNumberFromString(international);
  if (phone === undefined || !phone.isValid()) return undefined;
  const country = phone.country;
  if (country === undefined) return undefined;
  const zones = phoneZones(phone.number.slice(1));
  if (country === 'US' || country === 'CA') {
    regionTable ??= parseTable(NANP_REGION_LINES, (text) => text);
    const region = longestPrefix(regionTable, phone.nationalNumber);
    // A region table entry of the other country (a quirk of the data) tells nothing.
    if (region?.startsWith(`${country}-`)) return { country, region, zones };
  }
  return { country, zones };
}

/**
 * The US state or Canadian province of a North American number (`1` and ten digits) as its prefix
 * tells, from the geocoding table alone (no validity check: well under a microsecond), or `undefined`
 * when the table has no line for it. For a valid US or Canadian number it is {@link phonePlace}'s
 * `region`, where that has one.
 */
export function nanpRegion(digits: string): string | undefined {
  if (digits.length !== 11 || digits.charCodeAt(0) !== 49) return undefined;
  regionTable ??= parseTable(NANP_REGION_LINES, (text) => text);
  return longestPrefix(regionTable, digits.slice(1));
}

/**
 * The map's entries that only say which calling code a number has, not where it is: `1` lists all 42
 * zones of the North American Numbering Plan (Guam at +10:00 to Hawaii at -10:00), and digits reach it
 * only when the map knows their area code not: toll-free (800, 888, ...), non-geographic or unassigned
 * codes. Read as unknown (spec section 12: UTC with the warning `phone.gmtZone.unknown`), not as a
 * number that is allowed only when 42 zones all allow it, which no window shorter than 20 hours is.
 */
const CATCH_ALL_PREFIXES: ReadonlySet<string> = new Set(['1']);

const NO_ZONES: readonly string[] = Object.freeze([]);

/**
 * The zone table as a digit trie: node `n`'s child for digit `d` is `children[n * 10 + d]` (0: none; the
 * root is node 0), and `zonesOf[n]` is the index in `zoneLists` of the zones of the prefix ending at `n`
 * (0: no entry ends there; `zoneLists[0]` is the empty list).
 */
interface ZoneTrie {
  readonly children: Int32Array;
  readonly zonesOf: Int32Array;
  readonly zoneLists: readonly (readonly string[])[];
}

let zoneTrie: ZoneTrie | undefined;

function buildZoneTrie(): ZoneTrie {
  const lines = PHONE_ZONE_LINES.split('\n');
  let nodes = 1;
  let capacity = 1024;
  let children = new Int32Array(capacity * 10);
  let zonesOf = new Int32Array(capacity);
  // Equal lists share one frozen array.
  const listIndex = new Map<string, number>();
  const zoneLists: (readonly string[])[] = [NO_ZONES];
  for (const line of lines) {
    const bar = line.indexOf('|');
    const prefix = line.slice(0, bar);
    if (CATCH_ALL_PREFIXES.has(prefix)) continue;
    const zones = line
      .slice(bar + 1)
      .split('&')
      .sort();
    const key = zones.join('&');
    let index = listIndex.get(key);
    if (index === undefined) {
      index = zoneLists.length;
      zoneLists.push(Object.freeze(zones));
      listIndex.set(key, index);
    }
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const slot = node * 10 + (prefix.charCodeAt(i) - 48);
      if (children[slot] === 0) {
        if (nodes === capacity) {
          capacity *= 2;
          const grown = new Int32Array(capacity * 10);
          grown.set(children);
          children = grown;
          const grownZones = new Int32Array(capacity);
          grownZones.set(zonesOf);
          zonesOf = grownZones;
        }
        children[slot] = nodes++;
      }
      node = children[slot]!;
    }
    zonesOf[node] = index;
  }
  return { children: children.slice(0, nodes * 10), zonesOf: zonesOf.slice(0, nodes), zoneLists };
}

/**
 * The IANA zones of a phone number's area, from Google libphonenumber's time-zone map alone (longest
 * prefix wins; no validity check, unlike {@link phonePlace}): sorted, several when the area spans zones
 * (spec section 12: the number is then allowed only when allowed in each), spelt as the map spells them
 * (old names such as `Asia/Calcutta`, all known to `zoneRulesOf`). Empty when the map does not know the
 * number's area: no entry, or only the entry of calling code `1` (see `CATCH_ALL_PREFIXES`). The
 * arrays are frozen and shared: equal lists are the same array. Reads the digits up to the first
 * character that is not one; a lookup walks a digit trie (tens of nanoseconds, no allocation; the
 * trie is built on first use, about a millisecond).
 *
 * @param digits Country calling code first; a leading `+` is allowed.
 * @example
 * phoneZones('12125550123'); // ['America/New_York']
 * phoneZones('19075550123'); // ['America/Adak', 'America/Anchorage']
 * phoneZones('18005550123'); // [] (toll-free: no area)
 */
export function phoneZones(digits: string): readonly string[] {
  zoneTrie ??= buildZoneTrie();
  const { children, zonesOf, zoneLists } = zoneTrie;
  let found = 0;
  let node = 0;
  for (let i = digits.charCodeAt(0) === 43 ? 1 : 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) break;
    node = children[node * 10 + digit]!;
    if (node === 0) break;
    const zones = zonesOf[node]!;
    if (zones !== 0) found = zones;
  }
  return zoneLists[found]!;
}
