import { DialerError, type Issue, quote } from '../errors.js';
import { isHolidayCountry, isHolidayRegion } from '../rules/holidays.js';
import { isPhoneCountry, isPhoneRegion } from '../rules/phone-place.js';
import { HOLIDAY_TYPES, type HolidayType } from '../rules/rule-types.js';
import { unknownKeyMessage } from './closest.js';
import { isPlainObject, type LazyIssueSink, parseAllowedDays, parseAllowedTime } from './fields.js';
import type { AllowedTime, Weekday } from './types.js';

/** A calling rule after validation (spec section 12). */
export interface ParsedRule {
  readonly name: string;
  /** The places the rule applies to; absent: every phone. */
  readonly appliesTo?: ParsedRulePlaces;
  /** Set of allowed days, sorted Monday first, without repeats; absent: the whole week. */
  readonly allowedDays?: readonly Weekday[];
  /** As an entry's; absent: the whole day. */
  readonly allowedTime?: AllowedTime;
  /** `blackoutDates` as local days since 1970-01-01, ascending, without repeats. */
  readonly blackoutDays: readonly number[];
  readonly holidays?: ParsedHolidays;
  /** At most this many attempt starts to one phone in any rolling 24 hours (the engine's, not a window). */
  readonly maxAttemptsPer24h?: number;
}

/** `appliesTo` after validation: each list sorted, without repeats, empty when not given. */
export interface ParsedRulePlaces {
  readonly countries: readonly string[];
  readonly regions: readonly string[];
}

/** `holidays` after validation: `types` sorted, without repeats, `['public']` when not given. */
export interface ParsedHolidays {
  readonly country: string;
  readonly region?: string;
  readonly types: readonly HolidayType[];
}

/** The parsers of a rule's optional fields (spec section 12), by name; `name` is checked on its own. */
const RULE_PARSERS = {
  appliesTo: parsePlaces,
  allowedDays: parseAllowedDays,
  allowedTime: parseAllowedTime,
  blackoutDates: parseBlackoutDates,
  holidays: parseHolidays,
  maxAttemptsPer24h: parseAttemptsPer24h,
};
type RawRule = {
  -readonly [K in keyof typeof RULE_PARSERS]?: Exclude<ReturnType<(typeof RULE_PARSERS)[K]>, undefined>;
};
/** The fields a rule may have: those of spec section 12, then the documentation fields of a built-in row. */
const RULE_FIELDS = [
  'name',
  ...Object.keys(RULE_PARSERS),
  'source',
  'sourceUrls',
  'checkedOn',
  'evidence',
  'notes',
];
const PLACE_FIELDS = ['countries', 'regions'];
const HOLIDAY_FIELDS = ['country', 'region', 'types'];
/** The most attempts `maxAttemptsPer24h` may allow: about one a minute and a half. */
export const MAX_ATTEMPTS_PER_24H = 1000;
const DAY_MS = 86_400_000;
const NO_RULES: readonly ParsedRule[] = Object.freeze([]);

/**
 * Validates a `rules` option (spec section 12): an array of rule objects, every field checked as an
 * entry's would be (`allowedDays`, `allowedTime` by the entry's own parsers), names unique. `undefined`
 * is no rules. The documentation fields of a built-in row (`source`, `sourceUrls`, `checkedOn`,
 * `evidence`, `notes`) are accepted and not read, so that `US_RULES` can be passed as it is.
 *
 * @param option The option's name, the first element of every issue's path. @default 'rules'
 * @throws DialerError with every issue, each with `path` starting `[option, i]`.
 */
export function parseRules(value: unknown, option = 'rules'): readonly ParsedRule[] {
  if (value === undefined) return NO_RULES;
  const issues: Issue[] = [];
  const sink =
    (at: readonly (string | number)[]): LazyIssueSink =>
    (path, code, message) =>
      issues.push({ path: [option, ...at, ...path], code, message: message() });
  if (!Array.isArray(value)) {
    sink([])(
      [],
      'invalid.option',
      () => `${option} ${quote(value)} is not valid: expected an array of rule objects.`,
    );
    throw new DialerError(issues);
  }
  const rules: ParsedRule[] = [];
  const indexByName = new Map<string, number>();
  for (let i = 0; i < value.length; i++) {
    const rule = parseRule(value[i], `${option}[${i}]`, sink([i]));
    if (rule !== undefined) rules.push(rule);
    // Names are checked for repeats even in rules with other errors, so that every issue shows at once.
    const name: unknown = isPlainObject(value[i]) ? value[i].name : undefined;
    if (typeof name !== 'string' || name === '') continue;
    const earlier = indexByName.get(name);
    if (earlier === undefined) indexByName.set(name, i);
    else {
      sink([i])(
        ['name'],
        'invalid.rule.name',
        () => `name ${quote(name)} is used by ${option}[${earlier}] too: each rule needs a name of its own.`,
      );
    }
  }
  if (issues.length > 0) throw new DialerError(issues);
  return Object.freeze(rules);
}

