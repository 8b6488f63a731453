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
  /** The start of the national number (an area code or a mobile prefix). */
  readonly prefix: string;
}

function zone(gmtZone: string, weight: number, region: string, countryCode: string, prefix: string) {
  return { gmtZone, weight, region, countryCode, prefix };
}

/**
 * The callees of a synthetic campaign: the US (with Arizona, Alaska and Hawaii), Canada (with St John's),
 * Mexico, Brazil, the UK and Europe, Moscow, India, Nepal, Australia (with Lord Howe), New Zealand (with
 * Chatham), each zone written the ways real bodies write it: IANA IDs, aliases (`US/Eastern`,
 * `Asia/Calcutta`) and fixed offsets (`-05:00`, `GMT-5`, `+03`, `UTC+3`, `+0530`, `Z`).
 */
export const SYNTHETIC_CALLEE_ZONES: readonly SyntheticZone[] = [
  zone('America/New_York', 12, 'US East', '1', '212'),
  zone('US/Eastern', 1, 'US East', '1', '617'),
  zone('-05:00', 1, 'US East', '1', '404'),
  zone('GMT-5', 0.5, 'US East', '1', '305'),
  zone('America/Chicago', 8, 'US Central', '1', '312'),
  zone('America/Denver', 3, 'US Mountain', '1', '303'),
  zone('America/Phoenix', 3, 'US Mountain', '1', '602'),
  zone('America/Los_Angeles', 9, 'US Pacific', '1', '213'),
  zone('America/Anchorage', 0.7, 'US Pacific', '1', '907'),
  zone('Pacific/Honolulu', 1, 'US Pacific', '1', '808'),
  zone('America/Toronto', 3, 'Canada', '1', '416'),
  zone('America/Vancouver', 1, 'Canada', '1', '604'),
  zone('America/Regina', 0.5, 'Canada', '1', '306'),
  zone('America/St_Johns', 1, 'Canada', '1', '709'),
  zone('America/Mexico_City', 3, 'Latin America', '52', '55'),
  zone('America/Tijuana', 0.5, 'Latin America', '52', '664'),
  zone('America/Sao_Paulo', 3, 'Latin America', '55', '119'),
  zone('-03:00', 0.5, 'Latin America', '55', '219'),
  zone('Europe/London', 5, 'UK', '44', '77'),
  zone('Z', 0.5, 'UK', '44', '78'),
  zone('UTC', 0.3, 'UK', '44', '79'),
  zone('Europe/Berlin', 4, 'Europe', '49', '151'),
  zone('Europe/Paris', 2, 'Europe', '33', '6'),
  zone('Europe/Madrid', 2, 'Europe', '34', '6'),
  zone('+01:00', 0.5, 'Europe', '48', '5'),
  zone('Europe/Moscow', 3, 'Moscow', '7', '91'),
  zone('+03', 0.5, 'Moscow', '7', '92'),
  zone('UTC+3', 0.5, 'Moscow', '7', '93'),
  zone('Asia/Kolkata', 4, 'India & Nepal', '91', '98'),
  zone('Asia/Calcutta', 1, 'India & Nepal', '91', '97'),
  zone('+0530', 1, 'India & Nepal', '91', '99'),
  zone('+05:30', 0.5, 'India & Nepal', '91', '96'),
  zone('Asia/Kathmandu', 1, 'India & Nepal', '977', '98'),
  zone('+05:45', 0.3, 'India & Nepal', '977', '97'),
  zone('Australia/Sydney', 2, 'Australia', '61', '4'),
  zone('Australia/Brisbane', 0.7, 'Australia', '61', '41'),
  zone('Australia/Perth', 0.7, 'Australia', '61', '42'),
  zone('Australia/Lord_Howe', 0.3, 'Australia', '61', '2'),
  zone('Pacific/Auckland', 1, 'New Zealand', '64', '21'),
  zone('Pacific/Chatham', 0.3, 'New Zealand', '64', '3305'),
];

const WEIGHTED: readonly (readonly [SyntheticZone, number])[] = SYNTHETIC_CALLEE_ZONES.map((z) => [
  z,
  z.weight,
]);

const REGIONS = new Map(SYNTHETIC_CALLEE_ZONES.map((z) => [z.gmtZone, z.region]));

/** A callee zone drawn by weight. */
export function pickCalleeZone(random: Random): SyntheticZone {
  return random.weighted(WEIGHTED);
}

/** The region of a zone as written in a body, or undefined for a zone the synthetic table does not have. */
export function regionOfZone(gmtZone: string): string | undefined {
  return REGIONS.get(gmtZone);
}

/**
 * The phone of the `serial`-th synthetic number (unique per serial below 10^8) in `zone`, written one of
 * the ways bodies write phones: `+1 212 000 0042`, `+1-212-000-0042`, `+1 (212) 0000042`, digits, a JSON
 * number, or dotted.
 */
export function syntheticPhone(random: Random, zone: SyntheticZone, serial: number): string | number {
  const subscriber = String(serial).padStart(8, '0');
  const national = zone.prefix + subscriber;
  const groups = [zone.prefix, subscriber.slice(0, 4), subscriber.slice(4)];
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
      return `+${zone.countryCode} (${zone.prefix}) ${subscriber}`;
    case 'digits':
      return zone.countryCode + national;
    case 'number':
      return Number(zone.countryCode + national);
    default:
      return `+${zone.countryCode}.${groups.join('.')}`;
  }
}
