import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CallTask,
  Campaign,
  type CampaignEvent,
  type CampaignOptions,
  DialerError,
  type EntryInput,
  type PolicyInput,
} from '../../src/index.js';
import {
  BEFORE_QUARTER,
  blockPhoneArb,
  type Corruption,
  capOfPhone,
  corrupt,
  corruptionArb,
  corruptionKindArb,
  defined,
  entryArb,
  ON_QUARTER,
  phoneArb,
  type RedialSpec,
  redialSpecArb,
  reportStepArb,
  respell,
  rulesOf,
  type Setup,
  setupArb,
  some,
  stepArb,
  T0,
} from '../oracles/campaign-arbitraries.js';
import {
  CampaignModel,
  compileSchedule,
  DAY,
  isAllowed,
  MINUTE,
  type ModelEntry,
  nextWindow,
} from '../oracles/campaign-model.js';
import { EVENT_TYPES } from './helpers.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 200);
const T_MAX = T0 + 6 * DAY;
const FINAL_TYPES = new Set(['completed', 'exhausted', 'expired', 'cancelled', 'redialed']);
const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));
const clock = () => {
  throw new Error('the test forgot to pass `now`');
};

// --- the two systems ---

interface Model {
  readonly m: CampaignModel;
  /** Every call task served, in order (the same objects for both sides). */
  readonly tasks: CallTask[];
  /** Bodies added and when, to add again as exact duplicates. */
  readonly bodies: { body: ModelEntry[]; atMs: number }[];
  readonly dedupWindowMs: number;
  /** The campaign's `rules` (given again on restore). */
  readonly rules: CampaignOptions['rules'];
}
interface Real {
  c: Campaign;
  /** The `doNotCall` option, given again on restore. */
  readonly doNotCall: ((phone: string) => boolean) | undefined;
  readonly events: CampaignEvent[];
  /** Final states seen so far: a job never leaves one. */
  readonly finals: Map<string, string>;
}

function listen(real: Real): void {
  for (const type of EVENT_TYPES) real.c.on(type, (event) => real.events.push(event));
}

/**
 * The command's `now`: a step from the model's clock (a negative step tests time not running backwards).
 * `ON_QUARTER` and `BEFORE_QUARTER` step to the next quarter hour (where whole-hour windows open and
 * close in every zone used), or 1 ms before it.
 */
function nowOf(model: Model, step: number): number {
  const base = model.m.latest === Number.NEGATIVE_INFINITY ? T0 : model.m.latest;
  if (step === ON_QUARTER || step === BEFORE_QUARTER) {
    const quarter = 15 * MINUTE;
    const next = base - (base % quarter) + quarter;
    return Math.min(step === ON_QUARTER ? next : next - 1, T_MAX);
  }
  return Math.min(base + step, T_MAX);
}

/** Runs a call that must throw a DialerError and change nothing, not even the latest instant. */
function rejected(real: Real, call: () => unknown): DialerError {
  const before = JSON.stringify(real.c.snapshot());
  const latest = real.c.latestMs;
  const events = real.events.length;
  let error: unknown;
  try {
    call();
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof DialerError)) throw new Error(`expected a DialerError, got ${String(error)}`);
  expect(JSON.stringify(real.c.snapshot())).toBe(before);
  expect(real.c.latestMs).toBe(latest);
  expect(real.events.length).toBe(events);
  return error;
}

/** The codes of a thrown error: the expected ones, plus any of the optional ones. */
function expectCodes(actual: string[], expected: { codes: string[]; optional?: string[] }): void {
  const optional = new Set(expected.optional ?? []);
  expect(actual.filter((code) => !optional.has(code)).sort()).toEqual(expected.codes);
}

/** Fast equality by JSON text, with vitest's diff when it fails. */
function same(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, what).toEqual(expected);
}

