import type { JsonValue, PolicyInput } from '../policy/types.js';
import type { CallingRule } from '../rules/rule-types.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import type { CampaignCore } from './campaign-core.js';
import { CODE_NAMES } from './job-state.js';
import { CANCEL_REQUESTED, type JobColumn, type JobStore, LEASE_EXPIRED } from './job-store.js';
import { CAP_PERIOD_MS } from './phone-caps.js';

/** The snapshot format version this library writes and reads. */
export const SNAPSHOT_VERSION = 3;
/** Older versions `Campaign.restore` still reads: version 2 has no calling rules (none applied then). */
export const READABLE_SNAPSHOT_VERSIONS: readonly number[] = [2, SNAPSHOT_VERSION];

/**
 * The job columns a snapshot stores (the store's `nextOfPhone`/`prevOfPhone` and `payloadHash` are
 * rebuilt; `origin`, for `explain`, is not stored: a restored job is explained from its policy key).
 */
export type NumberColumn = Exclude<
  JobColumn,
  'state' | 'nextOfPhone' | 'prevOfPhone' | 'payloadHash' | 'origin'
>;

/**
 * A campaign as plain JSON (spec section 9). Job fields are stored as columns, one entry per retained
 * job in job-number order (`jobs.number` holds the job ID minus one); unbounded instants (`±Infinity`)
 * are written as `null`. The queues are not stored: their order is a function of the job fields, and the
 * windows of waiting and ready jobs are recomputed from their schedules on restore.
 */
export interface CampaignSnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly options: {
    readonly defaults: PolicyInput;
    readonly strictPriority: boolean;
    readonly leaseTimeoutMs: number;
    readonly dedupWindowMs: number;
    readonly maxTotalAttempts: number | null;
    readonly maxPayloadBytes: number;
    readonly retentionMs: number;
    /** The `rules` option as given (spec section 12); `[]` for none. */
    readonly rules: readonly CallingRule[];
  };
  /** The campaign's time; null before the first call. */
  readonly latestMs: number | null;
  readonly paused: boolean;
  /** The job number the next job gets (job ID minus one). */
  readonly nextJobNumber: number;
  /**
   * Compiled schedules: the zone ID (with several zones, every ID, sorted, joined by `&`), bounds, the
   * weekly rules as per-day `from-to` minute lists (the calling rules that apply already intersected),
   * and the index in `blackouts` of the local days the rules black out (`null`: none).
   */
  readonly schedules: readonly SnapshotSchedule[];
  /** The distinct sets of blackout days of the schedules, each as its canonical key. */
  readonly blackouts: readonly string[];
  /**
   * Phones with their attempts over all series, and for a phone a `maxAttemptsPer24h` rule caps, its
   * latest attempt starts (epoch ms, oldest first, at most the cap; absent when none). A phone whose jobs
   * are all forgotten is kept while its starts still count.
   */
  readonly phones: readonly { phone: string; attempts: number; recentStarts?: number[] }[];
  /** Canonical policy keys of added entries (the duplicate memory, with `jobs.policyKey` and `jobs.addedAtMs`). */
  readonly policyKeys: readonly string[];
  /**
   * The do-not-call list (spec section 12): phones (digits), sorted; absent when empty. Not tied to
   * the jobs: a blocked phone stays blocked after its jobs are forgotten.
   */
  readonly doNotCall?: readonly string[];
  readonly jobs: { readonly [column in NumberColumn]: readonly (number | null)[] } & {
    readonly state: readonly string[];
    /** `[jobNumber, payload]` for the jobs that have one. */
    readonly payloads: readonly [number, JsonValue][];
  };
}

const finiteOrNull = (ms: number): number | null => (Number.isFinite(ms) ? ms : null);

/** A schedule as a snapshot stores it: enough to rebuild it exactly, whatever rules the campaign has. */
export interface SnapshotSchedule {
  readonly zone: string;
  readonly startMs: number | null;
  readonly finishMs: number | null;
  readonly weekly: string;
  readonly blackout: number | null;
}

