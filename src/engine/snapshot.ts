import { DialerError, quote } from '../errors.js';
import { isPlainObject } from '../policy/fields.js';
import type { JsonValue, PolicyInput } from '../policy/types.js';
import { scheduleOfParts } from '../schedule/compile.js';
import { parseZone } from '../schedule/gmt-zone.js';
import { rulesOfKey, weeklyWindowsOfRules } from '../schedule/weekly-windows.js';
import type { EngineState } from './engine-state.js';
import { CODE_NAMES, DIALING, PENDING, REDIALED } from './job-state.js';
import { HAS_PAYLOAD } from './job-store.js';
import type { CampaignOptions, ResolvedOptions } from './options.js';

/** The snapshot format version this library writes and reads. */
export const SNAPSHOT_VERSION = 1;

/**
 * A campaign as plain JSON (spec section 9). Job fields are stored as columns indexed by job number
 * (job ID minus one); unbounded instants (`±Infinity`) are written as `null`. The queues are not stored:
 * their order is a function of the job fields (priority, window end, ready instant, job ID).
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
  };
  /** The campaign's time; null before the first call. */
  readonly latestMs: number | null;
  readonly paused: boolean;
  /** Compiled schedules: zone ID, bounds, and the weekly rules as per-day `from-to` minute lists. */
  readonly schedules: readonly {
    zone: string;
    startMs: number | null;
    finishMs: number | null;
    weekly: string;
  }[];
  readonly phones: readonly { phone: string; attempts: number }[];
  readonly jobs: {
    readonly state: readonly string[];
    readonly flags: readonly number[];
    readonly attempts: readonly number[];
    readonly maxAttempts: readonly number[];
    readonly priority: readonly number[];
    readonly retryMinutes: readonly number[];
    readonly schedule: readonly number[];
    readonly phone: readonly number[];
    readonly redialOf: readonly number[];
    readonly redialChild: readonly number[];
    readonly readyAtMs: readonly (number | null)[];
    readonly windowEndMs: readonly (number | null)[];
    readonly leaseUntilMs: readonly (number | null)[];
    /** Index into `policyKeys` of the entry a job was added from (duplicate check), or -1. */
    readonly policyKey: readonly number[];
    /** `ownFieldsCode` of that entry. */
    readonly ownFields: readonly number[];
    readonly addedAtMs: readonly number[];
    /** `[jobNumber, payload]` for the jobs that have one. */
    readonly payloads: readonly [number, JsonValue][];
  };
  /** Canonical policy keys of added entries (the duplicate memory, with `jobs.policyKey` and `jobs.addedAtMs`). */
  readonly policyKeys: readonly string[];
}

const finiteOrNull = (ms: number): number | null => (Number.isFinite(ms) ? ms : null);

/** Writes the state as a snapshot. */
export function writeSnapshot(state: EngineState, options: ResolvedOptions): CampaignSnapshot {
  const { jobs } = state;
  const n = jobs.length;
  const column = <T>(read: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => read(i));
  const payloads: [number, JsonValue][] = [];
  for (let i = 0; i < n; i++) if (jobs.flags[i]! & HAS_PAYLOAD) payloads.push([i, jobs.payloads[i]!]);
  return {
    version: SNAPSHOT_VERSION,
    options: {
      defaults: options.defaultsInput,
      strictPriority: options.strictPriority,
      leaseTimeoutMs: options.leaseTimeoutMs,
      dedupWindowMs: options.dedupWindowMs,
      maxTotalAttempts: options.maxTotalAttempts ?? null,
      maxPayloadBytes: options.maxPayloadBytes,
    },
    latestMs: finiteOrNull(state.latestMs),
    paused: state.paused,
    schedules: state.schedules.map((s) => ({
      zone: s.zone.id,
      startMs: finiteOrNull(s.startMs),
      finishMs: finiteOrNull(s.finishMs),
      weekly: s.weekly.key,
    })),
    phones: Array.from({ length: state.phones.length }, (_, i) => ({
      phone: state.phones.digitsOf(i),
      attempts: state.phones.attempts[i]!,
    })),
    jobs: {
      state: column((i) => CODE_NAMES[jobs.state[i]!]!),
      flags: column((i) => jobs.flags[i]!),
      attempts: column((i) => jobs.attempts[i]!),
      maxAttempts: column((i) => jobs.maxAttempts[i]!),
      priority: column((i) => jobs.priority[i]!),
      retryMinutes: column((i) => jobs.retryMinutes[i]!),
      schedule: column((i) => jobs.schedule[i]!),
      phone: column((i) => jobs.phone[i]!),
      redialOf: column((i) => jobs.redialOf[i]!),
      redialChild: column((i) => jobs.redialChild[i]!),
      readyAtMs: column((i) => finiteOrNull(jobs.readyAtMs[i]!)),
      windowEndMs: column((i) => finiteOrNull(jobs.windowEndMs[i]!)),
      leaseUntilMs: column((i) => finiteOrNull(jobs.leaseUntilMs[i]!)),
      policyKey: column((i) => jobs.policyKey[i]!),
      ownFields: column((i) => jobs.ownFields[i]!),
      addedAtMs: column((i) => jobs.addedAtMs[i]!),
      payloads,
    },
    policyKeys: [...state.policyKeys],
  };
}

