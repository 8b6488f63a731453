/**
 * The two backends driven by the same random commands (spec section 13: "a scenario run on both gives
 * the same results"): every result or error, the campaign's time, stats, every job's view and every
 * event, call for call, and the snapshots at the end. The PostgreSQL campaign is also reopened from the
 * database mid-run (a fresh process's view) and moved through a snapshot into a new campaign.
 */
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AsyncCampaign,
  asyncCampaign,
  type CallTask,
  Campaign,
  type CampaignEvent,
  type CampaignOptions,
  DialerError,
  type EntryInput,
  EVENT_TYPES,
  type PolicyInput,
} from '../../src/index.js';
import { PostgresCampaign } from '../../src/postgres/index.js';
import {
  BEFORE_QUARTER,
  blockPhoneArb,
  corrupt,
  defined,
  entryArb,
  ON_QUARTER,
  PHONES,
  type RedialSpec,
  redialSpecArb,
  reportStepArb,
  respell,
  rulesArb,
  rulesOf,
  type Setup,
  setupArb,
  some,
  stepArb,
  T0,
} from '../oracles/campaign-arbitraries.js';
import { DAY, MINUTE, type ModelEntry } from '../oracles/campaign-model.js';
import { reportCall } from '../oracles/report-call.js';
import { useTestDatabase } from './database.js';

const NUM_RUNS = Number(process.env.FC_PG_NUM_RUNS ?? 60);
const T_MAX = T0 + 6 * DAY;

