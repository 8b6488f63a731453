/**
 * Example tests of `instantOfLocal` (SPEC section 2: a local date-time in a DST gap moves forward by the
 * gap, in a fold it takes the earlier instant). Every expected instant was computed with java.time
 * (JDK 17): ZonedDateTime.of(LocalDateTime.parse(local), ZoneId.of(zone)).toInstant().
 */
import { describe, expect, it } from 'vitest';
import { zoneRulesOf } from '../../src/schedule/gmt-zone.js';
import { instantOfLocal } from '../../src/schedule/local-time.js';

/** The instant of a wall-clock time (`YYYY-MM-DDTHH:mm[:ss[.sss]]`, no offset) in a zone, as an ISO string. */
function instantIso(zone: string, local: string): string {
  const localMs = Date.parse(`${local}Z`);
  if (Number.isNaN(localMs)) throw new Error(`bad local date-time in test: ${local}`);
  return new Date(instantOfLocal(zoneRulesOf(zone), localMs)).toISOString().replace('.000Z', 'Z');
}

describe('instantOfLocal', () => {
  describe('America/New_York', () => {
    it('reads an ordinary winter and summer time with -05:00 and -04:00', () => {
      expect(instantIso('America/New_York', '2024-01-15T12:00')).toBe('2024-01-15T17:00:00Z');
      expect(instantIso('America/New_York', '2024-07-04T12:00')).toBe('2024-07-04T16:00:00Z');
    });

    it('moves a time in the 2024-03-10 gap forward by the gap (02:30 -> 03:30 EDT)', () => {
      expect(instantIso('America/New_York', '2024-03-10T02:30')).toBe('2024-03-10T07:30:00Z');
    });

    it('maps the first and last instants of the gap to 03:00 and 03:59:59.999 EDT', () => {
      expect(instantIso('America/New_York', '2024-03-10T02:00')).toBe('2024-03-10T07:00:00Z');
      expect(instantIso('America/New_York', '2024-03-10T02:59:59.999')).toBe('2024-03-10T07:59:59.999Z');
    });

    it('keeps the times just before and just after the gap', () => {
      expect(instantIso('America/New_York', '2024-03-10T01:59:59.999')).toBe('2024-03-10T06:59:59.999Z');
      expect(instantIso('America/New_York', '2024-03-10T03:00')).toBe('2024-03-10T07:00:00Z');
    });

    it('takes the earlier instant in the 2024-11-03 fold (01:30 -> 01:30 EDT)', () => {
      expect(instantIso('America/New_York', '2024-11-03T01:30')).toBe('2024-11-03T05:30:00Z');
    });

    it('takes the earlier instant at both ends of the fold', () => {
      expect(instantIso('America/New_York', '2024-11-03T01:00')).toBe('2024-11-03T05:00:00Z');
      expect(instantIso('America/New_York', '2024-11-03T01:59:59.999')).toBe('2024-11-03T05:59:59.999Z');
    });

    it('keeps the times just before and just after the fold', () => {
      expect(instantIso('America/New_York', '2024-11-03T00:59:59.999')).toBe('2024-11-03T04:59:59.999Z');
      expect(instantIso('America/New_York', '2024-11-03T02:00')).toBe('2024-11-03T07:00:00Z');
    });
  });

  describe('Australia/Lord_Howe (30-minute DST)', () => {
    it('moves a time in the 2024-10-06 30-minute gap forward by 30 minutes', () => {
      // 02:00+10:30 -> 02:30+11:00.
      expect(instantIso('Australia/Lord_Howe', '2024-10-06T02:15')).toBe('2024-10-05T15:45:00Z');
      expect(instantIso('Australia/Lord_Howe', '2024-10-06T02:00')).toBe('2024-10-05T15:30:00Z');
    });

    it('keeps the times just before and just after the 30-minute gap', () => {
      expect(instantIso('Australia/Lord_Howe', '2024-10-06T01:59')).toBe('2024-10-05T15:29:00Z');
      expect(instantIso('Australia/Lord_Howe', '2024-10-06T02:30')).toBe('2024-10-05T15:30:00Z');
    });

    it('takes the earlier (+11:00) instant in the 2024-04-07 30-minute fold', () => {
      // 02:00+11:00 -> 01:30+10:30.
      expect(instantIso('Australia/Lord_Howe', '2024-04-07T01:45')).toBe('2024-04-06T14:45:00Z');
      expect(instantIso('Australia/Lord_Howe', '2024-04-07T01:30')).toBe('2024-04-06T14:30:00Z');
    });

    it('keeps the times just before and just after the 30-minute fold', () => {
      expect(instantIso('Australia/Lord_Howe', '2024-04-07T01:29')).toBe('2024-04-06T14:29:00Z');
      expect(instantIso('Australia/Lord_Howe', '2024-04-07T02:00')).toBe('2024-04-06T15:30:00Z');
    });
  });

  describe('other region zones', () => {
    it('moves a time in the Pacific/Chatham gap (02:45 -> 03:45) forward by an hour', () => {
      expect(instantIso('Pacific/Chatham', '2024-09-29T03:00')).toBe('2024-09-28T14:15:00Z');
    });

    it('takes the earlier (+13:45) instant in the Pacific/Chatham fold (03:45 -> 02:45)', () => {
      expect(instantIso('Pacific/Chatham', '2024-04-07T03:00')).toBe('2024-04-06T13:15:00Z');
    });

    it('moves a time in the America/St_Johns gap forward and takes the earlier instant in its fold', () => {
      expect(instantIso('America/St_Johns', '2024-03-10T02:30')).toBe('2024-03-10T06:00:00Z');
      expect(instantIso('America/St_Johns', '2024-11-03T01:30')).toBe('2024-11-03T04:00:00Z');
    });

    it('handles the Africa/Casablanca Ramadan changes of 2024 (fold on 03-10, gap on 04-14)', () => {
      expect(instantIso('Africa/Casablanca', '2024-03-10T02:30')).toBe('2024-03-10T01:30:00Z');
      expect(instantIso('Africa/Casablanca', '2024-03-20T09:00')).toBe('2024-03-20T09:00:00Z');
      expect(instantIso('Africa/Casablanca', '2024-04-14T02:30')).toBe('2024-04-14T02:30:00Z');
      expect(instantIso('Africa/Casablanca', '2024-04-17T09:00')).toBe('2024-04-17T08:00:00Z');
    });

    it('reads Asia/Kathmandu at +05:45', () => {
      expect(instantIso('Asia/Kathmandu', '2024-01-15T09:00')).toBe('2024-01-15T03:15:00Z');
    });
  });

  describe('fixed offsets', () => {
    it('subtracts an offset with seconds (+05:30:15)', () => {
      expect(instantIso('+05:30:15', '2024-01-15T09:00')).toBe('2024-01-15T03:29:45Z');
    });

    it('adds a negative offset (-03:30)', () => {
      expect(instantIso('-03:30', '2024-01-15T00:00')).toBe('2024-01-15T03:30:00Z');
    });

    it('leaves UTC (Z) unchanged, milliseconds included', () => {
      expect(instantIso('Z', '2024-02-29T23:59:59.999')).toBe('2024-02-29T23:59:59.999Z');
    });

    it('reads Etc/GMT+5 as UTC-05:00 and Etc/GMT-14 as UTC+14:00', () => {
      expect(instantIso('Etc/GMT+5', '2024-07-15T09:00')).toBe('2024-07-15T14:00:00Z');
      expect(instantIso('Etc/GMT-14', '2024-01-01T00:00')).toBe('2023-12-31T10:00:00Z');
    });
  });
});
