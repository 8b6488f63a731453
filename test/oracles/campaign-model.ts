/**
 * A naive model of `Campaign` (spec sections 2 and 5 to 9), written from the spec alone for the
 * model-based test. Jobs sit in a plain array and every decision is a scan over it: which job is ready,
 * which comes first, which lease or window runs out next. Its window math scans local hour boundaries
 * (the test's policies use whole-hour windows) in a fixed list of zones; local date-times are resolved
 * by the brute-force `WindowOracle`. It shares no code with src/.
 *
 * Only the inputs the test generates are understood: the zones of `ZONES`, whole-hour `allowedTime`,
 * and the handful of invalid fields listed in `entryIssues`.
 */
import { type OraclePolicy, WindowOracle } from './window-oracle.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export type Interval = { localTimeFrom: string; localTimeTo: string };
export type PolicyFields = {
  startDateTime?: string | number;
  finishDateTime?: string | number;
  allowedDays?: string[];
  allowedTime?: Record<string, Interval[]>;
  gmtZone?: string;
  retryIntervalInMinutes?: number;
  maxAttempts?: number;
  dialerPriority?: number;
};
export type ModelEntry = PolicyFields & {
  phone: string | number;
  payload?: unknown;
  [field: string]: unknown;
};

export type FinalState = 'completed' | 'exhausted' | 'expired' | 'cancelled' | 'redialed';
export type ViewState = 'waiting' | 'ready' | 'dialing' | FinalState;
/** `pending`: waiting or ready (decided at an instant); `held`: a redial waiting for its parent's attempt. */
type InnerState = 'pending' | 'held' | 'dialing' | FinalState;

export interface ModelEvent {
  readonly type: string;
  readonly atMs: number;
  readonly attempt: number;
}
/** A result, or the issue codes of the DialerError expected (plus codes it may carry or not). */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly codes: string[]; readonly optional?: string[] };
export interface ModelTask {
  jobId: string;
  phone: string;
  payload: unknown;
  attempt: number;
  dialerPriority: number;
  windowEnd: number;
  readyAt: number;
  gmtZone: string;
  gmtZones: string[];
}
export interface ModelView {
  id: string;
  phone: string;
  payload: unknown;
  state: ViewState;
  attempts: number;
  maxAttempts: number;
  dialerPriority: number;
  gmtZone: string;
  gmtZones: string[];
  nextAttemptAt: number | null;
  redialOf: string | null;
}
export interface ModelOptions {
  defaults: PolicyFields;
  leaseTimeoutMs: number;
  dedupWindowMs: number;
  /** How long a final job is kept (section 10); it is kept `dedupWindowMs` after its add at least. */
  retentionMs: number;
  maxTotalAttempts?: number;
  /** Section 12's `maxAttemptsPer24h` of a phone (its digits); undefined: no rule caps it. */
  capOf?: (phone: string) => number | undefined;
  /** The `doNotCall` option (section 12): phones (digits) an outside list names. */
  doNotCall?: (phone: string) => boolean;
}

// --- zones: the spellings the test uses, with their normalised IDs ---

type Zone = { id: string; offsetMs: (t: number) => number };
const NY_SUMMER_FROM = Date.UTC(2024, 2, 10, 7);
const NY_SUMMER_TO = Date.UTC(2024, 10, 3, 6);
const fixed = (id: string, minutes: number): Zone => ({ id, offsetMs: () => minutes * MINUTE });
const newYork = (id: string): Zone => ({
  id,
  offsetMs: (t) => {
    if (t < Date.UTC(2023, 10, 5, 6) || t >= Date.UTC(2025, 2, 9, 7))
      throw new Error('model: NY out of range');
    return (t >= NY_SUMMER_FROM && t < NY_SUMMER_TO ? -4 : -5) * HOUR;
  },
});
export const ZONES: Record<string, Zone> = {
  Z: fixed('+00:00', 0),
  UTC: fixed('+00:00', 0),
  GMT: fixed('+00:00', 0),
  '+00:00': fixed('+00:00', 0),
  '+02:00': fixed('+02:00', 120),
  '+2': fixed('+02:00', 120),
  '+02': fixed('+02:00', 120),
  'UTC+2': fixed('+02:00', 120),
  'GMT+02:00': fixed('+02:00', 120),
  '+0200': fixed('+02:00', 120),
  '-05:00': fixed('-05:00', -300),
  '-5': fixed('-05:00', -300),
  'GMT-5': fixed('-05:00', -300),
  '-0500': fixed('-05:00', -300),
  '+05:45': fixed('+05:45', 345),
  '+0545': fixed('+05:45', 345),
  'America/New_York': newYork('America/New_York'),
  'US/Eastern': newYork('US/Eastern'),
};
const zoneOf = (text: string | undefined): Zone => {
  const zone = ZONES[text ?? 'Z'];
  if (zone === undefined) throw new Error(`model: unknown zone ${text}`);
  return zone;
};

