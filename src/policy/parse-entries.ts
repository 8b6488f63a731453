import { DialerError, type Issue, MAX_ISSUES, quote } from '../errors.js';
import { phoneZones } from '../rules/phone-place.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { parseZone } from '../schedule/gmt-zone.js';
import { LruCache } from '../schedule/lru-cache.js';
import { parseEntryFast } from './fast-entry.js';
import { isPlainObject } from './fields.js';
import { type CampaignRules, NO_PHONE_RULES, type PhoneRuleSet } from './phone-rules.js';
import { ownFieldsCode, scheduleKey } from './policy-key.js';
import { type ResolvedJob, resolveEntryJob, resolveSchedule } from './resolve.js';
import {
  entryParsersFor,
  entrySchemaFor,
  issuesFromZod,
  resolveOptions,
  type ValidationOptions,
} from './schemas.js';
import type { ParsedEntry, PolicyFields } from './types.js';

/** Maps a phone (digits) to a `gmtZone` for numbers whose entry and defaults give none. */
export type ZoneResolver = (phone: string) => string | undefined;

/** How a body is parsed: validation options plus the layers below the entries. */
export interface ParseEntriesOptions extends ValidationOptions {
  /** Campaign defaults, already parsed. */
  readonly defaults?: PolicyFields;
  /** Zone of numbers with no `gmtZone` in the entry or the defaults; else UTC. */
  readonly zoneResolver?: ZoneResolver | undefined;
  /** The campaign's calling rules (spec section 12): those that apply to each phone narrow its schedule. */
  readonly rules?: CampaignRules | undefined;
  /**
   * Keep each accepted entry's own policy fields (`AcceptedEntry.policy`, which `forecast` explains).
   * Off for adds: kept for a whole body, the parsed fields outlive the young generation, and a body of
   * 100,000 entries took about 10% longer to add.
   * @default false
   */
  readonly keepPolicies?: boolean;
}

/**
 * An entry that passed validation, reduced to what a job needs: its job resolved over the defaults
 * (schedule, priority, attempts, pause) and its own fields as the duplicate key, so the parsed policy
 * objects die young.
 */
export interface AcceptedEntry {
  /** Digits only. */
  readonly phone: string;
  readonly payload: ParsedEntry['payload'];
  /** `scheduleKey(entry.policy)`. */
  readonly scheduleKey: string;
  /** `ownFieldsCode(entry.policy)`. */
  readonly ownFields: number;
  /** The entry's own policy fields, for an explanation of its layers; `undefined` but with `keepPolicies`. */
  readonly policy: PolicyFields | undefined;
  readonly job: ResolvedJob;
  /** The campaign's rules that apply to the phone (`forPhone`, read once here: microseconds off NANP). */
  readonly ruleSet: PhoneRuleSet;
  /** `phone.gmtZone.unknown` when the zone was to come from the number and the map knows none. */
  readonly zoneWarning?: Issue;
}

const NO_DEFAULTS: PolicyFields = {};
/** Schedules kept per defaults object, least recently used evicted beyond this many. */
export const ENTRY_SCHEDULE_CACHE_CAPACITY = 32_768;
/**
 * Compiled schedules per defaults object (weakly: they go with their campaign), by zone fallback and
 * policy key: a body shares a few hundred. Bounded, as one campaign (or the shared `NO_DEFAULTS`) can
 * see any number of distinct policies.
 */
const scheduleCaches = new WeakMap<PolicyFields, LruCache<string, CallSchedule>>();
/** The same for campaigns with rules, per rules object first (the rule set of a phone is in the key). */
const ruledScheduleCaches = new WeakMap<
  CampaignRules,
  WeakMap<PolicyFields, LruCache<string, CallSchedule>>
>();