/** The schedules of a snapshot, in the order given, with their blackout day sets listed once. */
export function snapshotSchedules(
  schedules: Iterable<{
    readonly zoneKey: string;
    readonly startMs: number;
    readonly finishMs: number;
    readonly weeklyKey: string;
    readonly blackoutKey: string;
  }>,
): { schedules: SnapshotSchedule[]; blackouts: string[] } {
  const blackoutIndex = new Map<string, number>();
  const list: SnapshotSchedule[] = [];
  for (const s of schedules) {
    let blackout: number | null = null;
    if (s.blackoutKey !== '') {
      blackout = blackoutIndex.get(s.blackoutKey) ?? blackoutIndex.size;
      blackoutIndex.set(s.blackoutKey, blackout);
    }
    list.push({
      zone: s.zoneKey,
      startMs: finiteOrNull(s.startMs),
      finishMs: finiteOrNull(s.finishMs),
      weekly: s.weeklyKey,
      blackout,
    });
  }
  return { schedules: list, blackouts: [...blackoutIndex.keys()] };
}

/** The parts of a compiled schedule that {@link snapshotSchedules} stores. */
export function schedulePartsOf(s: CallSchedule): {
  zoneKey: string;
  startMs: number;
  finishMs: number;
  weeklyKey: string;
  blackoutKey: string;
} {
  return {
    zoneKey: s.zoneKey,
    startMs: s.startMs,
    finishMs: s.finishMs,
    weeklyKey: s.weekly.key,
    blackoutKey: s.blackout.key,
  };
}

/** How each number column is read back: its range, and what `null` means for instants. */
export interface ColumnRule {
  readonly name: NumberColumn;
  readonly kind: 'int' | 'instant';
  readonly min?: number;
  readonly max?: number;
  /** The value of `null` (instants only); undefined: null is not allowed. */
  readonly nullMeans?: number;
}

export const INT32_MAX = 2 ** 31 - 1;
/** A phone's attempts are counted in 32 bits: a restored count leaves room for as many attempts again. */
export const MAX_PHONE_ATTEMPTS = 2 ** 30;

/** The one list of job columns: what the writer writes and the reader checks. */
export const COLUMNS: readonly ColumnRule[] = [
  { name: 'number', kind: 'int', min: 0, max: INT32_MAX - 1 },
  { name: 'flags', kind: 'int', min: 0, max: CANCEL_REQUESTED | LEASE_EXPIRED },
  { name: 'attempts', kind: 'int', min: 0, max: 50 },
  { name: 'maxAttempts', kind: 'int', min: 1, max: 50 },
  { name: 'priority', kind: 'int', min: 1, max: 5 },
  { name: 'retryMinutes', kind: 'int', min: 1, max: 2880 },
  { name: 'schedule', kind: 'int', min: 0 },
  { name: 'phone', kind: 'int', min: 0 },
  { name: 'redialOf', kind: 'int', min: -1, max: INT32_MAX - 1 },
  { name: 'redialChild', kind: 'int', min: -1, max: INT32_MAX - 1 },
  { name: 'policyKey', kind: 'int', min: -1 },
  { name: 'ownFields', kind: 'int', min: 0, max: 2 ** 21 - 1 },
  { name: 'readyAtMs', kind: 'instant', nullMeans: Number.POSITIVE_INFINITY },
  { name: 'windowEndMs', kind: 'instant', nullMeans: Number.POSITIVE_INFINITY },
  { name: 'leaseUntilMs', kind: 'instant', nullMeans: Number.POSITIVE_INFINITY },
  { name: 'endedAtMs', kind: 'instant', nullMeans: Number.POSITIVE_INFINITY },
  { name: 'addedAtMs', kind: 'instant' },
];

