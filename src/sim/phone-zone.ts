import { phoneZones } from '../rules/phone-place.js';

/**
 * The simulation's `zoneResolver`: the zone of a number whose entry and campaign defaults give none,
 * from its digits (country and area code, the phone-number time-zone map of `phoneZones`); the first
 * zone of an area that spans several, `undefined` (UTC) for a number the map does not place.
 */
export function zoneFromPhone(phone: string): string | undefined {
  return phoneZones(phone)[0];
}
