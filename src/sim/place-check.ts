/**
 * The place of a phone number read independently of src/rules/phone-place.ts, for the audit: validity
 * and country straight from `libphonenumber-js` ("max" metadata), and the US state or Canadian
 * province from the geocoding table under src/rules/data/ (data only), read here by its own code.
 */
import { createRequire } from 'node:module';
import { NANP_REGION_LINES } from '../rules/data/nanp-regions.js';

/** Where a number is: ISO 3166-1 country, and for US and Canadian numbers the ISO 3166-2 region when known. */
export interface CheckedPlace {
  readonly country: string;
  readonly region?: string;
}

type PhoneNumbers = typeof import('libphonenumber-js/max');
let phoneNumbers: PhoneNumbers | undefined;
let regionByPrefix: Map<string, string> | undefined;

/**
 * The place of `digits` (country calling code first), or `undefined` when it cannot be told: then every
 * rule that names a place applies to it (spec section 12). A North American number (`1` and ten digits)
 * whose prefix the geocoding table places is in that state or province, as the campaign reads it (the
 * area code tells the place whether or not the line is assigned); any other number is placed by its
 * country when it is a valid number of one.
 */
export function checkedPlace(digits: string): CheckedPlace | undefined {
  const bare = digits.replace(/^\+/, '');
  if (bare.length === 11 && bare.startsWith('1')) {
    const region = regionOf(bare.slice(1));
    if (region !== undefined) return { country: region.slice(0, 2), region };
  }
  phoneNumbers ??= createRequire(import.meta.url)('libphonenumber-js/max') as PhoneNumbers;
  const phone = phoneNumbers.parsePhoneNumberFromString(`+${bare}`);
  if (phone === undefined || !phone.isValid() || phone.country === undefined) return undefined;
  const country = phone.country;
  if (country !== 'US' && country !== 'CA') return { country };
  const region = regionOf(phone.nationalNumber);
  return region?.startsWith(`${country}-`) ? { country, region } : { country };
}

/** The region of the longest prefix of a NANP national number that the geocoding table has. */
function regionOf(national: string): string | undefined {
  regionByPrefix ??= new Map(
    NANP_REGION_LINES.split('\n').map((line) => line.split('|') as [string, string]),
  );
  for (let length = national.length; length > 0; length--) {
    const region = regionByPrefix.get(national.slice(0, length));
    if (region !== undefined) return region;
  }
  return undefined;
}

/** `US-FL`, `GB`, or `unknown`: how a report names a place. */
export function placeLabel(place: CheckedPlace | undefined): string {
  return place === undefined ? 'unknown' : (place.region ?? place.country);
}
