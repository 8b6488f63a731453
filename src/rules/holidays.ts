import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import { HOLIDAY_TYPES, type HolidayType } from './rule-types.js';

const DAY_MS = 86_400_000;
const DEFAULT_TYPES: readonly HolidayType[] = ['public'];
/** The widest span one call may ask for, in years. */
const MAX_YEARS = 200;

/** Local dates touched by the holidays of `country|region|types|year` (some lie in a neighbouring year). */
const datesCache = new Map<string, readonly string[]>();
/** One calendar per `country|region`, read in UTC so that its instants spell the local dates. */
const calendarCache = new Map<string, Holidays>();
let countryNames: Readonly<Record<string, string>> | undefined;
let loadedHolidays: typeof Holidays | undefined;

/**
 * The calendar package, loaded on first use: it takes some 140 ms to load, which a program that never
 * asks for holidays should not pay when it imports the library.
 */
function holidaysClass(): typeof Holidays {
  loadedHolidays ??= createRequire(import.meta.url)('date-holidays') as typeof Holidays;
  return loadedHolidays;
}

/** Whether the holiday calendar knows the country (ISO 3166-1 alpha-2, such as `US`). */
export function isHolidayCountry(country: string): boolean {
  countryNames ??= new (holidaysClass())().getCountries();
  return Object.hasOwn(countryNames, country);
}

/** Whether the holiday calendar knows the region (ISO 3166-2 inside `country`, such as `US-LA`). */
export function isHolidayRegion(country: string, region: string): boolean {
  const prefix = `${country}-`;
  if (!region.startsWith(prefix) || !isHolidayCountry(country)) return false;
  return Object.hasOwn(new (holidaysClass())().getStates(country) ?? {}, region.slice(prefix.length));
}

/**
 * The local dates `YYYY-MM-DD` of a place's holidays in the years `fromYear..toYear` (both
 * included), sorted, without repeats: the dates a rule's `holidays` blacks out (spec section 12).
 *
 * The calendar is the `date-holidays` package's. A holiday that covers several days, or starts in the
 * evening (some religious holidays start at sunset the day before), gives every date it touches.
 * Substitute days (a holiday observed on the Friday or Monday) are included when their type is
 * asked for. Results are cached per place, types and year; {@link clearHolidayCache} empties it.
 *
 * @param country ISO 3166-1 alpha-2, such as `US`.
 * @param region ISO 3166-2 inside `country`, such as `US-LA`; `undefined` for the country's own list.
 * @param types holiday kinds to include. @default ['public']
 * @throws RangeError for a country or region the calendar does not know, an unknown type, or years
 *   that are not integers with `fromYear <= toYear` and at most 200 years apart.
 * @example
 * holidayDates('US', 'US-LA', undefined, 2024, 2024).includes('2024-02-13'); // true: Mardi Gras
 */
export function holidayDates(
  country: string,
  region: string | undefined,
  types: readonly HolidayType[] | undefined,
  fromYear: number,
  toYear: number,
): string[] {
  checkYears(fromYear, toYear);
  const wanted = normaliseTypes(types ?? DEFAULT_TYPES);
  const calendar = calendarOf(country, region);
  const placeKey = `${country}|${region ?? ''}|${wanted.join(',')}`;
  const dates = new Set<string>();
  // A holiday of a neighbouring year may start in the evening before, or run over New Year.
  for (let year = fromYear - 1; year <= toYear + 1; year++) {
    const key = `${placeKey}|${year}`;
    let yearDates = datesCache.get(key);
    if (yearDates === undefined) {
      yearDates = datesOfYear(calendar, wanted, year);
      datesCache.set(key, yearDates);
    }
    for (const date of yearDates) {
      const dateYear = Number(date.slice(0, 4));
      if (dateYear >= fromYear && dateYear <= toYear) dates.add(date);
    }
  }
  return [...dates].sort();
}

/** Empties the caches of {@link holidayDates} (tests, or after changing the calendar package). */
export function clearHolidayCache(): void {
  datesCache.clear();
  calendarCache.clear();
}

function datesOfYear(calendar: Holidays, types: readonly HolidayType[], year: number): readonly string[] {
  const dates = new Set<string>();
  for (const holiday of calendar.getHolidays(year)) {
    if (!types.includes(holiday.type)) continue;
    const startMs = holiday.start.getTime();
    const endMs = holiday.end.getTime();
    // The calendar runs in UTC, so each UTC day it touches is one local date; the end is exclusive.
    for (let dayMs = startMs - (startMs % DAY_MS); dayMs < endMs; dayMs += DAY_MS) {
      dates.add(new Date(dayMs).toISOString().slice(0, 10));
    }
  }
  return [...dates].sort();
}

function calendarOf(country: string, region: string | undefined): Holidays {
  const key = `${country}|${region ?? ''}`;
  const cached = calendarCache.get(key);
  if (cached !== undefined) return cached;
  if (!isHolidayCountry(country)) {
    throw new RangeError(
      `Expected a country code the holiday calendar knows, such as "US", got ${quote(country)}`,
    );
  }
  let calendar: Holidays;
  if (region === undefined) {
    calendar = new (holidaysClass())(country, { timezone: 'UTC' });
  } else {
    if (!isHolidayRegion(country, region)) {
      throw new RangeError(
        `Expected an ISO 3166-2 region of ${country} that the holiday calendar knows, such as "${country}-…", got ${quote(region)}`,
      );
    }
    calendar = new (holidaysClass())(country, region.slice(country.length + 1), { timezone: 'UTC' });
  }
  calendarCache.set(key, calendar);
  return calendar;
}

function normaliseTypes(types: readonly HolidayType[]): readonly HolidayType[] {
  for (const type of types) {
    if (!HOLIDAY_TYPES.includes(type)) {
      throw new RangeError(`Expected holiday types among ${HOLIDAY_TYPES.join(', ')}, got ${quote(type)}`);
    }
  }
  if (types.length === 0) throw new RangeError('Expected at least one holiday type, got []');
  return [...new Set(types)].sort();
}

function checkYears(fromYear: number, toYear: number): void {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear) {
    throw new RangeError(`Expected integer years with fromYear <= toYear, got ${fromYear}..${toYear}`);
  }
  if (toYear - fromYear >= MAX_YEARS) {
    throw new RangeError(`Expected at most ${MAX_YEARS} years, got ${fromYear}..${toYear}`);
  }
}

function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