/** After every command: time, stats, every job's view, events per job, and the lifecycle invariants. */
function checkAll(model: Model, real: Real): void {
  const { m } = model;
  expect(real.c.latestMs).toBe(m.latest);
  expect(real.c.isPaused).toBe(m.paused);
  same({ ...real.c.stats() }, m.stats(), 'stats()');
  same(
    m.jobs.map((job) => real.c.job(job.id)),
    m.jobs.map((job) => (job.forgotten ? undefined : m.view(job))),
    'job(id) views',
  );
  expect(real.c.job(String(m.jobs.length + 1))).toBeUndefined();
  for (const job of m.jobs) {
    if (job.forgotten) continue;
    const view = real.c.job(job.id)!;
    expect(view.attempts).toBeLessThanOrEqual(view.maxAttempts);
    const final = real.finals.get(job.id);
    if (final !== undefined) expect(view.state, `job ${job.id} left its final state`).toBe(final);
    else if (FINAL_TYPES.has(view.state)) real.finals.set(job.id, view.state);
  }
  // Events: exactly the model's per job, each job's forming a valid lifecycle, all in time order.
  const byJob = new Map<string, CampaignEvent[]>();
  let previousAt = Number.NEGATIVE_INFINITY;
  for (const event of real.events) {
    expect(
      event.atMs,
      `events out of time order at ${event.type} of job ${event.jobId}`,
    ).toBeGreaterThanOrEqual(previousAt);
    previousAt = event.atMs;
    const list = byJob.get(event.jobId) ?? [];
    list.push(event);
    byJob.set(event.jobId, list);
  }
  for (const id of byJob.keys())
    expect(
      m.jobs.some((job) => job.id === id),
      `events of unknown job ${id}`,
    ).toBe(true);
  for (const job of m.jobs) {
    const events = byJob.get(job.id) ?? [];
    checkLifecycle(job.id, events);
    same(
      events.filter((e) => e.type !== 'warning').map(({ type, atMs, attempt }) => ({ type, atMs, attempt })),
      job.events,
      `events of job ${job.id}`,
    );
    same(
      events
        .filter((e) => e.type === 'warning')
        .map((e) => e.issue?.code)
        .sort(),
      [...job.warnings].sort(),
      `warnings of job ${job.id}`,
    );
  }
}

/** `added` first; dialing attempts count up by one; retry/leaseExpired name the current attempt; one final, last. */
function checkLifecycle(id: string, events: CampaignEvent[]): void {
  const lifecycle = events.filter((e) => e.type !== 'warning');
  if (lifecycle.length === 0) return;
  expect(lifecycle[0], `job ${id}: first event`).toMatchObject({ type: 'added', attempt: 0 });
  let attempts = 0;
  let finalSeen = false;
  let at = lifecycle[0]!.atMs;
  for (const event of lifecycle.slice(1)) {
    expect(finalSeen, `job ${id}: ${event.type} after its final event`).toBe(false);
    expect(event.type, `job ${id}: a second added`).not.toBe('added');
    expect(event.atMs, `job ${id}: events out of order`).toBeGreaterThanOrEqual(at);
    at = event.atMs;
    if (event.type === 'dialing') attempts++;
    expect(event.attempt, `job ${id}: attempt of ${event.type}`).toBe(attempts);
    if (FINAL_TYPES.has(event.type)) finalSeen = true;
  }
}

// --- commands ---

abstract class Cmd implements fc.Command<Model, Real> {
  nowMs = Number.NaN;
  check(_model: Readonly<Model>): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    this.act(model, real);
    checkAll(model, real);
  }
  abstract act(model: Model, real: Real): void;
  abstract label(): string;
  toString(): string {
    return Number.isNaN(this.nowMs) ? this.label() : `${this.label()} @${iso(this.nowMs)}`;
  }
}

type Again = { pick: number; edge: -1 | 0 | undefined };
type Duplicate = 'none' | 'exact' | 'respelled';