// --- schedules: the wall-clock rule of section 3, scanned per local hour ---

export type Window = { start: number; end: number };
export interface Schedule {
  readonly zone: Zone;
  readonly startMs: number;
  readonly finishMs: number;
  /** Per weekday (Monday first), the day's intervals as [from, to) minutes; from > to is overnight. */
  readonly rules: [number, number][][];
  readonly oracle: WindowOracle;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const oracles = new Map<string, WindowOracle>();

/** The schedule of `own` over `defaults` in the zone spelt `zoneText` (section 3 inheritance). */
export function compileSchedule(
  own: PolicyFields,
  defaults: PolicyFields,
  zoneText: string | undefined,
): Schedule {
  const days = own.allowedDays ?? defaults.allowedDays;
  const rules = DAYS.map((day): [number, number][] => {
    if (days !== undefined && !days.includes(day)) return [];
    const list = own.allowedTime?.[day] ??
      own.allowedTime?.default ??
      defaults.allowedTime?.[day] ??
      defaults.allowedTime?.default ?? [{ localTimeFrom: '00:00', localTimeTo: '24:00' }];
    return list.map((i) => [minutesOf(i.localTimeFrom), minutesOf(i.localTimeTo)]);
  });
  const oraclePolicy: OraclePolicy = { gmtZone: zoneText ?? 'Z' };
  for (const key of ['startDateTime', 'finishDateTime', 'allowedDays', 'allowedTime'] as const) {
    if (own[key] !== undefined) Object.assign(oraclePolicy, { [key]: own[key] });
  }
  const key = JSON.stringify([oraclePolicy, defaults]);
  let oracle = oracles.get(key);
  if (oracle === undefined) {
    oracle = new WindowOracle(oraclePolicy, defaults as OraclePolicy);
    oracles.set(key, oracle);
  }
  return { zone: zoneOf(zoneText), startMs: oracle.startMs, finishMs: oracle.finishMs, rules, oracle };
}

export function isAllowed(s: Schedule, t: number): boolean {
  if (!(t >= s.startMs && t < s.finishMs)) return false;
  const local = t + s.zone.offsetMs(t);
  const dayNumber = Math.floor(local / DAY);
  // 1970-01-01 was a Thursday (index 3, Monday being 0).
  const weekday = (((dayNumber + 3) % 7) + 7) % 7;
  const minute = Math.floor((local - dayNumber * DAY) / MINUTE);
  for (const [from, to] of s.rules[weekday]!) {
    if (from < to ? minute >= from && minute < to : minute >= from) return true;
  }
  for (const [from, to] of s.rules[(weekday + 6) % 7]!) {
    if (from > to && minute < to) return true;
  }
  return false;
}

/** The next instant after `t` where the rule's answer may change: a local hour, the start or the finish. */
function nextBoundary(s: Schedule, t: number): number {
  const local = t + s.zone.offsetMs(t);
  let next = t + HOUR - (((local % HOUR) + HOUR) % HOUR);
  if (s.startMs > t && s.startMs < next) next = s.startMs;
  if (s.finishMs > t && s.finishMs < next) next = s.finishMs;
  return next;
}

/** Section 3's nextCallWindow by scanning; weekly rules repeat, so 9 days settle every question. */
export function nextWindow(s: Schedule, from: number): Window | null {
  let t = Math.max(from, s.startMs);
  if (t >= s.finishMs) return null;
  const limit = t + 9 * DAY;
  while (!isAllowed(s, t)) {
    t = nextBoundary(s, t);
    if (t >= s.finishMs || t > limit) return null;
  }
  const start = t;
  while (isAllowed(s, t)) {
    t = nextBoundary(s, t);
    if (t - start > 9 * DAY) return { start, end: s.finishMs };
  }
  return { start, end: t };
}

// --- entries ---

const KNOWN_FIELDS = new Set([
  'phone',
  'payload',
  'startDateTime',
  'finishDateTime',
  'allowedDays',
  'allowedTime',
  'retryIntervalInMinutes',
  'maxAttempts',
  'gmtZone',
  'dialerPriority',
]);

/** Digits of a phone, or null when section 2 rejects it. */
export function phoneDigits(phone: unknown): string | null {
  if (typeof phone === 'number')
    return Number.isSafeInteger(phone) && phone >= 0 ? digitsIfValid(String(phone)) : null;
  if (typeof phone !== 'string') return null;
  const stripped = phone.replace(/[ \-.()]/g, '');
  return digitsIfValid(stripped.startsWith('+') ? stripped.slice(1) : stripped);
}
const digitsIfValid = (digits: string): string | null => (/^\d{3,15}$/.test(digits) ? digits : null);

const isPriority = (p: unknown): p is number =>
  Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 5;

/**
 * Section 2 issue codes of one entry (only the kinds of invalid input the test generates). The
 * start-before-finish check is on effective values, so an entry with other errors may skip it: then
 * its issue is `optional`.
 */
function entryIssues(
  entry: ModelEntry,
  defaults: PolicyFields,
): { errors: string[]; optional: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const key of Object.keys(entry)) if (!KNOWN_FIELDS.has(key)) errors.push('unknown.field');
  if (phoneDigits(entry.phone) === null) errors.push('phone.bad.format');
  const m = entry.maxAttempts;
  if (m !== undefined && !(Number.isInteger(m) && m >= 0 && m <= 50)) errors.push('invalid.max.attempts');
  const r = entry.retryIntervalInMinutes;
  if (r !== undefined && !(Number.isInteger(r) && r >= 1 && r <= 2880)) errors.push('invalid.retry.interval');
  if (entry.dialerPriority !== undefined && !isPriority(entry.dialerPriority))
    warnings.push('invalid.dialer_priority');
  const s = compileSchedule(entry, defaults, entry.gmtZone ?? defaults.gmtZone);
  const optional: string[] = [];
  if (!(s.startMs < s.finishMs)) (errors.length > 0 ? optional : errors).push('invalid.date.time');
  return { errors, optional, warnings };
}

