import { DialerError, quote } from '../errors.js';
import { JAVA_ZONE_IDS } from './java-zone-ids.js';
import { LruCache } from './lru-cache.js';
import { FixedZoneRules, RegionZoneRules, type ZoneRules } from './zone-rules.js';

/** A parsed `gmtZone` (spec section 4). */
export interface GmtZone {
  /** `+hh:mm` or `+hh:mm:ss` for a fixed offset (`+00:00` for `Z`, `UTC`, `GMT`, `UT`), else the region ID as given. */
  readonly id: string;
  /**
   * Seconds east of UTC at the instant `atMs` (epoch ms).
   *
   * @throws DialerError `invalid.option` when `atMs` is not a finite number within ±8.64e15 (the range of Date).
   */
  offsetSecondsAt(atMs: number): number;
}

const MAX_OFFSET_SECONDS = 18 * 3600;
const REGION_PATTERN = /^[A-Za-z][A-Za-z0-9~/._+-]+$/;
const JAVA_REGIONS = new Set(JAVA_ZONE_IDS);
/** IANA IDs of the runtime newer than the shipped java.time list; Intl lists canonical IDs only. */
const RUNTIME_REGIONS = new Set(Intl.supportedValuesOf('timeZone'));
/**
 * Zones by text, least recently used evicted beyond this many. Region IDs are about 600, but offsets can
 * be spelt in some hundreds of thousands of ways (`+05:30`, `GMT+0530`, ...). A zone evicted here lives
 * on in the schedules that hold it; the same text parsed again gives an equal zone (same `id`).
 */
export const ZONE_CACHE_CAPACITY = 2048;
const cache = new LruCache<string, ZoneRules>(ZONE_CACHE_CAPACITY);

/**
 * Parses a `gmtZone` exactly as `java.time.ZoneId.of` does: `Z`; offsets `±h`, `±hh`, `±hhmm`, `±hh:mm`,
 * `±hhmmss`, `±hh:mm:ss` up to ±18:00; `UTC`, `GMT`, `UT` alone or followed by such an offset; or a
 * region ID of `ZoneId.getAvailableZoneIds()`, spelt exactly.
 *
 * @throws DialerError `phone.gmtZone.bad.format` for anything else.
 * @example parseGmtZone('GMT-5').id // '-05:00'
 */
export function parseGmtZone(text: string): GmtZone {
  return zoneRulesOf(text);
}

/** Like {@link parseGmtZone}, but with the rules the window math needs. Cached per text (bounded). */
export function zoneRulesOf(text: unknown): ZoneRules {
  const result = parseZone(text);
  if (typeof result === 'string') {
    throw new DialerError([{ path: ['gmtZone'], code: 'phone.gmtZone.bad.format', message: result }]);
  }
  return result;
}

/**
 * The zones of a schedule's `zoneKey` (`America/Chicago&America/Denver`): each part as
 * {@link zoneRulesOf} reads it, in the order given. `&` appears in no zone ID.
 *
 * @throws DialerError `phone.gmtZone.bad.format` when a part is not a zone (an empty part included).
 */
export function zoneRulesListOf(zoneKey: string): readonly ZoneRules[] {
  return zoneKey.split('&').map((part) => zoneRulesOf(part));
}

/** The zone's rules (cached per text, bounded), or a message saying why `text` is not a zone. */
export function parseZone(text: unknown): ZoneRules | string {
  if (typeof text !== 'string') return `gmtZone must be a string, got ${quote(text)}.`;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const result = parseZoneText(text);
  if (typeof result !== 'string') cache.set(text, result);
  return result;
}