function scheduleCacheOf(
  defaults: PolicyFields,
  rules: CampaignRules | undefined,
): LruCache<string, CallSchedule> {
  let byDefaults = scheduleCaches;
  if (rules !== undefined && !rules.isEmpty) {
    let own = ruledScheduleCaches.get(rules);
    if (own === undefined) {
      own = new WeakMap();
      ruledScheduleCaches.set(rules, own);
    }
    byDefaults = own;
  }
  let cache = byDefaults.get(defaults);
  if (cache === undefined) {
    cache = new LruCache(ENTRY_SCHEDULE_CACHE_CAPACITY);
    byDefaults.set(defaults, cache);
  }
  return cache;
}

/** Entries in the schedule cache of a defaults object now (for tests of its bound). */
export function entryScheduleCacheSize(defaults: PolicyFields | undefined): number {
  return scheduleCaches.get(defaults ?? NO_DEFAULTS)?.size ?? 0;
}

/**
 * A parsed body: one slot per entry (`undefined` where it had errors, so every rejected entry is known),
 * its errors (at most `MAX_ISSUES`, in entry order) and its warnings.
 */
export interface ParsedBody {
  readonly accepted: readonly (AcceptedEntry | undefined)[];
  /** The first `MAX_ISSUES` errors of the body, in entry order. */
  readonly errors: readonly Issue[];
  /**
   * Errors left out of `errors`, at least: the exact count of the issues cut from the entry that
   * reached the cap, plus one for each rejected entry after it (whose issues are never built).
   * 0 when `errors` is complete. Pass it on as `new DialerError(errors, omittedErrors)`.
   */
  readonly omittedErrors: number;
  readonly warnings: readonly Issue[];
}

/**
 * Validates an addPhones body (spec section 2) and compiles each valid entry's schedule over the
 * defaults. Issues are collected in entry order up to `MAX_ISSUES`; past the cap, a bad entry is only
 * told apart from a good one (by the fast path, which stops at its first problem) and counted in
 * `omittedErrors`: no zod issues, no messages, so a million bad entries cost about what good ones do.
 * Throws only for a body that is not an array (`invalid.body`).
 */
export function parseEntries(body: unknown, options: ParseEntriesOptions = {}): ParsedBody {
  if (!Array.isArray(body)) {
    throw new DialerError([
      {
        path: [],
        code: 'invalid.body',
        message: `the body ${quote(body)} is not valid: expected an array of entries.`,
      },
    ]);
  }
  const schema = entrySchemaFor(options);
  const parsers = entryParsersFor(resolveOptions(options));
  const accepted: (AcceptedEntry | undefined)[] = [];
  const errors: Issue[] = [];
  let omittedErrors = 0;
  const warnings: Issue[] = [];
  for (let index = 0; index < body.length; index++) {
    const raw: unknown = body[index];
    if (!isPlainObject(raw)) {
      if (errors.length < MAX_ISSUES) {
        errors.push({
          index,
          path: [],
          code: 'invalid.body',
          message: `entry ${quote(raw)} is not valid: expected a plain object with a phone.`,
        });
      } else omittedErrors++;
      accepted.push(undefined);
      continue;
    }
    let entry = parseEntryFast(raw, parsers);
    if (entry === undefined) {
      // Past the cap, the fast path's "no" is enough: it declines exactly the entries the schema rejects.
      if (errors.length >= MAX_ISSUES) {
        omittedErrors++;
        accepted.push(undefined);
        continue;
      }
      // The schema is the source of truth for issues (and for anything the fast path declines).
      const result = schema.safeParse(raw);
      if (!result.success) {
        const issues = issuesFromZod(result.error, index);
        const room = MAX_ISSUES - errors.length;
        for (let k = 0; k < issues.length && k < room; k++) errors.push(issues[k]!);
        if (issues.length > room) omittedErrors += issues.length - room;
        accepted.push(undefined);
        continue;
      }
      entry = result.data;
    }
    const outcome = acceptEntry(entry, index, options);
    if ('issue' in outcome) {
      if (errors.length < MAX_ISSUES) errors.push(outcome.issue);
      else omittedErrors++;
      accepted.push(undefined);
      continue;
    }
    for (const warning of entry.warnings) warnings.push({ index, ...warning });
    if (outcome.zoneWarning !== undefined) warnings.push(outcome.zoneWarning);
    accepted.push(outcome);
  }
  return { accepted, errors, omittedErrors, warnings };
}

