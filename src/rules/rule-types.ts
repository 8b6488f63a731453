import type { TimeIntervalInput, Weekday } from '../policy/types.js';

/** Kinds of holidays in the holiday calendar (the `date-holidays` package's types). */
export const HOLIDAY_TYPES = ['public', 'bank', 'school', 'optional', 'observance'] as const;
export type HolidayType = (typeof HOLIDAY_TYPES)[number];

/**
 * A place's holidays, read from the holiday calendar as blackout dates (spec section 12).
 * `region` is ISO 3166-2 (`US-LA`), inside `country` (ISO 3166-1 alpha-2, `US`).
 */
export interface HolidayCalendarRef {
  readonly country: string;
  readonly region?: string;
  /** @default ['public'] */
  readonly types?: readonly HolidayType[];
}

/** The places a rule applies to; a rule without `appliesTo` applies to every phone. */
export interface RulePlaces {
  /** ISO 3166-1 alpha-2 codes, such as `US`. */
  readonly countries?: readonly string[];
  /** ISO 3166-2 codes, such as `US-FL` or `CA-NL`. */
  readonly regions?: readonly string[];
}

/**
 * A calling rule as a campaign's `rules` option writes it (spec section 12): a limit on top of every
 * job's own policy, read on the callee's wall clock in the job's zone. A rule never widens a window.
 */
export interface CallingRule {
  /** A label, unique in the campaign. */
  readonly name: string;
  /** @default every phone */
  readonly appliesTo?: RulePlaces;
  /** As an entry's `allowedDays`. @default the whole week */
  readonly allowedDays?: readonly Weekday[];
  /** As an entry's `allowedTime`, `HH:mm` intervals, half-open. @default the whole day */
  readonly allowedTime?: { readonly [key in Weekday | 'default']?: readonly TimeIntervalInput[] };
  /** Local dates `YYYY-MM-DD` on which the rule allows nothing, 00:00 to 24:00 in the job's zone. */
  readonly blackoutDates?: readonly string[];
  /** A holiday calendar whose dates are blackout dates too. */
  readonly holidays?: HolidayCalendarRef;
  /** At most this many attempt starts to one phone, over all its jobs, in any rolling 24 hours. */
  readonly maxAttemptsPer24h?: number;
}

/**
 * How a built-in rule's figures were checked: against the text of the statute or regulation itself
 * (`primary-text`), or only against public summaries of it (`summary`).
 */
export type RuleEvidence = 'primary-text' | 'summary';

/** A built-in rule: a {@link CallingRule} with where its figures come from. Not legal advice. */
export interface BuiltInRule extends CallingRule {
  /** The statute or regulation cited, such as `47 CFR 64.1200(c)(1)`. */
  readonly source: string;
  /** Public pages that state it, the statute's text first where one was read. */
  readonly sourceUrls: readonly string[];
  /** The local date `YYYY-MM-DD` the row was last checked against those pages. */
  readonly checkedOn: string;
  readonly evidence: RuleEvidence;
  /** What the row leaves out or reads on the safe side (scope, exemptions, emergencies). */
  readonly notes?: string;
}