class AddPhonesCmd extends Cmd {
  /** The body sent in the last run (for the counterexample). */
  body: ModelEntry[] | undefined;
  constructor(
    readonly step: number,
    readonly entries: ModelEntry[],
    readonly corruption: { at: number; kind: Corruption } | undefined,
    readonly duplicate: Duplicate,
    readonly partial: boolean,
    /** Add an earlier body again, possibly just before or at the end of its duplicate window. */
    readonly again: Again | undefined,
  ) {
    super();
  }
  act(model: Model, real: Real): void {
    let now = nowOf(model, this.step);
    let body: ModelEntry[];
    if (this.again !== undefined && model.bodies.length > 0) {
      const earlier = model.bodies[this.again.pick % model.bodies.length]!;
      body = earlier.body;
      if (this.again.edge !== undefined) now = earlier.atMs + model.dedupWindowMs + this.again.edge;
    } else {
      body = [...this.entries];
      if (this.duplicate !== 'none') body.push(this.duplicate === 'exact' ? body[0]! : respell(body[0]!));
      if (this.corruption !== undefined) {
        const at = this.corruption.at % body.length;
        body[at] = corrupt(body[at]!, this.corruption.kind);
      }
    }
    this.nowMs = now;
    this.body = body;
    const options = this.partial ? { now, partial: true } : { now };
    const expected = model.m.addPhones(body, now, this.partial);
    if (!expected.ok) {
      const error = rejected(real, () => real.c.addPhones(body, options));
      expectCodes(
        error.issues.map((i) => `${i.index}:${i.code}`),
        expected,
      );
      return;
    }
    const result = real.c.addPhones(body, options);
    const { value } = expected;
    expect(result.jobIds, 'addPhones jobIds').toEqual(value.jobIds);
    expect(result.duplicates, 'addPhones duplicates').toEqual(value.duplicates);
    expect(result.blocked, 'addPhones blocked').toEqual(value.blocked);
    // A rejected entry's warnings may or may not be listed: compare the accepted entries' only.
    const accepted = (code: string) => value.jobIds[Number(code.split(':')[0])] !== null;
    expect(
      result.warnings
        .map((i) => `${i.index}:${i.code}`)
        .filter(accepted)
        .sort(),
      'addPhones warnings',
    ).toEqual(value.warnings.filter(accepted));
    expectCodes(
      result.rejected.map((i) => `${i.index}:${i.code}`),
      { codes: value.rejected, optional: value.rejectedOptional },
    );
    model.bodies.push({ body, atMs: model.m.latest });
  }
  label(): string {
    const what = this.body === undefined ? JSON.stringify(this.entries) : JSON.stringify(this.body);
    return `addPhones(step ${this.step}, ${what}${this.partial ? ', partial' : ''}${this.again === undefined ? '' : `, again ${JSON.stringify(this.again)}`})`;
  }
}

class AddTestPhoneCmd extends Cmd {
  constructor(
    readonly step: number,
    readonly entry: ModelEntry,
    readonly corruption: Corruption | undefined,
  ) {
    super();
  }
  act(model: Model, real: Real): void {
    const now = nowOf(model, this.step);
    this.nowMs = now;
    const entry = this.corruption === undefined ? this.entry : corrupt(this.entry, this.corruption);
    const expected = model.m.addTestPhone(entry, now);
    if (!expected.ok) {
      const error = rejected(real, () => real.c.addTestPhone(entry as EntryInput, { now }));
      expect(error.issues.every((i) => i.index === undefined)).toBe(true);
      expectCodes(
        error.issues.map((i) => i.code),
        expected,
      );
      return;
    }
    expect(real.c.addTestPhone(entry as EntryInput, { now })).toBe(expected.value);
  }
  label(): string {
    return `addTestPhone(step ${this.step}, ${JSON.stringify(this.entry)}, corrupt ${this.corruption})`;
  }
}

/** `next` on both sides, with the serving invariants checked against the brute-force oracle. */
function serve(model: Model, real: Real, now: number): CallTask | undefined {
  const expected = model.m.next(now);
  const task = real.c.next(now);
  if (expected === undefined) {
    expect(task, 'next() served a job the model has none for').toBeUndefined();
    return undefined;
  }
  expect(task).toEqual(expected);
  const job = model.m.find(expected.jobId)!;
  const t = model.m.latest;
  const { oracle } = job.schedule;
  expect(oracle.isAllowed(t), `job ${job.id} served outside its window at ${iso(t)}`).toBe(true);
  if (Number.isFinite(expected.windowEnd)) {
    expect(oracle.isAllowed(expected.windowEnd - 1), 'windowEnd: allowed just before').toBe(true);
    expect(oracle.isAllowed(expected.windowEnd), 'windowEnd: not allowed at').toBe(false);
  }
  expect(t).toBeGreaterThanOrEqual(job.notBefore);
  expect(expected.attempt).toBeLessThanOrEqual(job.maxAttempts);
  model.tasks.push(task!);
  return task;
}

class NextCmd extends Cmd {
  constructor(readonly step: number) {
    super();
  }
  act(model: Model, real: Real): void {
    this.nowMs = nowOf(model, this.step);
    serve(model, real, this.nowMs);
  }
  label(): string {
    return `next(step ${this.step})`;
  }
}