/**
 * Compiles a parsed entry's schedule: its zone (entry, defaults, resolver, else the zones of the phone
 * number, else UTC with a warning) and start before finish.
 */
export function acceptEntry(
  entry: ParsedEntry,
  index: number | undefined,
  options: ParseEntriesOptions,
): AcceptedEntry | { readonly issue: Issue } {
  let fallbackZone: string | readonly string[] | undefined;
  let fallbackKey: string | undefined;
  let zoneWarning: Issue | undefined;
  if (entry.policy.gmtZone === undefined && options.defaults?.gmtZone === undefined) {
    if (options.zoneResolver) {
      const resolved: unknown = options.zoneResolver(entry.phone);
      if (resolved !== undefined) {
        const zone = parseZone(resolved);
        if (typeof zone === 'string') {
          return entryIssue(index, {
            path: ['gmtZone'],
            code: 'phone.gmtZone.bad.format',
            message: `zoneResolver gave ${quote(resolved)} for phone ${entry.phone}: ${zone}`,
          });
        }
        fallbackZone = zone.id;
        fallbackKey = zone.id;
      }
    } else {
      // Spec section 12: the zones of the number's area, as the platform reads them.
      const zones = phoneZones(entry.phone);
      if (zones.length > 0) {
        fallbackZone = zones;
        fallbackKey = phoneZonesKey(zones);
      } else zoneWarning = unknownZoneWarning(index, entry.phone);
    }
  }
  const key = scheduleKey(entry.policy);
  const ownFields = ownFieldsCode(entry.policy);
  const defaults = options.defaults ?? NO_DEFAULTS;
  const cache = scheduleCacheOf(defaults, options.rules);
  const ruleSet = options.rules === undefined ? NO_PHONE_RULES : options.rules.forPhone(entry.phone);
  const zoneKey = fallbackKey === undefined ? key : `${fallbackKey}#${key}`;
  const cacheKey = ruleSet.key === '' ? zoneKey : `${ruleSet.key}|${zoneKey}`;
  let schedule = cache.get(cacheKey);
  if (schedule === undefined) {
    try {
      schedule = resolveSchedule(entry.policy, defaults, fallbackZone, ruleSet.compiled);
    } catch (error) {
      if (error instanceof DialerError && error.issues[0] !== undefined)
        return entryIssue(index, error.issues[0]);
      throw error;
    }
    cache.set(cacheKey, schedule);
  }
  const accepted: AcceptedEntry = {
    phone: entry.phone,
    payload: entry.payload,
    scheduleKey: key,
    ownFields,
    policy: options.keepPolicies === true ? entry.policy : undefined,
    job: resolveEntryJob(entry.policy, defaults, schedule),
    ruleSet,
  };
  return zoneWarning === undefined ? accepted : { ...accepted, zoneWarning };
}

/** The cache key of a list of phone zones: their IDs joined, computed once per (shared) list. */
const zonesKeys = new WeakMap<readonly string[], string>();
function phoneZonesKey(zones: readonly string[]): string {
  let key = zonesKeys.get(zones);
  if (key === undefined) {
    key = zones.join('&');
    zonesKeys.set(zones, key);
  }
  return key;
}

/** The warning of a number whose zone was to come from the number, and the map knows none: UTC. */
function unknownZoneWarning(index: number | undefined, phone: string): Issue {
  const issue: Issue = {
    path: ['gmtZone'],
    code: 'phone.gmtZone.unknown',
    message: `phone ${phone} has no gmtZone (nor the defaults), and the time-zone map does not know its area: it is called in UTC (+00:00).`,
  };
  return index === undefined ? issue : { index, ...issue };
}

function entryIssue(index: number | undefined, issue: Issue): { readonly issue: Issue } {
  return { issue: index === undefined ? issue : { ...issue, index } };
}
