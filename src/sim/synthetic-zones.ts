import type { Random } from './random.js';

/** One kind of callee of a synthetic campaign: where the number is, and how bodies write its zone. */
export interface SyntheticZone {
  /** The `gmtZone` as real bodies write it: an IANA ID or one of the offset forms of spec section 4. */
  readonly gmtZone: string;
  /** Relative share of numbers. */
  readonly weight: number;
  /** The region a campaign manager groups calls by (chart legends). */
  readonly region: string;
  /** Country calling code, digits. */
  readonly countryCode: string;
  /**
   * The start of the national number (an area code and the first digit of the exchange, or a mobile
   * prefix): every number with it is valid, and for US and Canadian numbers tells the state or province.
   */
  readonly prefix: string;
  /** Digits after `prefix`, so that the national number has its country's length. */
  readonly freeDigits: number;
}

function zone(
  gmtZone: string,
  weight: number,
  region: string,
  countryCode: string,
  prefix: string,
  freeDigits: number,
): SyntheticZone {
  return { gmtZone, weight, region, countryCode, prefix, freeDigits };
}

/** A US or Canadian callee: area code and exchange digit, then six digits (ten in all). */
function nanp(gmtZone: string, weight: number, region: string, prefix: string): SyntheticZone {
  return zone(gmtZone, weight, region, '1', prefix, 6);
}

/**
 * The callees of a synthetic campaign: the US (real area codes of many states, among them the strict
 * ones of `US_STATE_RULES`: AL, CT, FL, KY, LA, MA, MD, MS, OK, TX, UT, WA; with Arizona, Alaska and
 * Hawaii), Canada (with St John's), Mexico, Brazil, the UK and Europe, Moscow, India, Nepal, Australia
 * (with Lord Howe), New Zealand (with Chatham), each zone written the ways real bodies write it: IANA
 * IDs, aliases (`US/Eastern`, `Asia/Calcutta`) and fixed offsets (`-05:00`, `GMT-5`, `+03`, `UTC+3`,
 * `+0530`, `Z`). Every number is valid for its country (libphonenumber's metadata), so its place and
 * zone can be told from its digits.
 */
export const SYNTHETIC_CALLEE_ZONES: readonly SyntheticZone[] = [
  nanp('America/New_York', 7, 'US East', '2125'), // NY
  nanp('America/New_York', 2, 'US East', '3055'), // FL, Miami
  nanp('America/New_York', 1.5, 'US East', '4075'), // FL, Orlando
  nanp('America/New_York', 1, 'US East', '4105'), // MD
  nanp('America/New_York', 0.7, 'US East', '2035'), // CT
  nanp('America/New_York', 0.6, 'US East', '5025'), // KY
  nanp('US/Eastern', 1, 'US East', '6175'), // MA
  nanp('-05:00', 1, 'US East', '4045'), // GA
  nanp('GMT-5', 0.5, 'US East', '3055'), // FL, written as a fixed offset
  nanp('America/Chicago', 3, 'US Central', '3125'), // IL
  nanp('America/Chicago', 2, 'US Central', '2145'), // TX, Dallas
  nanp('America/Chicago', 1.5, 'US Central', '7135'), // TX, Houston
  nanp('America/Chicago', 1, 'US Central', '4055'), // OK
  nanp('America/Chicago', 0.6, 'US Central', '9185'), // OK
  nanp('America/Chicago', 0.8, 'US Central', '5045'), // LA
  nanp('America/Chicago', 0.6, 'US Central', '2055'), // AL
  nanp('America/Chicago', 0.5, 'US Central', '6015'), // MS
  nanp('America/Denver', 2, 'US Mountain', '3035'), // CO
  nanp('America/Denver', 1, 'US Mountain', '8015'), // UT
  nanp('America/Phoenix', 3, 'US Mountain', '6025'), // AZ
  nanp('America/Los_Angeles', 7, 'US Pacific', '2135'), // CA
  nanp('America/Los_Angeles', 2, 'US Pacific', '2065'), // WA
  nanp('America/Anchorage', 0.7, 'US Pacific', '9075'), // AK
  nanp('Pacific/Honolulu', 1, 'US Pacific', '8085'), // HI
  nanp('America/Toronto', 3, 'Canada', '4165'),
  nanp('America/Vancouver', 1, 'Canada', '6045'),
  nanp('America/Regina', 0.5, 'Canada', '3065'),
  nanp('America/St_Johns', 1, 'Canada', '7095'),
  zone('America/Mexico_City', 3, 'Latin America', '52', '55', 8),
  zone('America/Tijuana', 0.5, 'Latin America', '52', '664', 7),
  zone('America/Sao_Paulo', 3, 'Latin America', '55', '119', 8),
  zone('-03:00', 0.5, 'Latin America', '55', '219', 8),
  zone('Europe/London', 5, 'UK', '44', '7400', 6),
  zone('Z', 0.5, 'UK', '44', '7812', 6),
  zone('UTC', 0.3, 'UK', '44', '7500', 6),
  zone('Europe/Berlin', 4, 'Europe', '49', '151', 8),
  zone('Europe/Paris', 2, 'Europe', '33', '61', 7),
  zone('Europe/Madrid', 2, 'Europe', '34', '6', 8),
  zone('+01:00', 0.5, 'Europe', '48', '50', 7),
  zone('Europe/Moscow', 3, 'Moscow', '7', '916', 7),
  zone('+03', 0.5, 'Moscow', '7', '926', 7),
  zone('UTC+3', 0.5, 'Moscow', '7', '903', 7),
  zone('Asia/Kolkata', 4, 'India & Nepal', '91', '98', 8),
  zone('Asia/Calcutta', 1, 'India & Nepal', '91', '97', 8),
  zone('+0530', 1, 'India & Nepal', '91', '99', 8),
  zone('+05:30', 0.5, 'India & Nepal', '91', '96', 8),
  zone('Asia/Kathmandu', 1, 'India & Nepal', '977', '980', 7),
  zone('+05:45', 0.3, 'India & Nepal', '977', '984', 7),
  zone('Australia/Sydney', 2, 'Australia', '61', '40', 7),
  zone('Australia/Brisbane', 0.7, 'Australia', '61', '41', 7),
  zone('Australia/Perth', 0.7, 'Australia', '61', '42', 7),
  zone('Australia/Lord_Howe', 0.3, 'Australia', '61', '29', 7),
  zone('Pacific/Auckland', 1, 'New Zealand', '64', '21', 7),
  zone('Pacific/Chatham', 0.3, 'New Zealand', '64', '3305', 4),
];

