/**
 * An independent check of calling rules (spec section 12) for one dial, written from the spec alone: the
 * rule rows read here by their own code, wall clocks from luxon per instant, holidays straight from the
 * `date-holidays` calendar, the phone's place from place-check.ts. It shares no code with src/policy,
 * src/schedule or src/rules (only the rows, which are data), so the audit catches mistakes of the
 * compiled intersection instead of repeating them.
 */
import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import type { DateTime } from 'luxon';
import { type CheckedPlace, checkedPlace } from './place-check.js';
import { type WeeklyCheck, wallClock, weeklyCheck, type Zone } from './window-check.js';

/** Local years a holiday calendar is read for; a rule with `holidays` allows nothing outside them. */
const FIRST_HOLIDAY_YEAR = 2000;
const LAST_HOLIDAY_YEAR = 2099;
const DAY_MS = 86_400_000;

/** One rule row, read for checks. */
interface CheckedRule {
  readonly name: string;
  /** `undefined`: the rule applies to every phone. */
  readonly countries?: ReadonlySet<string>;
  readonly regions?: ReadonlySet<string>;
  readonly weekly: WeeklyCheck;
  readonly blackoutDates: ReadonlySet<string>;
  readonly holidays?: {
    readonly country: string;
    readonly region?: string;
    readonly types: readonly string[];
  };
  readonly maxAttemptsPer24h?: number;
}

/** A rule that forbids a call at an instant, and why. */
export interface RuleRefusal {
  /** The rule's index in the rule book. */
  readonly rule: number;
  readonly why: string;
}

/**
 * Calling rules as a campaign's `rules` option writes them, read independently: which apply to a
 * phone, and which of those forbid a call at an instant on the callee's wall clock.
 */
export class RuleBook {
  readonly #rules: readonly CheckedRule[];
  readonly #applyingByPlace = new Map<string, readonly number[]>();
  readonly #holidayDates = new Map<string, ReadonlySet<string>>();

  /** Reads the rows, or throws an Error naming the first row it cannot read. */
  constructor(rows: readonly unknown[]) {
    this.#rules = rows.map((row, index) => {
      try {
        return readRule(row);
      } catch (error) {
        throw new Error(`rule ${index}: ${(error as Error).message}`);
      }
    });
  }

  /** The rules' names, in their order. */
  get names(): readonly string[] {
    return this.#rules.map((rule) => rule.name);
  }

  get size(): number {
    return this.#rules.length;
  }

  /**
   * The indexes of the rules that apply to a phone of `place`: a rule without `appliesTo` to every
   * phone; one with it to phones of a country or region it names; a phone whose place is unknown
   * (`undefined`) is inside every place, a US or Canadian phone whose region is unknown inside every
   * region of its country.
   */
  applyingTo(place: CheckedPlace | undefined): readonly number[] {
    const key = place === undefined ? '' : `${place.country}|${place.region ?? ''}`;
    let indexes = this.#applyingByPlace.get(key);
    if (indexes === undefined) {
      indexes = this.#rules.flatMap((rule, i) => (appliesTo(rule, place) ? [i] : []));
      this.#applyingByPlace.set(key, indexes);
    }
    return indexes;
  }

  /** {@link applyingTo} the place of the phone `digits` (country calling code first). */
  applyingToPhone(digits: string): readonly number[] {
    return this.applyingTo(checkedPlace(digits));
  }

  /** The name of rule `index`. */
  name(index: number): string {
    return this.#rules[index]!.name;
  }

  /** The smallest `maxAttemptsPer24h` of the rules `indexes`, or `undefined` when none sets one. */
  capOf(indexes: readonly number[]): number | undefined {
    let cap: number | undefined;
    for (const i of indexes) {
      const own = this.#rules[i]!.maxAttemptsPer24h;
      if (own !== undefined && (cap === undefined || own < cap)) cap = own;
    }
    return cap;
  }

  /**
   * The rules among `indexes` that forbid a call at `atMs`: each is read on the wall clock of every zone
   * of the job (a number whose area spans zones is allowed only when allowed in each). Empty: allowed.
   */
  refusals(indexes: readonly number[], zones: readonly Zone[], zoneTexts: readonly string[], atMs: number) {
    const refusals: RuleRefusal[] = [];
    if (indexes.length === 0) return refusals;
    const walls = zones.map((zone) => wallClock(zone, atMs));
    for (const i of indexes) {
      for (let k = 0; k < walls.length; k++) {
        const why = this.#outside(this.#rules[i]!, walls[k]!);
        if (why !== undefined) {
          refusals.push({ rule: i, why: `${why} in ${zoneTexts[k]}` });
          break;
        }
      }
    }
    return refusals;
  }

  #outside(rule: CheckedRule, wall: DateTime): string | undefined {
    const date = `${String(wall.year).padStart(4, '0')}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
    if (rule.blackoutDates.has(date)) return `${date} is a blackout date`;
    if (rule.holidays !== undefined) {
      if (wall.year < FIRST_HOLIDAY_YEAR || wall.year > LAST_HOLIDAY_YEAR)
        return `${date} is outside the holiday calendar's years ${FIRST_HOLIDAY_YEAR}-${LAST_HOLIDAY_YEAR}`;
      if (this.#holidaysOf(rule.holidays, wall.year).has(date)) return `${date} is a holiday`;
    }
    return rule.weekly.outside(wall)?.replace(' is outside the rules of the day', ' is outside its hours');
  }

  /** The local dates touched by the place's holidays of the wanted types that start in `year` ±1. */
  #holidaysOf(ref: NonNullable<CheckedRule['holidays']>, year: number): ReadonlySet<string> {
    const key = `${ref.country}|${ref.region ?? ''}|${ref.types.join(',')}|${year}`;
    let dates = this.#holidayDates.get(key);
    if (dates === undefined) {
      const found = new Set<string>();
      const calendar = holidayCalendar(ref.country, ref.region);
      for (let y = year - 1; y <= year + 1; y++) {
        for (const holiday of calendar.getHolidays(y)) {
          if (!ref.types.includes(holiday.type)) continue;
          // `date` is the local start ("YYYY-MM-DD hh:mm:ss"); the calendar runs in UTC, so end - start
          // is the holiday's length on the wall clock. Every date it touches is blocked.
          const startMs = Date.parse(`${holiday.date.replace(' ', 'T')}Z`);
          const endMs = startMs + (holiday.end.getTime() - holiday.start.getTime());
          for (let dayMs = startMs - (startMs % DAY_MS); dayMs < endMs; dayMs += DAY_MS) {
            found.add(new Date(dayMs).toISOString().slice(0, 10));
          }
        }
      }
      dates = found;
      this.#holidayDates.set(key, dates);
    }
    return dates;
  }
}