function parseZoneText(text: string): ZoneRules | string {
  const expected = `expected Z, an offset such as +05:30 or -03, UTC/GMT/UT with such an offset, or a region ID such as America/New_York`;
  if (text.length <= 1 || text.startsWith('+') || text.startsWith('-')) {
    if (text === 'Z') return fixedZone(0);
    const seconds = parseOffsetSeconds(text);
    return seconds === undefined
      ? `gmtZone ${quote(text)} is not a valid zone: ${expected}.`
      : fixedZone(seconds);
  }
  const prefix = text.startsWith('UTC') || text.startsWith('GMT') ? 3 : text.startsWith('UT') ? 2 : 0;
  if (prefix > 0) {
    if (text.length === prefix) return fixedZone(0);
    const sign = text[prefix];
    if (sign === '+' || sign === '-') {
      const seconds = parseOffsetSeconds(text.slice(prefix));
      return seconds === undefined
        ? `gmtZone ${quote(text)} is not a valid zone: ${expected}.`
        : fixedZone(seconds);
    }
  }
  if (REGION_PATTERN.test(text) && (JAVA_REGIONS.has(text) || RUNTIME_REGIONS.has(text))) {
    return new RegionZoneRules(text);
  }
  return `gmtZone ${quote(text)} is not a known zone: ${expected} (case matters).`;
}

/**
 * Seconds of a `ZoneOffset.of` string (`+h`, `+hh`, `+hhmm`, `+hh:mm`, `+hhmmss`, `+hh:mm:ss`, sign required),
 * or undefined when java.time would reject it.
 */
function parseOffsetSeconds(text: string): number | undefined {
  const sign = text[0] === '+' ? 1 : text[0] === '-' ? -1 : 0;
  if (sign === 0) return undefined;
  let hours: number | undefined;
  let minutes: number | undefined = 0;
  let seconds: number | undefined = 0;
  switch (text.length) {
    case 2:
      hours = twoDigits(`0${text[1]}`, 0);
      break;
    case 3:
      hours = twoDigits(text, 1);
      break;
    case 5:
      hours = twoDigits(text, 1);
      minutes = twoDigits(text, 3);
      break;
    case 6:
      hours = twoDigits(text, 1);
      minutes = text[3] === ':' ? twoDigits(text, 4) : undefined;
      break;
    case 7:
      hours = twoDigits(text, 1);
      minutes = twoDigits(text, 3);
      seconds = twoDigits(text, 5);
      break;
    case 9:
      hours = twoDigits(text, 1);
      minutes = text[3] === ':' ? twoDigits(text, 4) : undefined;
      seconds = text[6] === ':' ? twoDigits(text, 7) : undefined;
      break;
    default:
      return undefined;
  }
  if (hours === undefined || minutes === undefined || seconds === undefined) return undefined;
  if (hours > 18 || minutes > 59 || seconds > 59) return undefined;
  const total = hours * 3600 + minutes * 60 + seconds;
  if (total > MAX_OFFSET_SECONDS) return undefined;
  // `-00:00` is UTC: no negative zero.
  return total === 0 ? 0 : sign * total;
}

function twoDigits(text: string, at: number): number | undefined {
  const high = text.charCodeAt(at) - 48;
  const low = text.charCodeAt(at + 1) - 48;
  if (!(high >= 0 && high <= 9 && low >= 0 && low <= 9)) return undefined;
  return high * 10 + low;
}

/** Fixed zones by offset (there are 129,601 possible offsets), least recently used evicted beyond this many. */
export const FIXED_ZONE_CACHE_CAPACITY = 1024;
const fixedZones = new LruCache<number, FixedZoneRules>(FIXED_ZONE_CACHE_CAPACITY);

/** Entries in the zone caches now (for tests of their bounds). */
export function zoneCacheSizes(): { readonly zones: number; readonly fixedZones: number } {
  return { zones: cache.size, fixedZones: fixedZones.size };
}

function fixedZone(offsetSeconds: number): FixedZoneRules {
  let zone = fixedZones.get(offsetSeconds);
  if (zone === undefined) {
    zone = new FixedZoneRules(formatOffset(offsetSeconds), offsetSeconds);
    fixedZones.set(offsetSeconds, zone);
  }
  return zone;
}

/** `+05:30`, `-03:00`, `+05:30:15`; zero is `+00:00`. */
export function formatOffset(offsetSeconds: number): string {
  const abs = Math.abs(offsetSeconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hhmm = `${offsetSeconds < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600))}:${pad(Math.floor(abs / 60) % 60)}`;
  return abs % 60 === 0 ? hhmm : `${hhmm}:${pad(abs % 60)}`;
}