const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
};
const dateKey = (value: string | number | undefined): string | null => {
  if (value === undefined) return null;
  if (typeof value === 'number') return `I${value}`;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) return `I${Date.parse(value)}`;
  return `L${value.length === 16 ? `${value}:00` : value}`;
};

/** Section 8: the entry's own fields after parsing, before inheritance. */
function dedupKey(entry: ModelEntry): string {
  const timeKey = (list: Interval[]) =>
    [...new Set(list.map((i) => `${minutesOf(i.localTimeFrom)}-${minutesOf(i.localTimeTo)}`))]
      .sort()
      .join(',');
  const p = entry.dialerPriority;
  return JSON.stringify([
    phoneDigits(entry.phone),
    entry.gmtZone === undefined ? null : zoneOf(entry.gmtZone).id,
    dateKey(entry.startDateTime),
    dateKey(entry.finishDateTime),
    entry.allowedDays === undefined ? null : [...new Set(entry.allowedDays)].sort().join(','),
    entry.allowedTime === undefined
      ? null
      : Object.keys(entry.allowedTime)
          .sort()
          .map((k) => `${k}:${timeKey(entry.allowedTime![k]!)}`),
    entry.retryIntervalInMinutes ?? null,
    entry.maxAttempts === 0 ? null : (entry.maxAttempts ?? null),
    p === undefined ? null : isPriority(p) ? p : 5,
    entry.payload === undefined ? null : canonicalJson(entry.payload),
  ]);
}

// --- jobs ---

export interface ModelJob {
  readonly id: string;
  readonly phone: string;
  readonly payload: unknown;
  readonly schedule: Schedule;
  /** The number's own zone as spelt (entry, else defaults), which a redial keeps. */
  readonly zoneText: string | undefined;
  readonly priority: number;
  readonly maxAttempts: number;
  readonly retryMs: number;
  readonly redialOf: string | null;
  readonly addedAt: number;
  readonly dedupKey: string | null;
  state: InnerState;
  attempts: number;
  /** The retry pause's end, or the add (or release) instant. */
  notBefore: number;
  /** The allowed windows from `notBefore` on, found lazily. */
  windows: Window[];
  windowsDone: boolean;
  leaseDeadline: number;
  cancelRequested: boolean;
  child: ModelJob | null;
  /** The last attempt ended by its lease expiring. */
  leaseExpired: boolean;
  /** When it reached its final state. */
  endedAt: number;
  /** Forgotten after its retention: unknown to every call from then on. */
  forgotten: boolean;
  readonly events: ModelEvent[];
  readonly warnings: string[];
}