class AdvanceCmd extends Cmd {
  constructor(
    readonly step: number,
    readonly thenNext: boolean,
  ) {
    super();
  }
  act(model: Model, real: Real): void {
    const now = nowOf(model, this.step);
    this.nowMs = now;
    const expected = model.m.nextReadyAt(now);
    expect(real.c.nextReadyAt(now), 'nextReadyAt').toBe(expected);
    if (this.thenNext && expected !== undefined && expected <= T_MAX) {
      checkAll(model, real);
      expect(serve(model, real, expected), `next(nextReadyAt = ${iso(expected)})`).toBeDefined();
    }
  }
  label(): string {
    return `nextReadyAt(step ${this.step})${this.thenNext ? ' then next() at it' : ''}`;
  }
}

type By = 'id' | 'task' | 'stale' | 'unknown';
/** A report's `now`: a step, or just before or at the lease deadline when the job is being dialed. */
function reportNow(model: Model, step: number, edge: -1 | 0 | undefined, jobId: string): number {
  const job = model.m.find(jobId);
  if (edge !== undefined && job?.state === 'dialing') return job.leaseDeadline + edge;
  return nowOf(model, step);
}
/** A job to report on: mostly one being dialed, sometimes any served one, by ID or by (stale) task. */
function target(
  model: Model,
  pick: number,
  by: By,
): { jobId: string; ref: string | CallTask; attempt?: number } {
  const served = model.m.jobs.filter((job) => job.attempts > 0);
  if (by === 'unknown' || served.length === 0) {
    const id = model.m.jobs.length > 0 && by !== 'unknown' ? '1' : '999';
    return { jobId: id, ref: id };
  }
  const dialing = served.filter((job) => job.state === 'dialing');
  const pool = dialing.length > 0 && pick % 5 !== 0 ? dialing : served;
  const job = pool[pick % pool.length]!;
  if (by === 'id') return { jobId: job.id, ref: job.id };
  const tasks = model.tasks.filter((task) => task.jobId === job.id);
  const task =
    by === 'stale' && tasks.length > 1 ? tasks[pick % (tasks.length - 1)]! : tasks[tasks.length - 1]!;
  return { jobId: job.id, ref: task, attempt: task.attempt };
}
const refText = (ref: string | CallTask) =>
  typeof ref === 'string' ? `'${ref}'` : `task(${ref.jobId}#${ref.attempt})`;

class ReportCmd extends Cmd {
  ref: string | CallTask = '';
  constructor(
    readonly step: number,
    readonly kind: 'complete' | 'fail',
    readonly pick: number,
    readonly by: By,
    readonly edge: -1 | 0 | undefined,
    /** `fail`'s pause for this retry only (0 is invalid). */
    readonly retryMinutes?: number,
  ) {
    super();
  }
  override check(model: Readonly<Model>): boolean {
    return worthReporting(model, this.pick, this.by);
  }
  act(model: Model, real: Real): void {
    const { jobId, ref, attempt } = target(model, this.pick, this.by);
    const now = reportNow(model, this.step, this.edge, jobId);
    this.nowMs = now;
    this.ref = ref;
    const expected = model.m.report(this.kind, jobId, attempt, now, this.retryMinutes);
    const call = () =>
      this.kind === 'fail' && this.retryMinutes !== undefined
        ? real.c.fail(ref, now, { retryIntervalInMinutes: this.retryMinutes })
        : real.c[this.kind](ref, now);
    if (!expected.ok) {
      const error = rejected(real, call);
      expect(error.issues.map((i) => i.code)).toEqual(expected.codes);
      return;
    }
    call();
  }
  label(): string {
    const retry = this.retryMinutes === undefined ? '' : `, retry ${this.retryMinutes} min`;
    return `${this.kind}(step ${this.step}${this.edge === undefined ? '' : ` or lease ${this.edge}`}, pick ${this.pick} by ${this.by}${this.ref === '' ? '' : ` = ${refText(this.ref)}`}${retry})`;
  }
}

