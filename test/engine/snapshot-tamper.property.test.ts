import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { type CallingRule, type CallTask, Campaign, DialerError } from '../../src/index.js';
import { inFirstZone } from '../../src/sim/effective-policy.js';
import { type WindowChecker, windowChecker } from '../../src/sim/window-check.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, sumOfStates } from './helpers.js';
import { type Fixture, fixtures, prng } from './tamper-fixtures.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 600);
const MAX_INSTANT_MS = 8.64e15;
const DRIVE_MS = 4 * DAY_MS;
const FINAL = new Set(['completed', 'exhausted', 'expired', 'cancelled', 'redialed']);
const STATES = ['waiting', 'ready', 'dialing', ...FINAL, 'pending'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const clock = () => {
  throw new Error('the test forgot to pass `now`');
};

// biome-ignore lint/suspicious/noExplicitAny: a snapshot as a store hands it back, to be tampered with
type Json = any;

/** Replaces the value by removing it (an array element is cut out, an object key deleted). */
const DELETE = Symbol('delete');

const GENERIC: readonly unknown[] = [
  null,
  -1,
  0,
  1,
  2,
  5,
  50,
  51,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  1e300,
  -1e300,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  'x',
  '1',
  true,
  [],
  {},
  DELETE,
];

const WEEKLY_KEYS: readonly string[] = [
  '540-1020,600-700|540-1020|540-1020|540-1020|540-1020||',
  '540-1020|540-1020,1000-1100|540-1020|540-1020|540-1020|600-840|',
  '0-1440|0-1440|0-1440|0-1440|0-1440|0-1440|0-1440',
  '||||||',
  '1200-120,60-300||||||',
  '1439-0|||||0-1|',
  '0540-1020|540-1020|540-1020|540-1020|540-1020||',
  '540-1020|540-1020',
  '540-1441||||||',
  '540-540||||||',
  '1440-100||||||',
  '-1-5||||||',
  '1200-300,0-200||||||',
  'abc',
];

const ZONES: readonly unknown[] = [
  'America/New_York',
  'US/Eastern',
  'Asia/Kathmandu',
  '+05:30',
  '+05:30:15',
  '-18:00',
  '+19:00',
  'UTC',
  'Z',
  'utc',
  'EST',
  'Mars/Base',
  '+5:30',
  '',
  1,
  // Several zones (spec section 12): the sorted key is valid, the others not.
  'America/Denver&America/North_Dakota/Center',
  'America/North_Dakota/Center&America/Denver',
  'America/Denver&America/Denver',
  'America/Denver&',
];

const OPTION_POOLS: Record<string, readonly unknown[]> = {
  defaults: [
    {},
    { gmtZone: 'Mars/Base' },
    { allowedDays: 'x' },
    { maxAttempts: 99 },
    { dialerPriority: 9 },
    { foo: 1 },
    { startDateTime: '2025-01-01T00:00:00Z', finishDateTime: '2024-01-01T00:00:00Z' },
    { gmtZone: 'Asia/Tokyo', allowedTime: { default: [{ localTimeFrom: '08:00', localTimeTo: '09:00' }] } },
    null,
    'x',
  ],
  strictPriority: [true, false, 'x', null],
  leaseTimeoutMs: [1, MINUTE_MS, 5 * HOUR_MS, 0, -1, 1e300, null, 'x'],
  dedupWindowMs: [0, 1, -1, 1e300, null],
  maxTotalAttempts: [null, 1, 2, 3, 0, -1, 2 ** 31, 1.5, 'x'],
  maxPayloadBytes: [1, 2, 10, 2 ** 31, -1, null],
  retentionMs: [0, 1, -1, 2 ** 32, null],
  unknownOption: [1, true],
};

/** One mutation, picked by numbers and resolved against the snapshot it is applied to. */
interface MutationPick {
  readonly kind: 'jobs' | 'schedules' | 'phones' | 'options' | 'top' | 'payloads' | 'rules';
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

const mutationPick: fc.Arbitrary<MutationPick> = fc.record({
  kind: fc.oneof(
    { weight: 10, arbitrary: fc.constant('jobs' as const) },
    { weight: 3, arbitrary: fc.constant('schedules' as const) },
    { weight: 1, arbitrary: fc.constant('phones' as const) },
    { weight: 1, arbitrary: fc.constant('options' as const) },
    { weight: 1, arbitrary: fc.constant('top' as const) },
    { weight: 1, arbitrary: fc.constant('payloads' as const) },
    { weight: 2, arbitrary: fc.constant('rules' as const) },
  ),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
});

/** A mutation as applied: where, and the value written. */
interface Mutation {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

const near = (v: unknown): unknown[] =>
  typeof v === 'number' && Number.isFinite(v)
    ? [v + 1, v - 1, v + MINUTE_MS, v - MINUTE_MS, v + HOUR_MS, v - HOUR_MS, v + DAY_MS, v - DAY_MS]
    : [];

const instants = (s: Json): unknown[] => {
  const latest = s.latestMs as number;
  const lease = s.options.leaseTimeoutMs as number;
  return [
    latest,
    latest + 1,
    latest - 1,
    latest + lease,
    latest + lease + 1,
    MAX_INSTANT_MS,
    -MAX_INSTANT_MS,
    MAX_INSTANT_MS - 1,
    MAX_INSTANT_MS + 1,
    -MAX_INSTANT_MS - 1,
    2 * MAX_INSTANT_MS + 2,
  ];
};

const distinct = (values: readonly unknown[]): unknown[] =>
  [...new Set(values.map((v) => JSON.stringify(v)))].map((v) =>
    v === undefined ? undefined : JSON.parse(v),
  );

/** The pool of values for a job column: the column's other values, edge values, and per-column specials. */
function jobPool(s: Json, column: string, index: number): unknown[] {
  const values: unknown[] = s.jobs[column];
  const current = values[index];
  const pool = [...distinct(values), ...GENERIC, ...near(current)];
  if (column === 'state') pool.push(...STATES, 'sleeping', 'Ready');
  if (column.endsWith('Ms')) pool.push(...instants(s));
  if (column === 'redialOf' || column === 'redialChild') pool.push(-1, ...s.jobs.number, s.nextJobNumber);
  if (column === 'flags') pool.push(0, 1, 2, 3, 4, 7);
  const schedules = Array.isArray(s.schedules) ? s.schedules.length : 0;
  const phones = Array.isArray(s.phones) ? s.phones.length : 0;
  if (column === 'schedule') pool.push(schedules, schedules - 1);
  if (column === 'phone') pool.push(phones, phones - 1);
  return pool;
}

/**
 * Do-not-call lists to write over a snapshot's: valid ones (fewer phones, one more phone whose jobs may
 * still be live) and broken ones (unsorted, repeated, not phones).
 */
function doNotCallPool(s: Json): unknown[] {
  const list: string[] = Array.isArray(s.doNotCall) ? s.doNotCall : [];
  const phones: string[] = Array.isArray(s.phones) ? s.phones.map((p: Json) => p?.phone) : [];
  const sorted = (xs: string[]) => [...new Set(xs)].sort();
  return [
    [],
    list.slice(1),
    ...phones.slice(0, 4).map((phone) => sorted([...list, phone])),
    sorted([...list, '5550000']),
    [...list].reverse(),
    [...list, ...list.slice(-1)],
    ['12'],
    ['1234567890123456'],
    [12120000001],
    ['+1212000'],
    null,
    'x',
    DELETE,
  ];
}

/** Applies one picked mutation to `s` (in place) and returns what it did. */
function apply(s: Json, pick: MutationPick): Mutation {
  const choose = <T>(pool: readonly T[], k: number): T => pool[k % pool.length]!;
  let path: (string | number)[];
  let pool: unknown[];
  switch (pick.kind) {
    case 'jobs': {
      const columns = Object.keys(s.jobs).filter((c) => c !== 'payloads');
      const column = choose(columns, pick.a);
      const index = pick.b % s.jobs.number.length;
      path = ['jobs', column, index];
      pool = jobPool(s, column, index);
      break;
    }
    case 'schedules': {
      if (!Array.isArray(s.schedules) || s.schedules.length === 0)
        return apply(s, { ...pick, kind: 'options' });
      const k = pick.b % s.schedules.length;
      const field = choose(['zone', 'startMs', 'finishMs', 'weekly', 'weekly', 'zone'], pick.a);
      path = ['schedules', k, field];
      if (s.schedules[k] === null || typeof s.schedules[k] !== 'object')
        return apply(s, { ...pick, kind: 'options' });
      const others = s.schedules.map((x: Json) => x?.[field]);
      pool =
        field === 'zone'
          ? [...others, ...ZONES, DELETE]
          : field === 'weekly'
            ? [...others, ...WEEKLY_KEYS, null, 5, DELETE]
            : [...others, ...GENERIC, ...instants(s), ...near(s.schedules[k][field])];
      break;
    }
    case 'phones': {
      if (!Array.isArray(s.phones) || s.phones.length === 0) return apply(s, { ...pick, kind: 'options' });
      const k = pick.b % s.phones.length;
      const field = choose(['phone', 'attempts'], pick.a);
      path = ['phones', k, field];
      if (s.phones[k] === null || typeof s.phones[k] !== 'object')
        return apply(s, { ...pick, kind: 'options' });
      pool =
        field === 'phone'
          ? [
              ...s.phones.map((p: Json) => p.phone),
              '123',
              '12',
              '1234567890123456',
              '+1212000',
              '',
              'abc',
              12120000001,
              DELETE,
            ]
          : [...GENERIC, ...near(s.phones[k].attempts), s.options.maxTotalAttempts];
      break;
    }
    case 'options': {
      const field = choose(Object.keys(OPTION_POOLS), pick.a);
      path = ['options', field];
      pool = [...OPTION_POOLS[field]!, DELETE];
      break;
    }
    case 'top': {
      const field = choose(
        ['latestMs', 'paused', 'nextJobNumber', 'version', 'policyKeys', 'schedules', 'phones', 'doNotCall'],
        pick.a,
      );
      path = [field];
      pool =
        field === 'doNotCall'
          ? doNotCallPool(s)
          : field === 'latestMs'
            ? [...instants(s), ...near(s.latestMs), null, ...GENERIC]
            : field === 'nextJobNumber'
              ? [s.nextJobNumber + 1, s.nextJobNumber - 1, s.nextJobNumber + 1000, ...GENERIC]
              : field === 'paused'
                ? [true, false, null, 1]
                : field === 'version'
                  ? [1, 3, '2', null, DELETE]
                  : [[], null, 'x', DELETE, Array.isArray(s[field]) ? [...s[field]].reverse() : []];
      break;
    }
    case 'rules': {
      // The calling rules' parts: a schedule's blackout set, a set's key, the rules option.
      const part = pick.a % 3;
      const blackouts: unknown[] = Array.isArray(s.blackouts) ? s.blackouts : [];
      if (part === 0 && Array.isArray(s.schedules) && s.schedules.length > 0 && s.schedules[0] !== null) {
        const k = pick.b % s.schedules.length;
        path = ['schedules', k, 'blackout'];
        pool = [null, 0, 1, -1, blackouts.length, blackouts.length - 1, 1.5, '0', DELETE];
      } else if (part === 1 && blackouts.length > 0) {
        const k = pick.b % blackouts.length;
        const key = String(blackouts[k]);
        path = ['blackouts', k];
        pool = [
          ...blackouts,
          '',
          'x',
          `${key}0`,
          key.replace(':', '::'),
          '..:19000:',
          '..:19000:0',
          1,
          null,
          DELETE,
        ];
      } else {
        path = part === 1 ? ['blackouts'] : ['options', 'rules'];
        pool = [
          [],
          null,
          'x',
          DELETE,
          [{ name: 'a', allowedDays: ['funday'] }],
          [{ name: 'a' }, { name: 'a' }],
          [{ name: 'late', allowedTime: { default: [{ localTimeFrom: '21:00', localTimeTo: '23:00' }] } }],
        ];
      }
      break;
    }
    case 'payloads': {
      const pairs = s.jobs.payloads as unknown[];
      if (pairs.length === 0) return apply(s, { ...pick, kind: 'jobs' });
      const k = pick.b % pairs.length;
      const part = pick.a % 3;
      path = part === 2 ? ['jobs', 'payloads', k] : ['jobs', 'payloads', k, part];
      pool =
        part === 0
          ? [...s.jobs.number, s.nextJobNumber, -1, 1.5, '1', null]
          : part === 1
            ? [null, 'x', { deep: [1, { a: null }] }, Number.NaN, 'y'.repeat(70_000), DELETE]
            : [[0], 'x', null, [1, 2, 3], DELETE];
      break;
    }
  }
  const value = choose(pool, pick.c);
  let target = s;
  for (const key of path.slice(0, -1)) target = target?.[key];
  const last = path.at(-1)!;
  if (target !== null && typeof target === 'object') {
    if (value === DELETE) {
      if (Array.isArray(target)) target.splice(last as number, 1);
      else delete target[last];
    } else target[last] = value;
  }
  return { path, value };
}

const describeValue = (v: unknown): string =>
  v === DELETE
    ? '(removed)'
    : typeof v === 'number' && !Number.isFinite(v)
      ? String(v)
      : (JSON.stringify(v)?.slice(0, 80) ?? String(v));
const describeMutations = (ms: readonly Mutation[]) =>
  ms.map((m) => `${m.path.join('.')} = ${describeValue(m.value)}`).join('; ');

/** A checker of a schedule as a snapshot stores it: its zone, bounds and weekly minute lists (Monday first). */
function scheduleChecker(schedule: Json): WindowChecker {
  const hhmm = (minute: number) =>
    `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  const allowedDays: string[] = [];
  const allowedTime: Record<string, { localTimeFrom: string; localTimeTo: string }[]> = {};
  (schedule.weekly as string).split('|').forEach((day, k) => {
    if (day === '') return;
    allowedDays.push(DAYS[k]!);
    allowedTime[DAYS[k]!] = day.split(',').map((part) => {
      const [from, to] = part.split('-').map(Number) as [number, number];
      return { localTimeFrom: hhmm(from), localTimeTo: hhmm(to) };
    });
  });
  if (allowedDays.length === 0) return { violation: () => 'a schedule without any allowed time' };
  // With several zones, allowed only when allowed on each zone's wall clock.
  const parts = (schedule.zone as string).split('&').map((gmtZone) =>
    windowChecker({
      gmtZone,
      allowedDays,
      allowedTime,
      ...(schedule.startMs === null ? {} : { startDateTime: schedule.startMs }),
      ...(schedule.finishMs === null ? {} : { finishDateTime: schedule.finishMs }),
    }),
  );
  return {
    violation: (atMs) => {
      for (const part of parts) {
        const why = part.violation(atMs);
        if (why !== undefined) return why;
      }
      return undefined;
    },
  };
}

/**
 * A checker of calling rules on their own (spec section 12), from the spec alone: each rule's days and
 * hours as a policy in the job's zone, and its blackout dates as local dates read with luxon.
 */
function rulesChecker(zone: string, rules: readonly CallingRule[]): WindowChecker {
  const parts = rules.map((rule) =>
    windowChecker({
      gmtZone: zone,
      ...(rule.allowedDays === undefined ? {} : { allowedDays: rule.allowedDays }),
      ...(rule.allowedTime === undefined ? {} : { allowedTime: rule.allowedTime }),
    }),
  );
  const blackout = new Set(rules.flatMap((rule) => rule.blackoutDates ?? []));
  return {
    violation(atMs) {
      for (const [k, part] of parts.entries()) {
        const why = part.violation(atMs);
        if (why !== undefined) return `rule ${rules[k]!.name}: ${why}`;
      }
      const date = DateTime.fromMillis(atMs, { zone }).toISODate()!;
      return blackout.has(date) ? `${date} in ${zone} is a blackout date` : undefined;
    },
  };
}

/** Calls `next` over simulated days, reporting each task (complete or fail) at once or leaving it to its lease. */
function drive(campaign: Campaign, seed: number, onServe: (task: CallTask, t: number) => void): void {
  const random = prng(seed);
  campaign.resume();
  const startMs = Math.max(campaign.latestMs, -MAX_INSTANT_MS);
  const endMs = Math.min(startMs + DRIVE_MS, MAX_INSTANT_MS);
  let t = startMs;
  for (let step = 0; step < 3000 && t <= endMs; step++) {
    for (let k = 0; k < 200; k++) {
      const task = campaign.next(t);
      if (task === undefined) break;
      onServe(task, t);
      const x = random();
      if (x < 0.4) campaign.complete(task, t);
      else if (x < 0.9) campaign.fail(task, t, x < 0.55 ? { retryIntervalInMinutes: 1 } : undefined);
    }
    const readyAt = campaign.nextReadyAt(t);
    const nextT =
      readyAt === undefined
        ? t + 6 * HOUR_MS
        : readyAt > t
          ? Math.min(readyAt, t + 2 * HOUR_MS)
          : t + MINUTE_MS;
    if (t === endMs) break;
    t = Math.min(nextT, endMs);
  }
}

interface Outcome {
  readonly result: 'rejected' | 'accepted' | 'served';
  readonly violations: string[];
  readonly excused: number;
}

/** Restores a tampered snapshot of `fixture` and checks what the restored campaign does. */
function check(
  fixture: Fixture,
  original: Json,
  tampered: Json,
  mutations: readonly Mutation[],
  seed: number,
): Outcome {
  const violations: string[] = [];
  let campaign: Campaign;
  try {
    campaign = Campaign.restore(tampered, { clock });
  } catch (error) {
    const codes = error instanceof DialerError ? error.issues.map((i) => i.code) : [];
    if (
      !(error instanceof DialerError) ||
      codes.length === 0 ||
      codes.some((c) => c !== 'invalid.snapshot' && c !== 'invalid.option')
    ) {
      violations.push(
        `restore threw ${error instanceof DialerError ? `a DialerError with codes ${[...new Set(codes)]}` : String(error)}`,
      );
    }
    return { result: 'rejected', violations, excused: 0 };
  }
  const listed = new Set<string>(campaign.snapshot().doNotCall ?? []);
  const listGiven = Array.isArray(tampered.doNotCall) ? tampered.doNotCall : [];
  if (JSON.stringify([...listed]) !== JSON.stringify(listGiven))
    violations.push(
      `restored the do-not-call list ${JSON.stringify([...listed])} from ${JSON.stringify(listGiven)}`,
    );
  const touched = new Set(mutations.map((m) => m.path.join('.')));
  // Whole tables replaced: every job's schedule may have changed.
  const tablesTouched = touched.has('schedules');
  // The blackout day sets, or the version that says whether there are any, changed: rules unchecked.
  const rulesTouched = [...touched].some((p) => p === 'version' || p.startsWith('blackouts'));
  const indexOf = new Map<number, number>((tampered.jobs.number as number[]).map((n, i) => [n, i]));
  const checkers = new Map<string, WindowChecker>();
  const checkerOf = (i: number): WindowChecker => {
    const k = tampered.jobs.schedule[i] as number;
    const own =
      tablesTouched ||
      touched.has(`jobs.schedule.${i}`) ||
      [...touched].some((p) => p.startsWith(`schedules.${k}.`) || p === `schedules.${k}`);
    const key = own ? `schedule ${k}` : `job ${original.jobs.number[i] + 1}`;
    let checker = checkers.get(key);
    if (checker === undefined) {
      const id = String(original.jobs.number[i] + 1);
      if (own) checker = scheduleChecker(tampered.schedules[k]);
      else {
        const policy = fixture.policies.get(id)!;
        const own = windowChecker(policy);
        const rules = rulesTouched
          ? undefined
          : rulesChecker(inFirstZone(policy).gmtZone, fixture.rules.get(id) ?? []);
        checker = { violation: (atMs) => own.violation(atMs) ?? rules?.violation(atMs) };
      }
      checkers.set(key, checker);
    }
    return checker;
  };
  let served = 0;
  let excused = 0;
  const consistent = (when: string) => {
    const stats = campaign.stats();
    const sum = sumOfStates(stats);
    if (sum !== stats.total) violations.push(`${when}: stats add up to ${sum}, not ${stats.total}`);
    try {
      Campaign.restore(JSON.parse(JSON.stringify(campaign.snapshot())), { clock });
    } catch (error) {
      violations.push(`${when}: the restored campaign's own snapshot does not restore: ${String(error)}`);
    }
  };
  consistent('after restore');
  try {
    drive(campaign, seed, (task, t) => {
      served++;
      const i = indexOf.get(Number(task.jobId) - 1);
      if (i === undefined) {
        violations.push(`served job ${task.jobId}, which is not in the snapshot`);
        return;
      }
      const state = original.jobs.state[i] as string;
      if (FINAL.has(state)) {
        if (touched.has(`jobs.state.${i}`) && touched.has(`jobs.endedAtMs.${i}`)) excused++;
        else violations.push(`served job ${task.jobId} at ${new Date(t).toISOString()}, which was ${state}`);
      }
      if (listed.has(task.phone)) violations.push(`served job ${task.jobId}, whose phone is blocked`);
      const why = checkerOf(i).violation(t);
      if (why !== undefined) violations.push(`served job ${task.jobId} outside its window: ${why}`);
      if (t >= task.windowEnd) violations.push(`served job ${task.jobId} at or after its task's windowEnd`);
    });
  } catch (error) {
    violations.push(
      `the restored campaign threw while driven: ${error instanceof DialerError ? JSON.stringify(error.issues) : String(error)}`,
    );
  }
  consistent('after the drive');
  return { result: served > 0 ? 'served' : 'accepted', violations, excused };
}

const counts = { runs: 0, rejected: 0, accepted: 0, served: 0, excusedServes: 0, mutations: 0 };
const rejectedBy = new Map<string, number>();

afterAll(() => {
  console.log(
    `snapshot tamper: ${counts.runs} runs, ${counts.mutations} mutations: ${counts.rejected} rejected, ${counts.accepted} accepted (nothing served), ${counts.served} accepted and served; ${counts.excusedServes} serves of jobs made live by their own state and end instant`,
  );
  console.log(
    `rejections by kind of first mutation: ${[...rejectedBy].map(([k, v]) => `${k} ${v}`).join(', ')}`,
  );
});

describe('Campaign.restore of a tampered snapshot (§9)', () => {
  const all = fixtures();
  const originals = all.map((f) => JSON.stringify(f.campaign.snapshot()));

  it.each(all.map((f, k) => [f.name, k] as const))(
    'the untampered snapshot of %s restores and serves inside every window',
    (_name, k) => {
      const original = JSON.parse(originals[k]!);
      // Jobs in every state, leases included.
      expect(new Set(original.jobs.state)).toEqual(new Set(STATES));
      const outcome = check(all[k]!, original, JSON.parse(originals[k]!), [], 1);
      expect(outcome.violations).toEqual([]);
      expect(outcome.result).toBe('served');
    },
  );

  it('is rejected with invalid.snapshot or invalid.option, or serves only live jobs inside their windows', () => {
    fc.assert(
      fc.property(
        fc.nat(all.length - 1),
        fc.array(mutationPick, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        (k, picks, seed) => {
          const original = JSON.parse(originals[k]!);
          const tampered = JSON.parse(originals[k]!);
          const mutations = picks.map((pick) => apply(tampered, pick));
          const outcome = check(all[k]!, original, tampered, mutations, seed);
          counts.runs++;
          counts.mutations += mutations.length;
          counts[outcome.result]++;
          counts.excusedServes += outcome.excused;
          if (outcome.result === 'rejected') {
            const kind = picks[0]!.kind;
            rejectedBy.set(kind, (rejectedBy.get(kind) ?? 0) + 1);
          }
          if (outcome.violations.length > 0) {
            throw new Error(
              `fixture "${all[k]!.name}", mutations ${describeMutations(mutations)}:\n  ${outcome.violations.slice(0, 5).join('\n  ')}`,
            );
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
