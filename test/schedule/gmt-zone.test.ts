import { describe, expect, it, vi } from 'vitest';
import { DialerError } from '../../src/errors.js';
import { parseGmtZone } from '../../src/schedule/gmt-zone.js';
import { CASES_AT_MS, GMT_ZONE_CASES } from './gmt-zone-cases.js';

const at = (iso: string) => Date.parse(iso);

/** The error `parseGmtZone(text)` throws, or the zone it returns. */
function errorOf(text: string): unknown {
  try {
    return parseGmtZone(text);
  } catch (error) {
    return error;
  }
}

describe('parseGmtZone', () => {
  const accepted = GMT_ZONE_CASES.flatMap((c) => ('id' in c ? [c] : []));
  const rejected = GMT_ZONE_CASES.flatMap((c) => ('rejected' in c ? [c] : []));

  it.each(accepted)('reads $text as java.time does ($id)', ({ text, id, offsetSeconds }) => {
    const zone = parseGmtZone(text);
    expect(zone.id).toBe(id);
    expect(zone.offsetSecondsAt(CASES_AT_MS)).toBe(offsetSeconds);
  });

  it.each(rejected)('rejects $text as java.time does', ({ text }) => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(DialerError);
    const { issues, message } = error as DialerError;
    expect(issues[0]?.code).toBe('phone.gmtZone.bad.format');
    expect(issues[0]?.message).toContain(JSON.stringify(text));
    expect(message).toContain(JSON.stringify(text));
  });

  it('gives the same id to every spelling of one fixed offset', () => {
    const groups = [
      ['Z', '+0', '-0', '+00', '-00:00', '+000000', 'UTC', 'GMT', 'UT', 'GMT+0', 'UTC-00', 'UT+00:00:00'],
      ['-5', '-05', '-0500', '-05:00', '-050000', '-05:00:00', 'GMT-5', 'UTC-05:00', 'UT-0500'],
      ['+05:30:15', '+053015', 'UTC+05:30:15', 'GMT+053015'],
    ];
    for (const group of groups) {
      const ids = new Set(group.map((text) => parseGmtZone(text).id));
      expect([...ids], group.join(' ')).toHaveLength(1);
    }
  });

  // java: ZoneOffset.of("-00:00") is ZoneOffset.UTC; the shared zero-offset zone must not answer -0.
  it('gives offset +0, not -0, when -0 is the first zero offset parsed', async () => {
    vi.resetModules();
    const fresh = await import('../../src/schedule/gmt-zone.js');
    expect(fresh.parseGmtZone('-00:00').offsetSecondsAt(0)).toBe(0);
    expect(fresh.parseGmtZone('Z').offsetSecondsAt(0)).toBe(0);
  });

  it('keeps region ids as given, so aliases and fixed offsets are different zones', () => {
    const ids = ['Asia/Calcutta', 'Asia/Kolkata', 'Etc/GMT+5', '-05:00', 'UTC', 'Etc/UTC', 'UCT'].map(
      (text) => parseGmtZone(text).id,
    );
    expect(ids).toEqual(['Asia/Calcutta', 'Asia/Kolkata', 'Etc/GMT+5', '-05:00', '+00:00', 'Etc/UTC', 'UCT']);
  });

  // tzdata 2025b added America/Coyhaique; java.time 17.0.15 (tzdata 2025a) does not know it, the runtime may.
  it.runIf(Intl.supportedValuesOf('timeZone').includes('America/Coyhaique'))(
    'accepts a region too new for java.time when the runtime knows it (America/Coyhaique)',
    () => {
      const zone = parseGmtZone('America/Coyhaique');
      expect(zone.id).toBe('America/Coyhaique');
      // Like America/Santiago until April 2025, then -03:00 all year.
      expect(zone.offsetSecondsAt(at('2024-07-01T00:00:00Z'))).toBe(-4 * 3600);
      expect(zone.offsetSecondsAt(at('2025-07-01T00:00:00Z'))).toBe(-3 * 3600);
      expect(parseGmtZone('America/Santiago').offsetSecondsAt(at('2025-07-01T00:00:00Z'))).toBe(-4 * 3600);
    },
  );

  it('follows DST through the year in America/New_York (2024-03-10 gap, 2024-11-03 fold)', () => {
    const zone = parseGmtZone('America/New_York');
    expect(zone.offsetSecondsAt(at('2024-01-15T12:00:00Z'))).toBe(-5 * 3600);
    expect(zone.offsetSecondsAt(at('2024-03-10T06:59:59.999Z'))).toBe(-5 * 3600);
    expect(zone.offsetSecondsAt(at('2024-03-10T07:00:00Z'))).toBe(-4 * 3600);
    expect(zone.offsetSecondsAt(at('2024-07-01T00:00:00Z'))).toBe(-4 * 3600);
    expect(zone.offsetSecondsAt(at('2024-11-03T05:59:59.999Z'))).toBe(-4 * 3600);
    expect(zone.offsetSecondsAt(at('2024-11-03T06:00:00Z'))).toBe(-5 * 3600);
    expect(zone.offsetSecondsAt(at('2024-12-31T23:59:59Z'))).toBe(-5 * 3600);
  });

  it('follows the 30-minute DST of Australia/Lord_Howe through the year', () => {
    const zone = parseGmtZone('Australia/Lord_Howe');
    // DST (+11:00) ends 2024-04-07 02:00 local, starts 2024-10-06 02:00 local (+10:30).
    expect(zone.offsetSecondsAt(at('2024-01-15T00:00:00Z'))).toBe(11 * 3600);
    expect(zone.offsetSecondsAt(at('2024-04-06T14:59:59.999Z'))).toBe(11 * 3600);
    expect(zone.offsetSecondsAt(at('2024-04-06T15:00:00Z'))).toBe(10.5 * 3600);
    expect(zone.offsetSecondsAt(at('2024-07-01T00:00:00Z'))).toBe(10.5 * 3600);
    expect(zone.offsetSecondsAt(at('2024-10-05T15:29:59.999Z'))).toBe(10.5 * 3600);
    expect(zone.offsetSecondsAt(at('2024-10-05T15:30:00Z'))).toBe(11 * 3600);
  });

  it('keeps a constant offset all year in zones without DST', () => {
    const months = Array.from({ length: 12 }, (_, month) => Date.UTC(2024, month, 15));
    const expected: Record<string, number> = {
      'Asia/Kathmandu': 5 * 3600 + 45 * 60,
      'Asia/Kolkata': 5.5 * 3600,
      'America/Phoenix': -7 * 3600,
      'Pacific/Honolulu': -10 * 3600,
      'Europe/Moscow': 3 * 3600,
      '+05:30:15': 5 * 3600 + 30 * 60 + 15,
    };
    for (const [text, offsetSeconds] of Object.entries(expected)) {
      const zone = parseGmtZone(text);
      expect(
        months.map((ms) => zone.offsetSecondsAt(ms)),
        text,
      ).toEqual(months.map(() => offsetSeconds));
    }
  });

  it('follows southern-hemisphere DST in Pacific/Chatham (+12:45 / +13:45)', () => {
    const zone = parseGmtZone('Pacific/Chatham');
    expect(zone.offsetSecondsAt(at('2024-01-15T00:00:00Z'))).toBe(13 * 3600 + 45 * 60);
    expect(zone.offsetSecondsAt(at('2024-07-01T00:00:00Z'))).toBe(12 * 3600 + 45 * 60);
  });
});