class RedialCmd extends Cmd {
  params: Record<string, unknown> = {};
  ref: string | CallTask = '';
  constructor(
    readonly step: number,
    readonly pick: number,
    readonly by: By,
    readonly spec: RedialSpec,
    readonly edge: -1 | 0 | undefined,
  ) {
    super();
  }
  override check(model: Readonly<Model>): boolean {
    return worthReporting(model, this.pick, this.by);
  }
  act(model: Model, real: Real): void {
    const { jobId, ref, attempt } = target(model, this.pick, this.by);
    const now = reportNow(model, this.step, this.edge, jobId);
    this.nowMs = now;
    this.ref = ref;
    const s = this.spec;
    const startMs = model.m.timeOf(now) + s.startInMinutes * MINUTE;
    const startDateTime = s.startAsIso ? iso(startMs) : startMs;
    const params: Record<string, unknown> =
      s.kind === 'noStart'
        ? { dialerPriority: 2 }
        : s.kind === 'zone'
          ? { startDateTime, gmtZone: '+02:00' }
          : defined({
              startDateTime:
                s.allowedTime === undefined || s.startInMinutes % 2 === 0 ? startDateTime : undefined,
              allowedTime: s.allowedTime,
              dialerPriority: s.dialerPriority,
              maxAttempts: s.maxAttempts,
              retryIntervalInMinutes: s.retryIntervalInMinutes,
            });
    this.params = params;
    const expected = model.m.redial(jobId, attempt, params, now);
    if (!expected.ok) {
      const error = rejected(real, () => real.c.redial(ref, params as PolicyInput, now));
      expect([...new Set(error.issues.map((i) => i.code))].sort()).toEqual(expected.codes);
      return;
    }
    expect(real.c.redial(ref, params as PolicyInput, now)).toBe(expected.value);
  }
  label(): string {
    return `redial(step ${this.step}, pick ${this.pick} by ${this.by}${this.ref === '' ? '' : ` = ${refText(this.ref)}`}, ${JSON.stringify(this.params)})`;
  }
}

class CancelCmd extends Cmd {
  selection: { jobIds?: string[]; phones?: (string | number)[] } = {};
  constructor(
    readonly step: number,
    readonly picks: number[],
    readonly phones: (string | number)[],
  ) {
    super();
  }
  act(model: Model, real: Real): void {
    const now = nowOf(model, this.step);
    this.nowMs = now;
    const ids = this.picks.map((p) =>
      p % 7 === 6 ? '999' : String((p % Math.max(model.m.jobs.length, 1)) + 1),
    );
    this.selection = {
      ...(ids.length > 0 ? { jobIds: ids } : {}),
      ...(this.phones.length > 0 ? { phones: this.phones } : {}),
    };
    const expected = model.m.cancel(this.selection, now);
    const actual = real.c.cancel(this.selection, now);
    expect(new Set(actual).size, 'cancel listed a job twice').toBe(actual.length);
    expect([...actual].sort()).toEqual([...expected].sort());
  }
  label(): string {
    return `cancel(step ${this.step}, ${JSON.stringify(this.selection)})`;
  }
}

class BlockCmd extends Cmd {
  constructor(
    readonly step: number,
    readonly block: boolean,
    readonly phones: (string | number)[],
  ) {
    super();
  }
  act(model: Model, real: Real): void {
    const now = nowOf(model, this.step);
    this.nowMs = now;
    const expected = this.block
      ? model.m.blockPhones(this.phones, now)
      : model.m.unblockPhones(this.phones, now);
    const call = () =>
      this.block ? real.c.blockPhones(this.phones, now) : real.c.unblockPhones(this.phones, now);
    if (!expected.ok) {
      const error = rejected(real, call);
      expect(error.issues.map((i) => i.code)).toEqual(expected.codes);
      return;
    }
    expect(call()).toEqual(expected.value);
  }
  label(): string {
    return `${this.block ? 'blockPhones' : 'unblockPhones'}(step ${this.step}, ${JSON.stringify(this.phones)})`;
  }
}

class PauseCmd extends Cmd {
  constructor(readonly pause: boolean) {
    super();
  }
  act(model: Model, real: Real): void {
    model.m.paused = this.pause;
    if (this.pause) real.c.pause();
    else real.c.resume();
  }
  label(): string {
    return this.pause ? 'pause()' : 'resume()';
  }
}

