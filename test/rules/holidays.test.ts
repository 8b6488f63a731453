import { describe, expect, it } from 'vitest';
import {
  clearHolidayCache,
  holidayDates,
  isHolidayCountry,
  isHolidayRegion,
} from '../../src/rules/holidays.js';

describe('holidayDates', () => {
  it('gives the US federal public holidays of 2024 when no region is named', () => {
    expect(holidayDates('US', undefined, undefined, 2024, 2024)).toEqual([
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-10-14',
      '2024-11-11',
      '2024-11-28',
      '2024-12-25',
    ]);
  });

  it('adds the state holidays when a region is named: Mardi Gras and Good Friday in Louisiana', () => {
    const dates = holidayDates('US', 'US-LA', ['public'], 2024, 2024);
    expect(dates).toContain('2024-02-13');
    expect(dates).toContain('2024-03-29');
    expect(dates).toContain('2024-07-04');
    expect(holidayDates('US', undefined, undefined, 2024, 2024)).not.toContain('2024-02-13');
  });

  it('includes an observed substitute day when the holiday falls on a weekend', () => {
    // 2026-07-04 is a Saturday: the calendar observes Independence Day on Friday 2026-07-03 too.
    const dates = holidayDates('US', undefined, undefined, 2026, 2026);
    expect(dates).toContain('2026-07-03');
    expect(dates).toContain('2026-07-04');
  });

  it('leaves out observances unless their type is asked for', () => {
    expect(holidayDates('US', undefined, undefined, 2024, 2024)).not.toContain('2024-02-14');
    expect(holidayDates('US', undefined, ['observance'], 2024, 2024)).toContain('2024-02-14');
    expect(holidayDates('US', undefined, ['observance'], 2024, 2024)).not.toContain('2024-07-04');
  });

  it('gives every local date a holiday of several days touches', () => {
    // Armenia's New Year holiday is two days long in the calendar.
    expect(holidayDates('AM', undefined, undefined, 2024, 2024).slice(0, 2)).toEqual([
      '2024-01-01',
      '2024-01-02',
    ]);
  });

  it('spans several years sorted and without repeats', () => {
    const dates = holidayDates('US', undefined, ['public', 'public'], 2023, 2025);
    expect(dates).toEqual([...new Set(dates)].sort());
    expect(dates[0]).toBe('2023-01-01');
    expect(dates.at(-1)).toBe('2025-12-25');
    expect(dates.filter((date) => date.endsWith('-07-04'))).toEqual([
      '2023-07-04',
      '2024-07-04',
      '2025-07-04',
    ]);
  });

  it('returns the same dates from the cache and after clearing it', () => {
    const first = holidayDates('GB', 'GB-SCT', undefined, 2024, 2024);
    expect(holidayDates('GB', 'GB-SCT', undefined, 2024, 2024)).toEqual(first);
    clearHolidayCache();
    expect(holidayDates('GB', 'GB-SCT', undefined, 2024, 2024)).toEqual(first);
    expect(first).toContain('2024-11-30');
  });

  it('throws a RangeError quoting the value for an unknown place, type or year range', () => {
    expect(() => holidayDates('XX', undefined, undefined, 2024, 2024)).toThrow(/got "XX"/);
    expect(() => holidayDates('US', 'US-ZZ', undefined, 2024, 2024)).toThrow(/got "US-ZZ"/);
    expect(() => holidayDates('US', 'LA', undefined, 2024, 2024)).toThrow(/such as "US-…", got "LA"/);
    expect(() => holidayDates('US', undefined, ['national' as 'public'], 2024, 2024)).toThrow(
      /got "national"/,
    );
    expect(() => holidayDates('US', undefined, [], 2024, 2024)).toThrow(RangeError);
    expect(() => holidayDates('US', undefined, undefined, 2025, 2024)).toThrow(/2025\.\.2024/);
    expect(() => holidayDates('US', undefined, undefined, 2024.5, 2025)).toThrow(RangeError);
    expect(() => holidayDates('US', undefined, undefined, 2000, 2300)).toThrow(/at most 200 years/);
  });
});

describe('isHolidayCountry and isHolidayRegion', () => {
  it('know the places of the calendar, as ISO codes', () => {
    expect(['US', 'AU', 'DE', 'XX', 'us', 'UK'].filter(isHolidayCountry)).toEqual(['US', 'AU', 'DE']);
    expect(isHolidayRegion('US', 'US-LA')).toBe(true);
    expect(isHolidayRegion('AU', 'AU-NSW')).toBe(true);
    expect(isHolidayRegion('US', 'LA')).toBe(false);
    expect(isHolidayRegion('US', 'AU-NSW')).toBe(false);
    expect(isHolidayRegion('XX', 'XX-A')).toBe(false);
  });
});
