import type { Issue } from '../errors.js';
import type { TimeInterval, Weekday } from '../schedule/weekly-rules.js';

export type { TimeInterval, Weekday } from '../schedule/weekly-rules.js';
export { WEEKDAYS } from '../schedule/weekly-rules.js';

/** A plain JSON value, as `payload` must be. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Parsed `allowedTime`: per-weekday lists and `default`, each non-empty and without overlaps. */
export type AllowedTime = { readonly [key in Weekday | 'default']?: readonly TimeInterval[] };

/**
 * A parsed `startDateTime`/`finishDateTime`: an instant, or a wall-clock date-time (as epoch ms of that
 * wall-clock time read as UTC) that is resolved in the number's zone.
 */
export type DateTimeValue =
  | { readonly kind: 'instant'; readonly ms: number }
  | { readonly kind: 'local'; readonly localMs: number };

/** Policy fields after parsing, before inheritance; an absent field is inherited from the level above. */
export interface PolicyFields {
  readonly startDateTime?: DateTimeValue;
  readonly finishDateTime?: DateTimeValue;
  /** Set of allowed days, sorted Monday first, without repeats. */
  readonly allowedDays?: readonly Weekday[];
  readonly allowedTime?: AllowedTime;
  /** 1..2880. */
  readonly retryIntervalInMinutes?: number;
  /** 1..50 (a given `0` is parsed as absent). */
  readonly maxAttempts?: number;
  /** Normalised zone ID (spec section 4). */
  readonly gmtZone?: string;
  /** 1..5. */
  readonly dialerPriority?: number;
}

/** An addPhones entry after parsing. */
export interface ParsedEntry {
  /** Digits only, 3 to 15 of them. */
  readonly phone: string;
  /** Absent when the entry has no payload (or `payload: undefined`). */
  readonly payload?: JsonValue;
  readonly policy: PolicyFields;
  /** Warnings the entry raised (a replaced `dialerPriority`), with paths inside the entry. */
  readonly warnings: readonly Issue[];
}

/** One calling interval as an entry writes it: `HH:mm` times, `localTimeTo` may be `24:00`. */
export interface TimeIntervalInput {
  readonly localTimeFrom: string;
  readonly localTimeTo: string;
}

/** The policy fields as an addPhones entry writes them (spec section 2); every one is optional. */
export interface PolicyInput {
  /** ISO 8601 date-time (with `Z` or an offset: that instant; without: local time in the number's zone) or epoch ms. */
  readonly startDateTime?: string | number;
  readonly finishDateTime?: string | number;
  readonly allowedDays?: readonly Weekday[];
  readonly allowedTime?: { readonly [key in Weekday | 'default']?: readonly TimeIntervalInput[] };
  /** Integer 1..2880; the built-in campaign value is 60. */
  readonly retryIntervalInMinutes?: number;
  /** Integer 0..50, the first call included; 0 means the campaign's value (built in: 1). */
  readonly maxAttempts?: number;
  /** `Z`, an offset, `UTC`/`GMT`/`UT` with an offset, or a region ID (spec section 4). */
  readonly gmtZone?: string;
  /** Integer 1..5, 1 highest; anything else is replaced by 5 with a warning. @default 5 */
  readonly dialerPriority?: number;
}

/** One addPhones entry as a caller writes it. */
export interface EntryInput extends PolicyInput {
  /** Digits with an optional leading `+`; spaces, `-`, `.`, `(`, `)` are dropped. */
  readonly phone: string | number;
  /** A plain JSON value passed back with each call. */
  readonly payload?: unknown;
}