class RestoreCmd extends Cmd {
  act(model: Model, real: Real): void {
    const functions = real.doNotCall === undefined ? { clock } : { clock, doNotCall: real.doNotCall };
    real.c = Campaign.restore(JSON.parse(JSON.stringify(real.c.snapshot())), {
      ...functions,
      ...(model.rules === undefined ? {} : { rules: model.rules }),
    });
    listen(real);
  }
  label(): string {
    return 'restore(JSON(snapshot()))';
  }
}

const pickArb = fc.nat({ max: 1000 });
const edgeArb = some(fc.constantFrom<-1 | 0>(-1, 0), 6);
const byArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<By>('id', 'task') },
  { weight: 1, arbitrary: fc.constantFrom<By>('stale', 'unknown') },
);
/** Mostly report on a job being dialed: skip the command when there is none (one time in four, try anyway). */
const worthReporting = (model: Readonly<Model>, pick: number, by: By) =>
  by === 'unknown' || pick % 4 === 0 || model.m.jobs.some((job) => job.state === 'dialing');
const addPhonesArb = fc
  .record({
    step: stepArb,
    entries: fc.array(entryArb, { minLength: 1, maxLength: 3 }),
    corruption: some(fc.record({ at: fc.nat({ max: 3 }), kind: corruptionKindArb }), 12),
    duplicate: fc.constantFrom<Duplicate>('none', 'none', 'exact', 'respelled'),
    partial: fc.boolean(),
    again: some(
      fc.record({ pick: fc.nat({ max: 20 }), edge: fc.constantFrom<Again['edge']>(undefined, -1, 0) }),
      5,
    ),
  })
  .map((r) => new AddPhonesCmd(r.step, r.entries, r.corruption, r.duplicate, r.partial, r.again));
const commandArbs: fc.Arbitrary<fc.Command<Model, Real>>[] = [
  addPhonesArb,
  addPhonesArb,
  addPhonesArb,
  fc.tuple(stepArb, entryArb, corruptionArb).map(([s, e, c]) => new AddTestPhoneCmd(s, e, c)),
  ...Array.from({ length: 6 }, () => stepArb.map((s) => new NextCmd(s))),
  ...Array.from({ length: 3 }, () =>
    fc.tuple(stepArb, fc.boolean()).map(([s, then]) => new AdvanceCmd(s, then)),
  ),
  ...Array.from({ length: 2 }, () =>
    fc
      .tuple(reportStepArb, pickArb, byArb, edgeArb)
      .map(([s, p, b, e]) => new ReportCmd(s, 'complete', p, b, e)),
  ),
  ...Array.from({ length: 3 }, () =>
    fc
      .tuple(reportStepArb, pickArb, byArb, edgeArb, some(fc.constantFrom(0, 5, 90), 2))
      .map(([s, p, b, e, r]) => new ReportCmd(s, 'fail', p, b, e, r)),
  ),
  ...Array.from({ length: 3 }, () =>
    fc
      .tuple(reportStepArb, pickArb, byArb, redialSpecArb, edgeArb)
      .map(([s, p, b, spec, e]) => new RedialCmd(s, p, b, spec, e)),
  ),
  ...Array.from({ length: 2 }, () =>
    fc
      .tuple(stepArb, fc.array(pickArb, { maxLength: 2 }), fc.array(phoneArb, { maxLength: 1 }))
      .map(([s, picks, phones]) => new CancelCmd(s, picks, phones)),
  ),
  fc
    .tuple(stepArb, fc.array(blockPhoneArb, { maxLength: 2 }))
    .map(([s, phones]) => new BlockCmd(s, true, phones)),
  fc
    .tuple(stepArb, fc.array(blockPhoneArb, { maxLength: 2 }))
    .map(([s, phones]) => new BlockCmd(s, false, phones)),
  fc
    .oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 3, arbitrary: fc.constant(false) })
    .map((pause) => new PauseCmd(pause)),
  fc.constant(new PauseCmd(false)),
  fc.constant(new RestoreCmd()),
];