/** Writes the campaign as a snapshot. */
export function writeSnapshot(core: CampaignCore): CampaignSnapshot {
  const { jobs, options } = core;
  const slots: number[] = [];
  jobs.forEachInOrder((slot) => slots.push(slot));
  // Tables compacted to the entries the retained jobs use, in first-use order.
  const scheduleIndex = new Map<number, number>();
  const phoneIndex = new Map<number, number>();
  const keyIndex = new Map<number, number>();
  const indexIn = (map: Map<number, number>, id: number) => {
    let index = map.get(id);
    if (index === undefined) {
      index = map.size;
      map.set(id, index);
    }
    return index;
  };
  const columns = {} as Record<NumberColumn, (number | null)[]>;
  for (const rule of COLUMNS) columns[rule.name] = [];
  const state: string[] = [];
  const payloads: [number, JsonValue][] = [];
  for (const slot of slots) {
    for (const rule of COLUMNS) {
      const raw = storeColumn(jobs, rule.name)[slot]!;
      let value: number | null = rule.kind === 'instant' ? finiteOrNull(raw) : raw;
      if (rule.name === 'schedule') value = indexIn(scheduleIndex, raw);
      else if (rule.name === 'phone') value = indexIn(phoneIndex, raw);
      else if (rule.name === 'policyKey') value = raw < 0 ? -1 : indexIn(keyIndex, raw);
      // Parking is queue bookkeeping, rebuilt on restore.
      else if (rule.name === 'flags') value = raw & (CANCEL_REQUESTED | LEASE_EXPIRED);
      columns[rule.name].push(value);
    }
    state.push(CODE_NAMES[jobs.state[slot]!]!);
    const payload = jobs.payloads[slot];
    if (payload !== undefined) payloads.push([jobs.number[slot]!, payload]);
  }
  return {
    version: SNAPSHOT_VERSION,
    options: {
      defaults: options.defaultsInput,
      strictPriority: options.strictPriority,
      leaseTimeoutMs: options.leaseTimeoutMs,
      dedupWindowMs: options.dedupWindowMs,
      maxTotalAttempts: options.maxTotalAttempts ?? null,
      maxPayloadBytes: options.maxPayloadBytes,
      retentionMs: options.retentionMs,
      rules: options.rulesInput,
    },
    latestMs: finiteOrNull(core.latestMs),
    paused: core.paused,
    nextJobNumber: jobs.created,
    ...snapshotSchedules([...scheduleIndex.keys()].map((id) => schedulePartsOf(core.schedules.get(id)))),
    phones: phonesOf(core, phoneIndex),
    policyKeys: [...keyIndex.keys()].map((id) => core.duplicates.policyKeys.get(id)),
    ...(core.blocked.size > 0 ? { doNotCall: sortedPhones(core.blocked) } : {}),
    jobs: { ...columns, state, payloads },
  };
}

/** A snapshot's phone record. */
export type SnapshotPhone = CampaignSnapshot['phones'][number];

/**
 * The phones a snapshot lists: those of the retained jobs (in first-use order), then by digits the
 * capped phones without jobs whose starts still count; starts as `recentStarts`, those of the 24 hours
 * before the latest instant only (older ones count for nothing).
 */
function phonesOf(core: CampaignCore, phoneIndex: ReadonlyMap<number, number>): SnapshotPhone[] {
  const { phones, caps } = core;
  const recordOf = (row: number): SnapshotPhone =>
    phoneRecord(phones.digitsOf(row), phones.attempts[row]!, caps.startsOf(row), core.latestMs);
  const listed = [...phoneIndex.keys()].map(recordOf);
  const jobless = [...caps.cappedRows()]
    .filter((row) => !phoneIndex.has(row))
    .map(recordOf)
    .filter((phone) => phone.recentStarts !== undefined);
  return [...listed, ...jobless.sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0))];
}

/** A phone record, with the starts of the 24 hours before `latestMs` as `recentStarts` when there are any. */
export function phoneRecord(
  phone: string,
  attempts: number,
  startsMs: readonly number[],
  latestMs: number,
): SnapshotPhone {
  const recent = startsMs.filter((at) => at > latestMs - CAP_PERIOD_MS);
  return recent.length === 0 ? { phone, attempts } : { phone, attempts, recentStarts: recent };
}

/** Phones in the snapshot's order: by digit string, code unit by code unit (as SQL's `COLLATE "C"`). */
export function sortedPhones(phones: Iterable<string>): string[] {
  return [...phones].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function storeColumn(jobs: JobStore, name: NumberColumn): { [slot: number]: number } {
  return jobs.column(name);
}