const isFinal = (state: InnerState): state is FinalState =>
  state === 'completed' ||
  state === 'exhausted' ||
  state === 'expired' ||
  state === 'cancelled' ||
  state === 'redialed';

export class CampaignModel {
  readonly jobs: ModelJob[] = [];
  latest = Number.NEGATIVE_INFINITY;
  paused = false;
  readonly #options: ModelOptions;
  readonly #phoneAttempts = new Map<string, number>();
  /** Every attempt start of each phone (section 12: counted over all its jobs, whatever was forgotten). */
  readonly #starts = new Map<string, number[]>();
  /** The do-not-call list (section 12): phones (digits) no job is added for until unblocked. */
  readonly blocked = new Set<string>();

  constructor(options: ModelOptions) {
    this.#options = options;
  }

  /** The campaign's time for a call passing `now`: never earlier than the latest instant. */
  timeOf(now: number): number {
    return Math.max(now, this.latest);
  }

  find(id: string): ModelJob | undefined {
    return this.jobs.find((job) => job.id === id && !job.forgotten);
  }

  /** `addPhones`; with `partial`, the rejected entries' codes come back in `rejected` (null job IDs). */
  addPhones(
    entries: ModelEntry[],
    now: number,
    partial = false,
  ): Outcome<{
    jobIds: (string | null)[];
    duplicates: number[];
    blocked: number[];
    warnings: string[];
    rejected: string[];
    rejectedOptional: string[];
  }> {
    const defaults = this.#options.defaults;
    const errors: string[] = [];
    const optional: string[] = [];
    const warnings: string[] = [];
    const rejectedAt = new Set<number>();
    entries.forEach((entry, index) => {
      const issues = entryIssues(entry, defaults);
      if (issues.errors.length > 0) rejectedAt.add(index);
      for (const code of issues.errors) errors.push(`${index}:${code}`);
      for (const code of issues.optional) optional.push(`${index}:${code}`);
      for (const code of issues.warnings) warnings.push(`${index}:${code}`);
    });
    if (errors.length > 0 && !partial) return { ok: false, codes: errors.sort(), optional };
    const t = this.timeOf(now);
    this.#advance(t);
    const jobIds: (string | null)[] = [];
    const duplicates: number[] = [];
    const blocked: number[] = [];
    entries.forEach((entry, index) => {
      if (rejectedAt.has(index)) {
        jobIds.push(null);
        return;
      }
      // A blocked phone's entry is not added, even when it repeats an earlier one.
      if (this.#isBlocked(phoneDigits(entry.phone)!)) {
        jobIds.push(null);
        blocked.push(index);
        return;
      }
      const key = dedupKey(entry);
      const first = this.jobs.find(
        (job) => !job.forgotten && job.dedupKey === key && t - job.addedAt < this.#options.dedupWindowMs,
      );
      if (first !== undefined) {
        jobIds.push(first.id);
        duplicates.push(index);
      } else jobIds.push(this.#addEntry(entry, t, key).id);
    });
    return {
      ok: true,
      value: {
        jobIds,
        duplicates,
        blocked,
        warnings: warnings.sort(),
        rejected: errors.sort(),
        rejectedOptional: optional,
      },
    };
  }

  addTestPhone(entry: ModelEntry, now: number): Outcome<string> {
    const issues = entryIssues(entry, this.#options.defaults);
    if (issues.errors.length > 0)
      return { ok: false, codes: issues.errors.sort(), optional: issues.optional };
    if (this.#isBlocked(phoneDigits(entry.phone)!)) return { ok: false, codes: ['phone.blocked'] };
    const t = this.timeOf(now);
    this.#advance(t);
    const job = this.#addEntry(entry, t, null);
    job.warnings.push(...issues.warnings);
    return { ok: true, value: job.id };
  }

  next(now: number): ModelTask | undefined {
    const t = this.timeOf(now);
    this.#advance(t);
    if (this.paused) return undefined;
    let best: { job: ModelJob; window: Window } | undefined;
    for (const job of this.jobs) {
      if (job.state !== 'pending' || this.#dialing(job.phone) !== undefined) continue;
      if (this.#capHolds(job.phone, t)) continue;
      const window = this.#windowAt(job, t);
      if (window === null || window.start > t) continue;
      if (best === undefined || this.#before(job, window, best.job, best.window)) best = { job, window };
    }
    if (best === undefined) return undefined;
    const { job, window } = best;
    if (t < job.notBefore) throw new Error('model: served before its retry pause');
    job.attempts++;
    job.state = 'dialing';
    job.leaseDeadline = t + this.#options.leaseTimeoutMs;
    job.leaseExpired = false;
    this.#phoneAttempts.set(job.phone, (this.#phoneAttempts.get(job.phone) ?? 0) + 1);
    this.#starts.set(job.phone, [...(this.#starts.get(job.phone) ?? []), t]);
    job.events.push({ type: 'dialing', atMs: t, attempt: job.attempts });
    if (this.#atCap(job.phone)) {
      for (const other of this.jobs) {
        if (other.phone === job.phone && (other.state === 'pending' || other.state === 'held'))
          this.#finish(other, 'exhausted', t);
      }
    }
    return {
      jobId: job.id,
      phone: job.phone,
      payload: job.payload,
      attempt: job.attempts,
      dialerPriority: job.priority,
      windowEnd: window.end,
      readyAt: window.start,
      gmtZone: job.schedule.zone.id,
      gmtZones: [job.schedule.zone.id],
    };
  }

  nextReadyAt(now: number): number | undefined {
    const t = this.timeOf(now);
    this.#advance(t);
    if (this.paused) return undefined;
    let earliest = Number.POSITIVE_INFINITY;
    for (const job of this.jobs) {
      if (job.state === 'pending') {
        // One line per phone: a job of a phone being dialed may go on when that lease expires, and
        // not before the phone's cap lets it.
        const from = this.#capFreeFrom(job.phone, Math.max(t, this.#dialing(job.phone)?.leaseDeadline ?? t));
        const window = this.#windowAt(job, from);
        if (window !== null) earliest = Math.min(earliest, Math.max(window.start, from));
      } else if (job.state === 'dialing' && !job.cancelRequested) {
        // If nothing else happens, the lease expires: the retry or the redial follows it.
        const d = job.leaseDeadline;
        const free = this.#capFreeFrom(job.phone, d);
        let window: Window | null = null;
        if (job.child !== null) {
          if (job.child.state === 'held') window = nextWindow(job.child.schedule, free);
        } else if (job.attempts < job.maxAttempts && !this.#atCap(job.phone)) {
          window = nextWindow(job.schedule, Math.max(d + job.retryMs, free));
        }
        if (window !== null) earliest = Math.min(earliest, window.start);
      }
    }
    return earliest === Number.POSITIVE_INFINITY ? undefined : earliest;
  }

  /** `complete` or `fail` of a job named by ID (`attempt` undefined) or by a task. */
  report(
    kind: 'complete' | 'fail',
    jobId: string,
    attempt: number | undefined,
    now: number,
    retryMinutes?: number,
  ): Outcome<void> {
    if (
      retryMinutes !== undefined &&
      !(Number.isInteger(retryMinutes) && retryMinutes >= 1 && retryMinutes <= 2880)
    )
      return { ok: false, codes: ['invalid.retry.interval'] };
    const error = this.#reportError(jobId, attempt, now);
    if (error !== null) return { ok: false, codes: [error] };
    const t = this.timeOf(now);
    this.#advance(t);
    const job = this.find(jobId)!;
    this.#endAttempt(
      job,
      t,
      kind === 'fail',
      retryMinutes === undefined ? job.retryMs : retryMinutes * MINUTE,
    );
    return { ok: true, value: undefined };
  }

  redial(
    jobId: string,
    attempt: number | undefined,
    params: PolicyFields & Record<string, unknown>,
    now: number,
  ): Outcome<string | null> {
    const error = this.#reportError(jobId, attempt, now);
    if (error !== null) return { ok: false, codes: [error] };
    const parent = this.find(jobId)!;
    if (parent.child !== null) {
      // Ignored, not validated; like every call that succeeds, it brings time up to date.
      this.#advance(this.timeOf(now));
      return { ok: true, value: parent.child.id };
    }
    const codes = new Set<string>();
    if ('gmtZone' in params) codes.add('invalid.redial');
    if (params.startDateTime === undefined && params.allowedTime === undefined) codes.add('invalid.redial');
    const m = params.maxAttempts;
    if (m !== undefined && !(Number.isInteger(m) && m >= 0 && m <= 50)) codes.add('invalid.max.attempts');
    if (codes.size > 0) return { ok: false, codes: [...codes].sort() };
    const t = this.timeOf(now);
    this.#advance(t);
    if (this.#atCap(parent.phone) || this.#isBlocked(parent.phone)) return { ok: true, value: null };
    const defaults = this.#options.defaults;
    const warnings: string[] = [];
    let priority = parent.priority;
    if (params.dialerPriority !== undefined) {
      priority = isPriority(params.dialerPriority) ? params.dialerPriority : 5;
      if (!isPriority(params.dialerPriority)) warnings.push('invalid.dialer_priority');
    }
    let maxAttempts = (params.maxAttempts || undefined) ?? (defaults.maxAttempts || undefined) ?? 1;
    if (maxAttempts > 5) {
      maxAttempts = 5;
      warnings.push('max.attempts.clamped');
    }
    const child = this.#newJob({
      phone: parent.phone,
      payload: parent.payload,
      schedule: compileSchedule(params, defaults, parent.zoneText),
      zoneText: parent.zoneText,
      priority,
      maxAttempts,
      retryMs: (params.retryIntervalInMinutes ?? defaults.retryIntervalInMinutes ?? 60) * MINUTE,
      redialOf: parent.id,
      addedAt: t,
      dedupKey: null,
    });
    child.state = 'held';
    child.warnings.push(...warnings);
    parent.child = child;
    return { ok: true, value: child.id };
  }

  cancel(selection: { jobIds?: string[]; phones?: (string | number)[] }, now: number): string[] {
    const t = this.timeOf(now);
    this.#advance(t);
    const cancelled: string[] = [];
    const cancelOne = (job: ModelJob) => {
      if (isFinal(job.state)) return;
      if (job.state === 'dialing') {
        if (job.cancelRequested) return;
        job.cancelRequested = true;
      } else this.#finish(job, 'cancelled', t);
      cancelled.push(job.id);
    };
    for (const id of selection.jobIds ?? []) {
      const job = this.find(id);
      if (job !== undefined) cancelOne(job);
    }
    for (const phone of selection.phones ?? []) {
      const digits = phoneDigits(phone);
      for (const job of this.jobs) if (job.phone === digits) cancelOne(job);
    }
    return cancelled;
  }

  /**
   * `blockPhones`: the phones on the list, then `cancel` of each one's jobs, newest first; a phone that
   * is not one is an error (`phone.bad.format` each), and nothing is blocked.
   */
  blockPhones(phones: (string | number)[], now: number): Outcome<string[]> {
    const digits = phones.map(phoneDigits);
    if (digits.includes(null))
      return { ok: false, codes: digits.flatMap((d) => (d === null ? ['phone.bad.format'] : [])) };
    const t = this.timeOf(now);
    this.#advance(t);
    const cancelled: string[] = [];
    for (const phone of new Set(digits as string[])) {
      this.blocked.add(phone);
      for (const job of [...this.jobs].reverse()) {
        if (job.phone !== phone || job.forgotten || isFinal(job.state)) continue;
        if (job.state === 'dialing') {
          if (job.cancelRequested) continue;
          job.cancelRequested = true;
        } else this.#finish(job, 'cancelled', t);
        cancelled.push(job.id);
      }
    }
    return { ok: true, value: cancelled };
  }

  /** `unblockPhones`: the phones that were on the list, in the order given, once each. */
  unblockPhones(phones: (string | number)[], now: number): Outcome<string[]> {
    const digits = phones.map(phoneDigits);
    if (digits.includes(null))
      return { ok: false, codes: digits.flatMap((d) => (d === null ? ['phone.bad.format'] : [])) };
    this.#advance(this.timeOf(now));
    const removed: string[] = [];
    for (const phone of digits as string[]) if (this.blocked.delete(phone)) removed.push(phone);
    return { ok: true, value: removed };
  }

  view(job: ModelJob): ModelView {
    let state: ViewState;
    let nextAttemptAt: number | null = null;
    if (job.state === 'pending') {
      const window = this.#windowAt(job, this.latest)!;
      const held = this.#capHolds(job.phone, this.latest);
      state =
        window.start <= this.latest && this.#dialing(job.phone) === undefined && !held ? 'ready' : 'waiting';
      nextAttemptAt = window.start;
      if (held) {
        // The first instant the cap and the job's windows allow; none when its windows end before.
        const free = this.#capFreeFrom(job.phone, this.latest);
        const next = this.#windowAt(job, free);
        nextAttemptAt = next === null ? null : Math.max(next.start, free);
      }
    } else state = job.state === 'held' ? 'waiting' : job.state;
    return {
      id: job.id,
      phone: job.phone,
      payload: job.payload,
      state,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      dialerPriority: job.priority,
      gmtZone: job.schedule.zone.id,
      gmtZones: [job.schedule.zone.id],
      nextAttemptAt,
      redialOf: job.redialOf,
    };
  }

  stats(): Record<ViewState | 'total', number> {
    const counts: Record<ViewState | 'total', number> = {
      waiting: 0,
      ready: 0,
      dialing: 0,
      completed: 0,
      exhausted: 0,
      expired: 0,
      cancelled: 0,
      redialed: 0,
      total: 0,
    };
    for (const job of this.jobs) {
      if (job.forgotten) continue;
      counts[this.view(job).state]++;
      counts.total++;
    }
    return counts;
  }

  // --- internals ---

  /** Brings every time-driven change up to `t`, earliest first: lease expiries and windows running out. */
  #advance(t: number): void {
    for (;;) {
      let due: { job: ModelJob; atMs: number } | undefined;
      for (const job of this.jobs) {
        let atMs: number;
        if (job.state === 'dialing') atMs = job.leaseDeadline;
        else if (job.state === 'pending') atMs = this.#expiryOf(job);
        else continue;
        if (atMs <= t && (due === undefined || atMs < due.atMs)) due = { job, atMs };
      }
      if (due === undefined) break;
      const { job, atMs } = due;
      if (job.state === 'pending' && job.forgotten) throw new Error('model: a forgotten job is pending');
      if (job.state === 'dialing') {
        job.leaseExpired = true;
        job.events.push({ type: 'leaseExpired', atMs, attempt: job.attempts });
        this.#endAttempt(job, atMs, true);
      } else this.#finish(job, 'expired', atMs);
    }
    this.#forgetUpTo(t);
    this.latest = Math.max(this.latest, t);
  }

  /** Section 10: final jobs past their retention are forgotten; a phone left without jobs loses its count. */
  #forgetUpTo(t: number): void {
    const { retentionMs, dedupWindowMs } = this.#options;
    for (const job of this.jobs) {
      if (job.forgotten || !isFinal(job.state)) continue;
      const keptUntil = Math.max(
        job.endedAt + retentionMs,
        job.dedupKey === null ? Number.NEGATIVE_INFINITY : job.addedAt + dedupWindowMs,
      );
      if (keptUntil <= t) job.forgotten = true;
    }
    for (const phone of [...this.#phoneAttempts.keys()]) {
      if (!this.jobs.some((job) => job.phone === phone && !job.forgotten)) this.#phoneAttempts.delete(phone);
    }
  }

  #reportError(jobId: string, attempt: number | undefined, now: number): string | null {
    const job = this.find(jobId);
    if (job === undefined) return 'job.not.found';
    if (attempt !== undefined && attempt !== job.attempts) return 'invalid.call.task.state';
    const t = this.timeOf(now);
    if (job.state === 'dialing') return job.leaseDeadline <= t ? 'lease.expired' : null;
    return job.leaseExpired ? 'lease.expired' : 'invalid.call.task.state';
  }

  #endAttempt(job: ModelJob, atMs: number, failed: boolean, retryMs = job.retryMs): void {
    const child = job.child;
    if (job.cancelRequested) {
      this.#finish(job, 'cancelled', atMs);
      if (child !== null && child.state === 'held') this.#finish(child, 'cancelled', atMs);
      return;
    }
    if (child !== null) {
      this.#finish(job, 'redialed', atMs);
      if (child.state === 'held') this.#makePending(child, atMs, atMs);
      return;
    }
    if (!failed) {
      this.#finish(job, 'completed', atMs);
    } else if (job.attempts >= job.maxAttempts || this.#atCap(job.phone)) {
      this.#finish(job, 'exhausted', atMs);
    } else if (nextWindow(job.schedule, atMs + retryMs) === null) {
      this.#finish(job, 'expired', atMs);
    } else {
      job.events.push({ type: 'retry', atMs, attempt: job.attempts });
      this.#makePending(job, atMs + retryMs, atMs);
    }
  }

  #addEntry(entry: ModelEntry, t: number, key: string | null): ModelJob {
    const defaults = this.#options.defaults;
    const p = entry.dialerPriority;
    const zoneText = entry.gmtZone ?? defaults.gmtZone;
    const job = this.#newJob({
      phone: phoneDigits(entry.phone)!,
      payload: entry.payload,
      schedule: compileSchedule(entry, defaults, zoneText),
      zoneText,
      priority: p === undefined ? (defaults.dialerPriority ?? 5) : isPriority(p) ? p : 5,
      maxAttempts: (entry.maxAttempts || undefined) ?? (defaults.maxAttempts || undefined) ?? 1,
      retryMs: (entry.retryIntervalInMinutes ?? defaults.retryIntervalInMinutes ?? 60) * MINUTE,
      redialOf: null,
      addedAt: t,
      dedupKey: key,
    });
    if (this.#atCap(job.phone)) this.#finish(job, 'exhausted', t);
    else this.#makePending(job, t, t);
    return job;
  }

  #newJob(
    fields: Pick<
      ModelJob,
      | 'phone'
      | 'payload'
      | 'schedule'
      | 'zoneText'
      | 'priority'
      | 'maxAttempts'
      | 'retryMs'
      | 'redialOf'
      | 'addedAt'
      | 'dedupKey'
    >,
  ): ModelJob {
    const job: ModelJob = {
      ...fields,
      id: String(this.jobs.length + 1),
      state: 'pending',
      attempts: 0,
      notBefore: fields.addedAt,
      windows: [],
      windowsDone: false,
      leaseDeadline: Number.NaN,
      cancelRequested: false,
      child: null,
      leaseExpired: false,
      endedAt: Number.NaN,
      forgotten: false,
      events: [{ type: 'added', atMs: fields.addedAt, attempt: 0 }],
      warnings: [],
    };
    this.jobs.push(job);
    return job;
  }

  /** The job waits from `notBefore` on, or ends `expired` at `atMs` when no allowed instant is left. */
  #makePending(job: ModelJob, notBefore: number, atMs: number): void {
    job.state = 'pending';
    job.notBefore = notBefore;
    job.windows = [];
    job.windowsDone = false;
    if (this.#windowAt(job, notBefore) === null) this.#finish(job, 'expired', atMs);
  }

  /** The job's window containing `t`, else its next one (both from `notBefore` on), or null. */
  #windowAt(job: ModelJob, t: number): Window | null {
    for (let k = 0; ; k++) {
      if (k === job.windows.length) {
        if (job.windowsDone) return null;
        const window = nextWindow(job.schedule, k === 0 ? job.notBefore : job.windows[k - 1]!.end);
        if (window === null) {
          job.windowsDone = true;
          return null;
        }
        job.windows.push(window);
      }
      const window = job.windows[k]!;
      if (window.end > t) return window;
    }
  }

  /** When a pending job runs out of windows: the end of its last one. */
  #expiryOf(job: ModelJob): number {
    if (job.schedule.finishMs === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    // No window ends after Infinity: this finds them all.
    this.#windowAt(job, Number.POSITIVE_INFINITY);
    const last = job.windows[job.windows.length - 1];
    return last === undefined ? job.notBefore : last.end;
  }

  /** Section 5's order: priority, window end, ready instant, job ID. */
  #before(a: ModelJob, wa: Window, b: ModelJob, wb: Window): boolean {
    if (a.priority !== b.priority) return a.priority < b.priority;
    if (wa.end !== wb.end) return wa.end < wb.end;
    if (wa.start !== wb.start) return wa.start < wb.start;
    return Number(a.id) < Number(b.id);
  }

  /** The job of `phone` being dialed, if any (section 5: one line per phone). */
  #dialing(phone: string): ModelJob | undefined {
    return this.jobs.find((job) => job.phone === phone && job.state === 'dialing');
  }

  /** Section 12: whether the phone has had its `maxAttemptsPer24h` starts in the 24 hours before `t`. */
  #capHolds(phone: string, t: number): boolean {
    const cap = this.#options.capOf?.(phone);
    if (cap === undefined) return false;
    return (this.#starts.get(phone) ?? []).filter((s) => s > t - DAY && s <= t).length >= cap;
  }

  /** The first instant at or after `t` at which the phone's cap lets an attempt start (no new start assumed). */
  #capFreeFrom(phone: string, t: number): number {
    if (!this.#capHolds(phone, t)) return t;
    const candidates = (this.#starts.get(phone) ?? []).map((s) => s + DAY).filter((at) => at > t);
    for (const at of candidates.sort((a, b) => a - b)) if (!this.#capHolds(phone, at)) return at;
    throw new Error('model: a cap that never frees its phone');
  }

  #isBlocked(phone: string): boolean {
    return this.blocked.has(phone) || this.#options.doNotCall?.(phone) === true;
  }

  #atCap(phone: string): boolean {
    const cap = this.#options.maxTotalAttempts;
    return cap !== undefined && (this.#phoneAttempts.get(phone) ?? 0) >= cap;
  }

  #finish(job: ModelJob, state: FinalState, atMs: number): void {
    job.state = state;
    job.endedAt = atMs;
    job.events.push({ type: state, atMs, attempt: job.attempts });
  }
}
