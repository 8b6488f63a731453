import { holidayDates } from '../rules/holidays.js';
import { type BlackoutDays, blackoutDaysOf, NO_BLACKOUT_DAYS } from '../schedule/blackout-days.js';
import { LruCache } from '../schedule/lru-cache.js';
import type { ParsedRule } from './parse-rules.js';

/**
 * The first and last years whose holidays a `holidays` rule blacks out. The calendar's rules for
 * later years are guesses, and reading them costs about a millisecond a year and calendar: a rule with
 * `holidays` allows nothing before 2000-01-01 or from 2100-01-01 on (local dates), the safe side.
 */
export const HOLIDAY_FIRST_YEAR = 2000;
export const HOLIDAY_LAST_YEAR = 2099;

const DAY_MS = 86_400_000;
/** Blackout day sets kept per rule set, by the years asked for: unbounded policies all ask for the same. */
const BLACKOUT_SPANS_PER_RULE_SET = 32;

/**
 * The rules that apply to a job, combined for `resolveSchedule` (spec section 12): the minutes of the
 * week every rule allows, and the local days some rule blacks out. Built once per set of rules (by
 * `compileRules` in resolve.ts, which reads each rule's days and hours); the blackout days of a span of
 * years are read once and kept (bounded).
 */
export class CompiledRules {
  /** The rules combined, in the order given. */
  readonly rules: readonly ParsedRule[];
  /** Minutes of the week every rule allows (1) or not (0), or `undefined` when no rule limits days or hours. */
  readonly allowedMinutes: Uint8Array | undefined;
  /** Whether no rule narrows any window (no rules, or rules of `maxAttemptsPer24h` alone). */
  readonly isEmpty: boolean;
  readonly #explicitDays: readonly number[];
  readonly #hasHolidays: boolean;
  readonly #blackoutBySpan = new LruCache<string, BlackoutDays>(BLACKOUT_SPANS_PER_RULE_SET);

  /**
   * @param allowedMinutes The minutes of the week every rule allows (`allowedMinutesOf` of their
   *   intersection), or `undefined` when no rule limits days or hours.
   */
  constructor(rules: readonly ParsedRule[], allowedMinutes: Uint8Array | undefined) {
    this.rules = rules;
    this.allowedMinutes = allowedMinutes;
    this.#explicitDays = [...new Set(rules.flatMap((rule) => rule.blackoutDays))].sort((a, b) => a - b);
    this.#hasHolidays = rules.some((rule) => rule.holidays !== undefined);
    this.isEmpty = allowedMinutes === undefined && this.#explicitDays.length === 0 && !this.#hasHolidays;
  }

  /**
   * The local days some rule blacks out in the local years `firstYear..lastYear` (`-Infinity` and
   * `Infinity` when unbounded; any number of years): the rules' `blackoutDates` in those years, and their holidays in those
   * years within {@link HOLIDAY_FIRST_YEAR}..{@link HOLIDAY_LAST_YEAR}, outside which a rule with
   * `holidays` blocks every day. Days outside the years are left out: the schedule asking allows
   * nothing then anyway, and equal schedules get equal sets.
   */
  blackoutDays(firstYear: number, lastYear: number): BlackoutDays {
    if (this.#explicitDays.length === 0 && !this.#hasHolidays) return NO_BLACKOUT_DAYS;
    // Blackout dates have four-digit years: wider spans read the same days.
    const first = Math.max(firstYear, 0);
    const last = Math.min(lastYear, 9999);
    const spanKey = `${first}..${last}`;
    let blackout = this.#blackoutBySpan.get(spanKey);
    if (blackout === undefined) {
      blackout = this.#readBlackoutDays(first, last);
      this.#blackoutBySpan.set(spanKey, blackout);
    }
    return blackout;
  }

  #readBlackoutDays(firstYear: number, lastYear: number): BlackoutDays {
    const fromDay = dayOfYearStart(firstYear);
    const untilDay = dayOfYearStart(lastYear + 1);
    const days = this.#explicitDays.filter((day) => day >= fromDay && day < untilDay);
    if (!this.#hasHolidays) return blackoutDaysOf(days);
    const from = Math.max(firstYear, HOLIDAY_FIRST_YEAR);
    const to = Math.min(lastYear, HOLIDAY_LAST_YEAR);
    if (from <= to) {
      for (const rule of this.rules) {
        if (rule.holidays === undefined) continue;
        const { country, region, types } = rule.holidays;
        for (const date of holidayDates(country, region, types, from, to)) days.push(dayOfDate(date));
      }
    }
    return blackoutDaysOf(days, dayOfYearStart(HOLIDAY_FIRST_YEAR), dayOfYearStart(HOLIDAY_LAST_YEAR + 1));
  }
}

/** No rules: nothing narrowed. */
export const NO_RULES = new CompiledRules([], undefined);

/** The local day (days since 1970-01-01) of 1 January of `year`. */
function dayOfYearStart(year: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, 0, 1);
  return date.getTime() / DAY_MS;
}

/** The local day of a `YYYY-MM-DD` date of the holiday calendar. */
function dayOfDate(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}
