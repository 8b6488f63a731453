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
 * The place of `digits` (country calling code first), or `undefined` when the digits are not a valid
 * number of a country: then every rule that names a place applies to it (spec section 12).
 */
export function checkedPlace(digits: string): CheckedPlace | undefined {
  phoneNumbers ??= createRequire(import.meta.url)('libphonenumber-js/max') as PhoneNumbers;
  const phone = phoneNumbers.parsePhoneNumberFromString(`+${digits.replace(/^\+/, '')}`);
  if (phone === undefined || !phone.isValid() || phone.country === undefined) return undefined;
  const country = phone.country;
  if (country !== 'US' && country !== 'CA') return { country };
  regionByPrefix ??= new Map(
    NANP_REGION_LINES.split('\n').map((line) => line.split('|') as [string, string]),
  );
  const national = phone.nationalNumber;
  for (let length = national.length; length > 0; length--) {
    const region = regionByPrefix.get(national.slice(0, length));
    if (region !== undefined) return region.startsWith(`${country}-`) ? { country, region } : { country };
  }
  return { country };
}

/** `US-FL`, `GB`, or `unknown`: how a report names a place. */
export function placeLabel(place: CheckedPlace | undefined): string {
  return place === undefined ? 'unknown' : (place.region ?? place.country);
}