const WEIGHTED: readonly (readonly [SyntheticZone, number])[] = SYNTHETIC_CALLEE_ZONES.map((z) => [
  z,
  z.weight,
]);

/** Zones as the phone-number zone map spells those of the table (old names, the first of several). */
const MAP_SPELLINGS: readonly (readonly [string, string])[] = [
  ['America/Adak', 'US Pacific'],
  ['America/Puerto_Rico', 'Canada'],
  ['Asia/Katmandu', 'India & Nepal'],
  ['Europe/Guernsey', 'UK'],
  ['Europe/Warsaw', 'Europe'],
];

const REGIONS = new Map([
  ...SYNTHETIC_CALLEE_ZONES.map((z) => [z.gmtZone, z.region] as const),
  ...MAP_SPELLINGS,
]);

/** A callee zone drawn by weight. */
export function pickCalleeZone(random: Random): SyntheticZone {
  return random.weighted(WEIGHTED);
}

/** The region of a zone as written in a body, or undefined for a zone the synthetic table does not have. */
export function regionOfZone(gmtZone: string): string | undefined {
  return REGIONS.get(gmtZone);
}

/**
 * The phone of the `serial`-th synthetic number in `zone` (unique per zone for serials below
 * 10^freeDigits, a million for US and Canadian numbers), written one of the ways bodies write phones:
 * `+1 212 500 0042`, `+1-212-500-0042`, `+1 (212) 5000042`, digits, a JSON number, or dotted.
 */
export function syntheticPhone(random: Random, zone: SyntheticZone, serial: number): string | number {
  const free = String(serial % 10 ** zone.freeDigits).padStart(zone.freeDigits, '0');
  const national = zone.prefix + free;
  const groups = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
  switch (
    random.weighted<string>([
      ['spaces', 4],
      ['dashes', 2],
      ['parens', 1],
      ['digits', 1],
      ['number', 1],
      ['dots', 1],
    ])
  ) {
    case 'spaces':
      return `+${zone.countryCode} ${groups.join(' ')}`;
    case 'dashes':
      return `+${zone.countryCode}-${groups.join('-')}`;
    case 'parens':
      return `+${zone.countryCode} (${groups[0]}) ${national.slice(3)}`;
    case 'digits':
      return zone.countryCode + national;
    case 'number':
      return Number(zone.countryCode + national);
    default:
      return `+${zone.countryCode}.${groups.join('.')}`;
  }
}
