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
   * names such as `Asia/Calcutta`); several when the area spans zones. Empty when the map has no entry.
   */
  readonly zones: readonly string[];
}

/** Longest prefix table: `prefix -> value`, with the longest prefix length to try first. */
interface PrefixTable<T> {
  readonly byPrefix: ReadonlyMap<string, T>;
  readonly maxLength: number;
}

let zoneTable: PrefixTable<readonly string[]> | undefined;
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
 * and, for US and Canadian numbers, the state or province from its geocoding data (tables under
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
  const e164Digits = phone.number.slice(1);
  zoneTable ??= parseTable(PHONE_ZONE_LINES, (text) => Object.freeze(text.split('&').sort()));
  const zones = longestPrefix(zoneTable, e164Digits) ?? [];
  if (country === 'US' || country === 'CA') {
    regionTable ??= parseTable(NANP_REGION_LINES, (text) => text);
    const region = longestPrefix(regionTable, phone.nationalNumber);
    // A region table entry of the other country (a quirk of the data) tells nothing.
    if (region?.startsWith(`${country}-`)) return { country, region, zones };
  }
  return { country, zones };
}