type Action =
  | {
      kind: 'add';
      step: number;
      entries: ModelEntry[];
      duplicate: boolean;
      partial: boolean;
      again: number | undefined;
    }
  | { kind: 'test'; step: number; entry: ModelEntry; corrupt: boolean }
  | { kind: 'next'; step: number }
  | { kind: 'nextReadyAt'; step: number; thenNext: boolean }
  | {
      kind: 'report';
      step: number;
      fail: boolean;
      pick: number;
      byTask: boolean;
      edge: -1 | 0 | undefined;
      retry: number | undefined;
      /** By completeAndNext or failAndNext. */
      thenNext: boolean;
    }
  | { kind: 'redial'; step: number; pick: number; spec: RedialSpec }
  | { kind: 'cancel'; step: number; jobs: number[]; phones: (string | number)[] }
  | { kind: 'block' | 'unblock'; step: number; phones: (string | number)[] }
  | { kind: 'pause' | 'resume' | 'reopen' | 'import' };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      step: stepArb,
      entries: fc.array(entryArb, { minLength: 1, maxLength: 6 }),
      duplicate: fc.boolean(),
      partial: fc.boolean(),
      again: some(fc.nat(20), 5),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('test' as const),
      step: stepArb,
      entry: entryArb,
      corrupt: fc.boolean(),
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('next' as const), step: stepArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('nextReadyAt' as const),
      step: stepArb,
      thenNext: fc.boolean(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('report' as const),
      step: reportStepArb,
      fail: fc.boolean(),
      pick: fc.nat(100),
      byTask: fc.boolean(),
      edge: some(fc.constantFrom<-1 | 0>(-1, 0), 6),
      retry: some(fc.constantFrom(0, 5, 90), 4),
      thenNext: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('redial' as const),
      step: reportStepArb,
      pick: fc.nat(100),
      spec: redialSpecArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      step: stepArb,
      jobs: fc.array(fc.nat(12), { maxLength: 3 }),
      phones: fc.array(fc.constantFrom(...PHONES), { maxLength: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('block' as const, 'unblock' as const),
      step: stepArb,
      phones: fc.array(blockPhoneArb, { maxLength: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.oneof(
        { weight: 1, arbitrary: fc.constant('pause' as const) },
        { weight: 3, arbitrary: fc.constant('resume' as const) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('reopen' as const, 'import' as const) }) },
);

/** One side of the comparison: a campaign, the events it delivered, and how to rebuild it. */
interface Side {
  c: AsyncCampaign;
  readonly events: CampaignEvent[];
}

function listen(side: Side): void {
  for (const type of EVENT_TYPES) side.c.on(type, (event) => side.events.push(event));
}

/** A call's outcome as comparable data: its value, or its error's issues. */
async function outcome(call: () => Promise<unknown>): Promise<unknown> {
  try {
    const value = await call();
    return { value: value === undefined ? 'undefined' : value };
  } catch (error) {
    if (error instanceof DialerError) return { error: error.issues, omitted: error.omittedIssues };
    throw error;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function nowOf(latest: number, step: number): number {
  const base = latest === Number.NEGATIVE_INFINITY ? T0 : latest;
  if (step === ON_QUARTER || step === BEFORE_QUARTER) {
    const quarter = 15 * MINUTE;
    const next = base - (base % quarter) + quarter;
    return Math.min(step === ON_QUARTER ? next : next - 1, T_MAX);
  }
  return Math.min(base + step, T_MAX);
}

describe('the PostgreSQL backend against the in-memory engine (§13)', () => {
  const db = useTestDatabase('differential');
  let pool: pg.Pool;
  let runs = 0;
  /** What the runs exercised, printed at the end (so a run that compared nothing shows). */
  const seen = { calls: 0, served: 0, errors: 0, events: 0, ruledRuns: 0, ruledServed: 0 };
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => {});
  });
  afterAll(async () => {
    await pool.end();
  });

  it('gives the same result, state and events call for call, whatever the commands', async () => {
    await fc.assert(
      fc.asyncProperty(
        setupArb,
        some(rulesArb, 2),
        fc.boolean(),
        fc.array(actionArb, { minLength: 1, maxLength: 40 }),
        async (setup, rules, zonesFromPhones, actions) => {
          // Without a zone in the defaults, entries without one take their number's zones (spec section 12).
          const { gmtZone: _zone, ...withoutZone } = setup.defaults;
          const defaults = zonesFromPhones ? withoutZone : setup.defaults;
          await runBoth({ ...setup, defaults }, rules, actions, `diff-${++runs}`);
        },
      ),
      { numRuns: NUM_RUNS },
    );
    console.log(
      `differential: ${runs} runs, ${seen.calls} calls compared (${seen.errors} errors), ${seen.served} calls served, ${seen.events} events; ${seen.ruledRuns} runs with calling rules, ${seen.ruledServed} calls served in them`,
    );
    expect(seen.served).toBeGreaterThan(0);
  });

  /** Runs `actions` on both backends, comparing after each. */
  async function runBoth(
    setup: Setup,
    rules: CampaignOptions['rules'],
    actions: readonly Action[],
    firstName: string,
  ): Promise<void> {
    let name = firstName;
    // Rules of hours, days and blackout dates, and the per-24-hour caps of the setup.
    const allRules = [...(rules ?? []), ...rulesOf(setup)];
    const options = defined({
      defaults: setup.defaults as PolicyInput,
      leaseTimeoutMs: setup.leaseTimeoutMs,
      maxTotalAttempts: setup.maxTotalAttempts,
      dedupWindowMs: setup.dedupWindowMs,
      retentionMs: setup.retentionMs,
      rules: allRules.length === 0 ? undefined : allRules,
    }) as CampaignOptions;
    const digit = setup.doNotCallDigit;
    const functions = digit === undefined ? {} : { doNotCall: (phone: string) => phone.endsWith(digit) };
    const mem: Side = { c: asyncCampaign(new Campaign({ ...options, ...functions })), events: [] };
    const db: Side = {
      c: await PostgresCampaign.open({ pool, name, ...options, ...functions }),
      events: [],
    };
    listen(mem);
    listen(db);
    let generation = 0;
    const tasks: CallTask[] = [];
    const bodies: { body: ModelEntry[]; atMs: number }[] = [];
    const log: string[] = [];
    try {
      for (const action of actions) {
        const latest = await mem.c.latestMs();
        log.push(JSON.stringify(action));
        if (process.env.DIFF_TRACE) console.log(JSON.stringify(action).slice(0, 150));
        const both = async (what: string, call: (c: AsyncCampaign) => Promise<unknown>): Promise<unknown> => {
          const expected = await outcome(() => call(mem.c));
          const actual = await outcome(() => call(db.c));
          seen.calls++;
          if ((expected as { error?: unknown }).error !== undefined) seen.errors++;
          expect(actual, `${what} after\n${log.join('\n')}`).toEqual(expected);
          return (expected as { value?: unknown }).value;
        };
        switch (action.kind) {
          case 'add': {
            let now = nowOf(latest, action.step);
            let body = [...action.entries];
            if (action.again !== undefined && bodies.length > 0) {
              const earlier = bodies[action.again % bodies.length]!;
              body = earlier.body;
              if (action.again % 3 === 0)
                now = earlier.atMs + (setup.dedupWindowMs ?? DAY) - (action.again % 2);
            } else if (action.duplicate) body.push(action.again === undefined ? respell(body[0]!) : body[0]!);
            bodies.push({ body, atMs: now });
            await both('addPhones', (c) => c.addPhones(body, { now, partial: action.partial }));
            break;
          }
          case 'test': {
            const entry = action.corrupt ? corrupt(action.entry, 'retry') : action.entry;
            const now = nowOf(latest, action.step);
            await both('addTestPhone', (c) => c.addTestPhone(entry as EntryInput, { now }));
            break;
          }
          case 'next': {
            const now = nowOf(latest, action.step);
            const task = await both('next', (c) => c.next(now));
            if (typeof task === 'object' && task !== null) tasks.push(task as CallTask);
            break;
          }
          case 'nextReadyAt': {
            const now = nowOf(latest, action.step);
            const at = await both('nextReadyAt', (c) => c.nextReadyAt(now));
            if (action.thenNext && typeof at === 'number' && at <= T_MAX) {
              const task = await both('next at nextReadyAt', (c) => c.next(at));
              if (typeof task === 'object' && task !== null) tasks.push(task as CallTask);
            }
            break;
          }
          case 'report':
          case 'redial': {
            if (tasks.length === 0) break;
            const task = tasks[tasks.length - 1 - (action.pick % Math.min(tasks.length, 4))]!;
            const view = await mem.c.job(task.jobId);
            const edge = action.kind === 'report' ? action.edge : undefined;
            const now =
              edge !== undefined && view?.state === 'dialing'
                ? task.windowEnd === Number.POSITIVE_INFINITY
                  ? nowOf(latest, action.step)
                  : Math.max(latest, Math.min(T_MAX, latest + setup.leaseTimeoutMs + edge))
                : nowOf(latest, action.step);
            if (action.kind === 'report') {
              const ref = action.byTask ? task : task.jobId;
              const next = await both(
                `${action.fail ? 'fail' : 'complete'}${action.thenNext ? 'AndNext' : ''}`,
                async (c) => reportCall(c, ref, now, action),
              );
              if (typeof next === 'object' && next !== null) tasks.push(next as CallTask);
            } else {
              const s = action.spec;
              const startMs = Math.max(now, latest) + s.startInMinutes * MINUTE;
              const startDateTime = s.startAsIso ? iso(startMs) : startMs;
              const params: Record<string, unknown> =
                s.kind === 'noStart'
                  ? { dialerPriority: 2 }
                  : s.kind === 'zone'
                    ? { startDateTime, gmtZone: '+02:00' }
                    : defined({
                        startDateTime:
                          s.allowedTime === undefined || s.startInMinutes % 2 === 0
                            ? startDateTime
                            : undefined,
                        allowedTime: s.allowedTime,
                        dialerPriority: s.dialerPriority,
                        maxAttempts: s.maxAttempts,
                        retryIntervalInMinutes: s.retryIntervalInMinutes,
                      });
              await both('redial', (c) => c.redial(task, params as PolicyInput, now));
            }
            break;
          }
          case 'cancel': {
            const now = nowOf(latest, action.step);
            const selection = { jobIds: action.jobs.map((n) => String(n + 1)), phones: action.phones };
            await both('cancel', (c) => c.cancel(selection, now));
            break;
          }
          case 'block':
          case 'unblock': {
            const now = nowOf(latest, action.step);
            await both(action.kind, (c) =>
              action.kind === 'block'
                ? c.blockPhones(action.phones, now)
                : c.unblockPhones(action.phones, now),
            );
            break;
          }
          case 'pause':
            await both('pause', (c) => c.pause());
            break;
          case 'resume':
            await both('resume', (c) => c.resume());
            break;
          case 'reopen':
          case 'import': {
            const snapshot = await mem.c.snapshot();
            // The snapshot carries the rules: only the functions are given again.
            mem.c = asyncCampaign(Campaign.restore(JSON.parse(JSON.stringify(snapshot)), functions));
            await db.c.close();
            db.c =
              action.kind === 'reopen'
                ? await PostgresCampaign.open({ pool, name, ...functions })
                : await PostgresCampaign.import(JSON.parse(JSON.stringify(snapshot)), {
                    pool,
                    name: `${name}-${++generation}`,
                    ...functions,
                  });
            if (action.kind === 'import') name = `${name}-${generation}`;
            listen(mem);
            listen(db);
            break;
          }
        }
        await both('latestMs', (c) => c.latestMs());
        await both('isPaused', (c) => c.isPaused());
        await both('stats', (c) => c.stats());
        const created = (await mem.c.snapshot()).nextJobNumber;
        for (let id = 1; id <= created + 1; id++) await both(`job(${id})`, (c) => c.job(String(id)));
        expect(db.events, `events after\n${log.join('\n')}`).toEqual(mem.events);
      }
      expect(JSON.stringify(await db.c.snapshot())).toBe(JSON.stringify(await mem.c.snapshot()));
      seen.served += tasks.length;
      seen.events += mem.events.length;
      if (allRules.length > 0) {
        seen.ruledRuns++;
        seen.ruledServed += tasks.length;
      }
    } finally {
      await db.c.close();
    }
  }
});