/** One rule, or `undefined` when it has an error (reported to `sink`, paths inside the rule). */
function parseRule(value: unknown, where: string, sink: LazyIssueSink): ParsedRule | undefined {
  if (!isPlainObject(value)) {
    sink(
      [],
      'invalid.option',
      () => `${where} ${quote(value)} is not valid: expected a rule object such as { name, allowedTime }.`,
    );
    return undefined;
  }
  let ok = true;
  const report: LazyIssueSink = (path, code, message) => {
    ok = false;
    sink(path, code, message);
  };
  const within =
    (field: string): LazyIssueSink =>
    (path, code, message) =>
      report([field, ...path], code, message);
  for (const key of Object.keys(value)) {
    if (!RULE_FIELDS.includes(key))
      report([key], 'unknown.field', () => unknownKeyMessage('field', key, RULE_FIELDS));
  }
  const name = value.name;
  if (typeof name !== 'string' || name === '') {
    report(['name'], 'invalid.rule.name', () =>
      name === undefined
        ? `${where}.name is missing: expected a non-empty string, unique among the rules.`
        : `name ${quote(name)} is not valid: expected a non-empty string, unique among the rules.`,
    );
  }
  const raw: RawRule = {};
  for (const field of Object.keys(RULE_PARSERS) as (keyof RawRule)[]) {
    if (value[field] === undefined) continue;
    const parsed = RULE_PARSERS[field](value[field], within(field));
    if (parsed !== undefined) (raw as Record<string, unknown>)[field] = parsed;
  }
  if (!ok) return undefined;
  const { blackoutDates, ...fields } = raw;
  return Object.freeze({ name: name as string, ...fields, blackoutDays: blackoutDates ?? [] });
}

/** `maxAttemptsPer24h`: an integer from 1 to {@link MAX_ATTEMPTS_PER_24H}. */
function parseAttemptsPer24h(value: unknown, sink: LazyIssueSink): number | undefined {
  if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_ATTEMPTS_PER_24H)
    return value as number;
  sink(
    [],
    'invalid.max.attempts.per.24h',
    () =>
      `maxAttemptsPer24h ${quote(value)} is not valid: expected an integer from 1 to ${MAX_ATTEMPTS_PER_24H} (attempt starts per phone in any 24 hours).`,
  );
  return undefined;
}

/** `appliesTo`: `{ countries?, regions? }`, at least one of them, each a non-empty array of codes. */
function parsePlaces(value: unknown, sink: LazyIssueSink): ParsedRulePlaces | undefined {
  const code = 'invalid.applies.to';
  if (!isPlainObject(value)) {
    sink(
      [],
      code,
      () =>
        `appliesTo ${quote(value)} is not valid: expected { countries?, regions? } of ISO 3166 codes (leave it out for every phone).`,
    );
    return undefined;
  }
  let ok = unknownKeys(value, PLACE_FIELDS, sink);
  if (value.countries === undefined && value.regions === undefined) {
    sink(
      [],
      code,
      () => 'appliesTo names no place: expected countries or regions (leave it out for every phone).',
    );
    return undefined;
  }
  const countries = parseCodes(value.countries, 'countries', sink, (country) =>
    /^[A-Z]{2}$/.test(country) && isPhoneCountry(country)
      ? undefined
      : 'is not a country phone numbers are placed in: expected an ISO 3166-1 alpha-2 code such as "US" or "GB"',
  );
  const regions = parseCodes(value.regions, 'regions', sink, (region) => {
    const country = region.slice(0, 2);
    if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(region) || !isPhoneCountry(country))
      return 'is not a region: expected an ISO 3166-2 code such as "US-FL" or "CA-NL"';
    // Phone numbers tell the state or province only in the US and Canada: a region there must be one they tell.
    if ((country === 'US' || country === 'CA') && !isPhoneRegion(region))
      return `is not a region phone numbers of ${country} are placed in: expected a state or province such as "US-FL" or "CA-NL" (territories such as PR are countries)`;
    return undefined;
  });
  ok = ok && countries !== undefined && regions !== undefined;
  return ok ? Object.freeze({ countries: countries!, regions: regions! }) : undefined;
}