let holidaysClass: typeof Holidays | undefined;
const calendars = new Map<string, Holidays>();

function holidayCalendar(country: string, region: string | undefined): Holidays {
  const key = `${country}|${region ?? ''}`;
  let calendar = calendars.get(key);
  if (calendar === undefined) {
    holidaysClass ??= createRequire(import.meta.url)('date-holidays') as typeof Holidays;
    const state = region?.slice(country.length + 1);
    calendar =
      state === undefined
        ? new holidaysClass(country, { timezone: 'UTC' })
        : new holidaysClass(country, state, { timezone: 'UTC' });
    calendars.set(key, calendar);
  }
  return calendar;
}

function appliesTo(rule: CheckedRule, place: CheckedPlace | undefined): boolean {
  if (rule.countries === undefined && rule.regions === undefined) return true;
  if (place === undefined) return true;
  if (rule.countries?.has(place.country)) return true;
  for (const region of rule.regions ?? []) {
    if (region === place.region) return true;
    if (place.region === undefined && region.startsWith(`${place.country}-`)) return true;
  }
  return false;
}

function readRule(row: unknown): CheckedRule {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error('not an object');
  const r = row as Record<string, unknown>;
  if (typeof r.name !== 'string' || r.name === '')
    throw new Error(`name ${JSON.stringify(r.name)} is not a name`);
  const rule: { -readonly [K in keyof CheckedRule]: CheckedRule[K] } = {
    name: r.name,
    weekly: weeklyCheck(r.allowedDays, r.allowedTime),
    blackoutDates: new Set(stringList(r.blackoutDates, 'blackoutDates') ?? []),
  };
  if (r.appliesTo !== undefined) {
    const where = r.appliesTo as { countries?: unknown; regions?: unknown };
    rule.countries = new Set(stringList(where?.countries, 'appliesTo.countries') ?? []);
    rule.regions = new Set(stringList(where?.regions, 'appliesTo.regions') ?? []);
  }
  if (r.holidays !== undefined) {
    const h = r.holidays as { country?: unknown; region?: unknown; types?: unknown };
    if (typeof h?.country !== 'string') throw new Error('holidays has no country');
    if (h.region !== undefined && typeof h.region !== 'string')
      throw new Error('holidays.region is not a string');
    rule.holidays = {
      country: h.country,
      ...(h.region !== undefined && { region: h.region as string }),
      types: stringList(h.types, 'holidays.types') ?? ['public'],
    };
  }
  if (r.maxAttemptsPer24h !== undefined) {
    if (!Number.isInteger(r.maxAttemptsPer24h)) throw new Error('maxAttemptsPer24h is not an integer');
    rule.maxAttemptsPer24h = r.maxAttemptsPer24h as number;
  }
  return rule;
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new Error(`${field} is not a list of strings`);
  return value as string[];
}