function start(setup: Setup): { model: Model; real: Real } {
  const rules = rulesOf(setup);
  const digit = setup.doNotCallDigit;
  const doNotCall = digit === undefined ? undefined : (phone: string) => phone.endsWith(digit);
  const options: CampaignOptions = {
    ...(doNotCall === undefined ? {} : { doNotCall }),
    clock,
    ...(rules.length === 0 ? {} : { rules }),
    defaults: setup.defaults as CampaignOptions['defaults'] & object,
    leaseTimeoutMs: setup.leaseTimeoutMs,
    ...(setup.maxTotalAttempts === undefined ? {} : { maxTotalAttempts: setup.maxTotalAttempts }),
    ...(setup.dedupWindowMs === undefined ? {} : { dedupWindowMs: setup.dedupWindowMs }),
    ...(setup.retentionMs === undefined ? {} : { retentionMs: setup.retentionMs }),
  };
  const real: Real = { c: new Campaign(options), doNotCall, events: [], finals: new Map() };
  listen(real);
  const m = new CampaignModel({
    defaults: setup.defaults,
    leaseTimeoutMs: setup.leaseTimeoutMs,
    dedupWindowMs: setup.dedupWindowMs ?? DAY,
    retentionMs: setup.retentionMs ?? 7 * DAY,
    ...(doNotCall === undefined ? {} : { doNotCall }),
    ...(setup.maxTotalAttempts === undefined ? {} : { maxTotalAttempts: setup.maxTotalAttempts }),
    capOf: capOfPhone(setup),
  });
  const model = { m, tasks: [], bodies: [], dedupWindowMs: setup.dedupWindowMs ?? DAY, rules: options.rules };
  return { model, real };
}

describe('Campaign against a naive model', () => {
  it('agrees with the model on every result, state, count and event, whatever the commands (§5-§9, §12 maxAttemptsPer24h)', () => {
    fc.assert(
      fc.property(setupArb, fc.commands(commandArbs, { maxCommands: 40, size: 'max' }), (setup, commands) => {
        fc.modelRun(() => start(setup), commands);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('agrees with the model when every campaign caps the attempts per phone in 24 hours (§12)', () => {
    const cappedArb = setupArb.map((setup) => ({
      ...setup,
      per24h: { all: setup.per24h?.all ?? 1, de: setup.per24h?.de },
    }));
    fc.assert(
      fc.property(
        cappedArb,
        fc.commands(commandArbs, { maxCommands: 40, size: 'max' }),
        (setup, commands) => {
          fc.modelRun(() => start(setup), commands);
        },
      ),
      { numRuns: Math.max(10, Math.round(NUM_RUNS / 2)) },
    );
  });

  it("has a model whose window scan equals the brute-force oracle's (§3)", () => {
    fc.assert(
      fc.property(
        entryArb,
        fc.integer({ min: -DAY, max: 5 * DAY }).map((ms) => T0 + ms),
        (entry, from) => {
          const schedule = compileSchedule(entry, {}, entry.gmtZone);
          fc.pre(schedule.startMs < schedule.finishMs);
          const scanned = nextWindow(schedule, from);
          expect(scanned).toEqual(schedule.oracle.nextWindow(from, 9 * DAY));
          expect(isAllowed(schedule, from)).toBe(schedule.oracle.isAllowed(from));
        },
      ),
      { numRuns: Math.max(10, Math.round(NUM_RUNS / 10)) },
    );
  });
});

describe('Campaign against a naive model: rare paths', () => {
  it('agrees when the phone cap ends a redial that waits for its parent (§6, §7)', () => {
    const setup: Setup = {
      defaults: { gmtZone: 'Z' },
      leaseTimeoutMs: 20 * MINUTE,
      retentionMs: undefined,
      maxTotalAttempts: 2,
      dedupWindowMs: undefined,
      per24h: undefined,
      doNotCallDigit: undefined,
    };
    const spec: RedialSpec = {
      kind: 'ok',
      startInMinutes: 60,
      startAsIso: false,
      allowedTime: undefined,
      dialerPriority: undefined,
      maxAttempts: undefined,
      retryIntervalInMinutes: undefined,
    };
    const systems = start(setup);
    fc.modelRun(
      () => systems,
      [
        new AddTestPhoneCmd(0, { phone: '123' }, undefined),
        new AddTestPhoneCmd(0, { phone: '123' }, undefined),
        new NextCmd(MINUTE),
        new RedialCmd(MINUTE, 1, 'id', spec, undefined),
        new NextCmd(MINUTE),
        new ReportCmd(MINUTE, 'complete', 2, 'id', undefined),
        new AdvanceCmd(0, true),
      ],
    );
    expect(systems.model.m.jobs.map((job) => job.state)).toEqual(['redialed', 'dialing', 'exhausted']);
  });
});