/**
 * Checks a snapshot and returns its options and a function that fills an empty state with it.
 * @throws DialerError `invalid.snapshot` naming the first inconsistency.
 */
export function readSnapshot(snapshot: unknown): {
  options: CampaignOptions;
  fill: (state: EngineState) => void;
} {
  const bad = (path: (string | number)[], message: string): never => {
    throw new DialerError([{ path: ['snapshot', ...path], code: 'invalid.snapshot', message }]);
  };
  if (!isPlainObject(snapshot))
    return bad([], `snapshot ${quote(snapshot)} is not valid: expected the object snapshot() returns.`);
  const s = snapshot as Partial<Record<keyof CampaignSnapshot, unknown>>;
  if (s.version !== SNAPSHOT_VERSION) {
    return bad(
      ['version'],
      `snapshot version ${quote(s.version)} is not supported: expected ${SNAPSHOT_VERSION}.`,
    );
  }
  const o = s.options as Record<string, unknown> | undefined;
  if (!isPlainObject(o)) return bad(['options'], 'snapshot options are missing.');
  const options: Record<string, unknown> = {
    defaults: o.defaults,
    strictPriority: o.strictPriority,
    leaseTimeoutMs: o.leaseTimeoutMs,
    dedupWindowMs: o.dedupWindowMs,
    maxPayloadBytes: o.maxPayloadBytes,
  };
  if (o.maxTotalAttempts !== null) options.maxTotalAttempts = o.maxTotalAttempts;

  const instant = (value: unknown, path: (string | number)[], nullMeans: number): number => {
    if (value === null) return nullMeans;
    if (typeof value !== 'number' || !Number.isFinite(value))
      return bad(path, `${quote(value)} is not an instant.`);
    return value;
  };
  const latestMs = instant(s.latestMs, ['latestMs'], Number.NEGATIVE_INFINITY);
  if (typeof s.paused !== 'boolean') return bad(['paused'], `paused ${quote(s.paused)} is not a boolean.`);
  const paused = s.paused;

  if (!Array.isArray(s.schedules)) return bad(['schedules'], 'schedules are missing.');
  const schedules = s.schedules.map((raw: unknown, k) => {
    if (!isPlainObject(raw)) return bad(['schedules', k], `${quote(raw)} is not a schedule.`);
    const zone = parseZone(raw.zone);
    if (typeof zone === 'string') return bad(['schedules', k, 'zone'], zone);
    const rules = typeof raw.weekly === 'string' ? rulesOfKey(raw.weekly) : undefined;
    if (rules === undefined)
      return bad(['schedules', k, 'weekly'], `${quote(raw.weekly)} is not a weekly rule key.`);
    const startMs = instant(raw.startMs, ['schedules', k, 'startMs'], Number.NEGATIVE_INFINITY);
    const finishMs = instant(raw.finishMs, ['schedules', k, 'finishMs'], Number.POSITIVE_INFINITY);
    if (!(startMs < finishMs)) return bad(['schedules', k], 'schedule start is not before its finish.');
    return scheduleOfParts(zone, weeklyWindowsOfRules(rules), startMs, finishMs);
  });

  if (!Array.isArray(s.phones)) return bad(['phones'], 'phones are missing.');
  const phones = s.phones.map((raw: unknown, k) => {
    if (!isPlainObject(raw) || typeof raw.phone !== 'string' || !/^\d{3,15}$/.test(raw.phone)) {
      return bad(['phones', k], `${quote(raw)} is not a phone record.`);
    }
    if (!Number.isInteger(raw.attempts) || (raw.attempts as number) < 0)
      return bad(['phones', k, 'attempts'], `${quote(raw.attempts)} is not a count.`);
    return { phone: raw.phone, attempts: raw.attempts as number };
  });
  if (new Set(phones.map((p) => p.phone)).size !== phones.length)
    return bad(['phones'], 'a phone appears twice.');

  const j = s.jobs as Record<string, unknown> | undefined;
  if (!isPlainObject(j)) return bad(['jobs'], 'jobs are missing.');
  const states = j.state;
  if (!Array.isArray(states)) return bad(['jobs', 'state'], 'job states are missing.');
  const n = states.length;
  const codes = states.map((name, i) => {
    const code = (CODE_NAMES as readonly string[]).indexOf(name as string);
    return code < 0
      ? bad(
          ['jobs', 'state', i],
          `job state ${quote(name)} is not known: expected one of ${CODE_NAMES.join(', ')}.`,
        )
      : code;
  });
  const ints = (name: string, min: number, max: number): number[] => {
    const col = j[name];
    if (!Array.isArray(col) || col.length !== n)
      return bad(['jobs', name], `column ${name} is missing or not ${n} long.`);
    return col.map((v: unknown, i) =>
      Number.isInteger(v) && (v as number) >= min && (v as number) <= max
        ? (v as number)
        : bad(['jobs', name, i], `${quote(v)} is not an integer from ${min} to ${max}.`),
    );
  };
  const instants = (name: string, nullMeans: number): number[] => {
    const col = j[name];
    if (!Array.isArray(col) || col.length !== n)
      return bad(['jobs', name], `column ${name} is missing or not ${n} long.`);
    return col.map((v: unknown, i) => instant(v, ['jobs', name, i], nullMeans));
  };
  const flags = ints('flags', 0, 7);
  const attempts = ints('attempts', 0, 255);
  const maxAttempts = ints('maxAttempts', 1, 50);
  const priority = ints('priority', 1, 5);
  const retryMinutes = ints('retryMinutes', 1, 2880);
  const schedule = ints('schedule', 0, schedules.length - 1);
  const phone = ints('phone', 0, phones.length - 1);
  const redialOf = ints('redialOf', -1, n - 1);
  const redialChild = ints('redialChild', -1, n - 1);
  const readyAtMs = instants('readyAtMs', Number.POSITIVE_INFINITY);
  const windowEndMs = instants('windowEndMs', Number.POSITIVE_INFINITY);
  const leaseUntilMs = instants('leaseUntilMs', Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    const child = redialChild[i]!;
    if (child >= 0 && redialOf[child] !== i)
      return bad(
        ['jobs', 'redialChild', i],
        `job ${i + 1} names redial ${child + 1}, which does not name it back.`,
      );
    if (codes[i] === PENDING && (redialOf[i]! < 0 || codes[redialOf[i]!] !== DIALING)) {
      return bad(['jobs', 'state', i], `job ${i + 1} is a pending redial whose parent is not dialing.`);
    }
    if (codes[i] === REDIALED && child < 0)
      return bad(['jobs', 'state', i], `job ${i + 1} is redialed but names no redial.`);
  }
  const payloadList = j.payloads;
  if (!Array.isArray(payloadList)) return bad(['jobs', 'payloads'], 'payloads are missing.');
  const payloads = new Map<number, JsonValue>();
  for (const [k, pair] of payloadList.entries()) {
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      !Number.isInteger(pair[0]) ||
      pair[0] < 0 ||
      pair[0] >= n
    ) {
      return bad(['jobs', 'payloads', k], `${quote(pair)} is not a [jobNumber, payload] pair.`);
    }
    payloads.set(pair[0], pair[1] as JsonValue);
  }
  for (let i = 0; i < n; i++) {
    if (Boolean(flags[i]! & HAS_PAYLOAD) !== payloads.has(i))
      return bad(['jobs', 'payloads'], `job ${i + 1}'s payload flag and payload disagree.`);
  }
  if (!Array.isArray(s.policyKeys) || !s.policyKeys.every((k) => typeof k === 'string')) {
    return bad(['policyKeys'], 'the policy keys of the duplicate memory are missing.');
  }
  const policyKeys = s.policyKeys as string[];
  if (new Set(policyKeys).size !== policyKeys.length)
    return bad(['policyKeys'], 'a policy key appears twice.');
  const policyKey = ints('policyKey', -1, policyKeys.length - 1);
  const ownFields = ints('ownFields', 0, 2 ** 21 - 1);
  const addedAtMs = instants('addedAtMs', Number.NaN);

  const fill = (state: EngineState) => {
    state.latestMs = latestMs;
    state.paused = paused;
    // Equal schedules are one shared object: map the snapshot's indexes to the table's.
    const scheduleIds = schedules.map((sched) => state.scheduleId(sched));
    for (const p of phones) {
      // `add` may grow the table (and replace its arrays): read `attempts` after it.
      const phoneId = state.phones.add(p.phone);
      state.phones.attempts[phoneId] = p.attempts;
    }
    const { jobs } = state;
    for (let i = 0; i < n; i++) {
      jobs.add();
      jobs.state[i] = codes[i]!;
      jobs.flags[i] = flags[i]!;
      jobs.attempts[i] = attempts[i]!;
      jobs.maxAttempts[i] = maxAttempts[i]!;
      jobs.priority[i] = priority[i]!;
      jobs.retryMinutes[i] = retryMinutes[i]!;
      jobs.schedule[i] = scheduleIds[schedule[i]!]!;
      jobs.phone[i] = phone[i]!;
      jobs.redialOf[i] = redialOf[i]!;
      jobs.redialChild[i] = redialChild[i]!;
      jobs.readyAtMs[i] = readyAtMs[i]!;
      jobs.windowEndMs[i] = windowEndMs[i]!;
      jobs.leaseUntilMs[i] = leaseUntilMs[i]!;
      jobs.policyKey[i] = policyKey[i]!;
      jobs.ownFields[i] = ownFields[i]!;
      jobs.addedAtMs[i] = addedAtMs[i]!;
      if (payloads.has(i)) jobs.payloads[i] = payloads.get(i)!;
      jobs.nextOfPhone[i] = state.phones.firstJob[phone[i]!]!;
      state.phones.firstJob[phone[i]!] = i;
    }
    for (const key of policyKeys) state.policyKeyId(key);
  };
  return { options: options as CampaignOptions, fill };
}