/** A list of place codes, sorted and without repeats (`[]` when absent); `problem` says what is wrong with one. */
function parseCodes(
  value: unknown,
  field: string,
  sink: LazyIssueSink,
  problem: (code: string) => string | undefined,
): readonly string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) {
    sink(
      [field],
      'invalid.applies.to',
      () => `appliesTo.${field} ${quote(value)} is not valid: expected a non-empty array of ISO 3166 codes.`,
    );
    return undefined;
  }
  let ok = true;
  for (let k = 0; k < value.length; k++) {
    const item: unknown = value[k];
    const wrong = typeof item === 'string' ? problem(item) : 'is not a string';
    if (wrong !== undefined) {
      ok = false;
      sink([field, k], 'invalid.applies.to', () => `appliesTo.${field}[${k}] ${quote(item)} ${wrong}.`);
    }
  }
  return ok ? Object.freeze([...new Set(value as string[])].sort()) : undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `blackoutDates`: an array of local dates `YYYY-MM-DD` (repeats fine), as sorted local days. */
function parseBlackoutDates(value: unknown, sink: LazyIssueSink): readonly number[] | undefined {
  const code = 'invalid.blackout.dates';
  if (!Array.isArray(value)) {
    sink(
      [],
      code,
      () => `blackoutDates ${quote(value)} is not valid: expected an array of local dates "YYYY-MM-DD".`,
    );
    return undefined;
  }
  const days = new Set<number>();
  let ok = true;
  for (let k = 0; k < value.length; k++) {
    const item: unknown = value[k];
    const day = typeof item === 'string' ? localDayOfDate(item) : undefined;
    if (day === undefined) {
      ok = false;
      sink(
        [k],
        code,
        () =>
          `blackoutDates[${k}] ${quote(item)} is not a date: expected a local date "YYYY-MM-DD" such as "2024-12-24".`,
      );
    } else days.add(day);
  }
  return ok ? Object.freeze([...days].sort((a, b) => a - b)) : undefined;
}

/** The local day (days since 1970-01-01) of a calendar date `YYYY-MM-DD`, or `undefined` when it is not one. */
export function localDayOfDate(text: string): number | undefined {
  const match = DATE.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A day past the month's end rolls over into the next month: not a date.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime() / DAY_MS;
}

/** `holidays`: `{ country, region?, types? }` naming a place the holiday calendar knows. */
function parseHolidays(value: unknown, sink: LazyIssueSink): ParsedHolidays | undefined {
  const code = 'invalid.holidays';
  if (!isPlainObject(value)) {
    sink([], code, () => `holidays ${quote(value)} is not valid: expected { country, region?, types? }.`);
    return undefined;
  }
  let ok = unknownKeys(value, HOLIDAY_FIELDS, sink);
  const { country, region, types } = value;
  if (typeof country !== 'string' || !isHolidayCountry(country)) {
    sink(['country'], code, () =>
      country === undefined
        ? 'holidays.country is missing: expected an ISO 3166-1 alpha-2 code the holiday calendar knows, such as "US".'
        : `holidays.country ${quote(country)} is not a country the holiday calendar knows: expected an ISO 3166-1 alpha-2 code such as "US".`,
    );
    return undefined;
  }
  if (region !== undefined && (typeof region !== 'string' || !isHolidayRegion(country, region))) {
    ok = false;
    sink(
      ['region'],
      code,
      () =>
        `holidays.region ${quote(region)} is not a region of ${country} that the holiday calendar knows: expected an ISO 3166-2 code such as "${country}-…" (leave it out for the country's own list).`,
    );
  }
  let parsedTypes: readonly HolidayType[] = ['public'];
  if (types !== undefined) {
    const known: readonly unknown[] = HOLIDAY_TYPES;
    if (!Array.isArray(types) || types.length === 0 || !types.every((type) => known.includes(type))) {
      ok = false;
      sink(
        ['types'],
        code,
        () =>
          `holidays.types ${quote(types)} is not valid: expected a non-empty array of ${HOLIDAY_TYPES.map((type) => `"${type}"`).join(', ')}.`,
      );
    } else parsedTypes = [...new Set(types as HolidayType[])].sort();
  }
  if (!ok) return undefined;
  const holidays: ParsedHolidays =
    region === undefined
      ? { country, types: parsedTypes }
      : { country, region: region as string, types: parsedTypes };
  return Object.freeze(holidays);
}

/** Reports each key of `value` not in `known` as `unknown.field`; whether there was none. */
function unknownKeys(value: Record<string, unknown>, known: readonly string[], sink: LazyIssueSink): boolean {
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      ok = false;
      sink([key], 'unknown.field', () => unknownKeyMessage('field', key, known));
    }
  }
  return ok;
}
