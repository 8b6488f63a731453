/**
 * Embedding a campaign in a dialer: one loop that keeps the lines busy, reports every call, sleeps
 * until there is work, and keeps the campaign's state on disk.
 *
 * `npx tsx examples/dialer-loop.ts [dir]` runs a short demo on virtual time (a scripted telephony
 * client, a few numbers, a shutdown and a restart from the snapshot) and exits by itself.
 */
import { mkdtemp, open, readFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AddPhonesResult,
  type CallTask,
  Campaign,
  type CampaignOptions,
  type CampaignStats,
  DialerError,
} from '../src/index.js';
import { ScriptedTelephony } from './fake-telephony.js';
import { VirtualClock } from './virtual-time.js';

const MINUTE_MS = 60_000;

/** How a call ended, as the telephony side reports it. */
export type CallOutcome =
  | { readonly kind: 'answered' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'noAnswer' }
  /** The callee asked to be called back at `atMs` (epoch ms). */
  | { readonly kind: 'callbackRequested'; readonly atMs: number }
  /** The call could not be made (carrier error, bad line). */
  | { readonly kind: 'failed'; readonly reason: string };

/** The dialer's side: places one call and resolves when it has ended. */
export interface TelephonyClient {
  dial(task: CallTask): Promise<CallOutcome>;
}

/** Where snapshots go: `load` gives the last one saved (or `undefined`), `save` replaces it whole. */
export interface SnapshotStorage {
  load(): Promise<string | undefined>;
  save(text: string): Promise<void>;
}

/** Resolves after `ms`, or as soon as `signal` aborts; never rejects. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Options of `DialerLoop.open`. */
export interface DialerLoopOptions {
  readonly telephony: TelephonyClient;
  readonly storage: SnapshotStorage;
  /** Options of the campaign created when storage holds no snapshot (`clock` is the loop's). @default {} */
  readonly campaign?: Omit<CampaignOptions, 'clock'>;
  /** @default Date.now */
  readonly clock?: () => number;
  /** @default realSleep */
  readonly sleep?: Sleep;
  /** Calls in progress at once. @default 10 */
  readonly lines?: number;
  /** Longest sleep, however far away `nextReadyAt` is. @default 60_000 (1 minute) */
  readonly maxSleepMs?: number;
  /** Time between scheduled snapshots. @default 300_000 (5 minutes) */
  readonly snapshotEveryMs?: number;
  /** Retry pause after a busy line, instead of the job's `retryIntervalInMinutes`. @default 5 */
  readonly busyRetryMinutes?: number;
  /** Aborting it stops the loop as `stop()` does. @default undefined */
  readonly signal?: AbortSignal;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** `run()` ends by itself once no call is in flight and `nextReadyAt` is `undefined`. @default false */
  readonly stopWhenDone?: boolean;
}

/** What a loop has done since it was opened. */
export interface DialerLoopCounts {
  dials: number;
  /** Reports the campaign refused with `lease.expired` (the call outlived its lease). */
  refusedReports: number;
  snapshots: number;
  /** Times the loop woke from a sleep (a timer, an add, a call ending or a stop). */
  wakeups: number;
}

/**
 * A dialer loop around one campaign. `open` restores the campaign from storage (or creates it),
 * `add` takes addPhones bodies at any time, `run` dials until `stop()` (or the signal) and resolves once
 * the calls in flight have been reported and a last snapshot saved.
 *
 * @example
 * const loop = await DialerLoop.open({ telephony, storage: fileStorage('campaign.json'), lines: 20 });
 * loop.add(body);
 * process.once('SIGTERM', () => void loop.stop());
 * await loop.run();
 */
export class DialerLoop {
  readonly campaign: Campaign;
  readonly counts: DialerLoopCounts = { dials: 0, refusedReports: 0, snapshots: 0, wakeups: 0 };
  readonly #telephony: TelephonyClient;
  readonly #storage: SnapshotStorage;
  readonly #clock: () => number;
  readonly #sleep: Sleep;
  readonly #log: (line: string) => void;
  readonly #lines: number;
  readonly #maxSleepMs: number;
  readonly #snapshotEveryMs: number;
  readonly #busyRetryMinutes: number;
  readonly #stopWhenDone: boolean;
  readonly #inFlight = new Set<Promise<void>>();
  #wake = new AbortController();
  #stopping = false;
  #running: Promise<void> | undefined;
  #failure: unknown;
  #nextSnapshotAt: number;

  private constructor(campaign: Campaign, options: DialerLoopOptions, clock: () => number) {
    this.campaign = campaign;
    this.#telephony = options.telephony;
    this.#storage = options.storage;
    this.#clock = clock;
    this.#sleep = options.sleep ?? realSleep;
    this.#log = options.log ?? console.log;
    this.#lines = options.lines ?? 10;
    this.#maxSleepMs = options.maxSleepMs ?? MINUTE_MS;
    this.#snapshotEveryMs = options.snapshotEveryMs ?? 5 * MINUTE_MS;
    this.#busyRetryMinutes = options.busyRetryMinutes ?? 5;
    this.#stopWhenDone = options.stopWhenDone ?? false;
    this.#nextSnapshotAt = clock() + this.#snapshotEveryMs;
    if (options.signal?.aborted === true) this.#requestStop();
    options.signal?.addEventListener('abort', () => this.#requestStop(), { once: true });
  }

  /** Restores the campaign from the storage's snapshot, or creates a new one when there is none. */
  static async open(options: DialerLoopOptions): Promise<DialerLoop> {
    const clock = options.clock ?? Date.now;
    const text = await options.storage.load();
    let campaign: Campaign;
    if (text === undefined) {
      campaign = new Campaign({ ...options.campaign, clock });
    } else {
      // A snapshot holds no functions: the clock and the zone resolver are given again.
      const resolver = options.campaign?.zoneResolver;
      campaign = Campaign.restore(JSON.parse(text), {
        clock,
        ...(resolver === undefined ? {} : { zoneResolver: resolver }),
      });
    }
    return new DialerLoop(campaign, options, clock);
  }

  /** Adds a body now (throws the campaign's `DialerError` for a bad one) and wakes the loop. */
  add(entries: readonly unknown[], options: { readonly partial?: boolean } = {}): AddPhonesResult {
    const result = this.campaign.addPhones(entries, { ...options, now: this.#clock() });
    this.#nudge();
    return result;
  }

  /** Calls being dialed right now. */
  get callsInFlight(): number {
    return this.#inFlight.size;
  }

  /** Runs the loop; the same promise on every call. Rejects if a report failed other than by `lease.expired`. */
  run(): Promise<void> {
    this.#running ??= this.#loop();
    return this.#running;
  }

  /** Stops dialing, waits for the calls in flight to be reported, saves a snapshot; resolves with `run()`. */
  stop(): Promise<void> {
    this.#requestStop();
    return this.run();
  }

  async #loop(): Promise<void> {
    try {
      for (;;) {
        // A nudge (add, call ended, stop) from here on cuts the coming sleep short.
        this.#wake = new AbortController();
        if (this.#clock() >= this.#nextSnapshotAt) await this.#saveScheduled();
        if (this.#stopping) break;
        const now = this.#clock();
        this.#fillLines(now);
        const readyAt = this.campaign.nextReadyAt(now);
        if (this.#stopWhenDone && this.#inFlight.size === 0 && readyAt === undefined) break;
        let wakeAt = Math.min(now + this.#maxSleepMs, this.#nextSnapshotAt);
        // With every line busy, only a call ending (a nudge) frees one: readyAt would wake us for nothing.
        if (readyAt !== undefined && this.#inFlight.size < this.#lines) wakeAt = Math.min(wakeAt, readyAt);
        await this.#sleep(Math.max(0, wakeAt - now), this.#wake.signal);
        this.counts.wakeups++;
      }
    } finally {
      while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
      await this.#save();
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Leases jobs while lines are free: each task is dialed once and reported once. */
  #fillLines(now: number): void {
    while (this.#inFlight.size < this.#lines) {
      const task = this.campaign.next(now);
      if (task === undefined) return;
      this.counts.dials++;
      const call = this.#call(task).finally(() => {
        this.#inFlight.delete(call);
        this.#nudge();
      });
      this.#inFlight.add(call);
    }
  }

  /** Dials one task and reports its outcome; never rejects (a fatal report error stops the loop). */
  async #call(task: CallTask): Promise<void> {
    let outcome: CallOutcome;
    try {
      outcome = await this.#telephony.dial(task);
    } catch (error) {
      outcome = { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
    const now = this.#clock();
    try {
      this.#report(task, outcome, now);
      this.#log(`${iso(now)} job ${task.jobId} attempt ${task.attempt} (${task.phone}): ${outcome.kind}`);
    } catch (error) {
      const issue = error instanceof DialerError ? error.issues[0] : undefined;
      if (issue?.code !== 'lease.expired') {
        this.#failure ??= error;
        this.#requestStop();
        return;
      }
      // The campaign already counted this attempt as failed when the lease ran out: log, go on.
      this.counts.refusedReports++;
      this.#log(
        `${iso(now)} job ${task.jobId} attempt ${task.attempt}: ${outcome.kind} not reported: ${issue.message}`,
      );
    }
  }

  /** Exactly one report per task: complete, fail, or redial then complete. */
  #report(task: CallTask, outcome: CallOutcome, now: number): void {
    const campaign = this.campaign;
    switch (outcome.kind) {
      case 'answered':
        campaign.complete(task, now);
        return;
      case 'busy':
        campaign.fail(task, now, { retryIntervalInMinutes: this.#busyRetryMinutes });
        return;
      case 'noAnswer':
      case 'failed':
        campaign.fail(task, now);
        return;
      case 'callbackRequested':
        // A new series from the callback time, first in line; the rest from the campaign defaults.
        campaign.redial(task, { startDateTime: outcome.atMs, dialerPriority: 1, maxAttempts: 2 }, now);
        campaign.complete(task, now);
        return;
      default: {
        const never: never = outcome;
        throw new Error(`unknown call outcome ${JSON.stringify(never)}`);
      }
    }
  }

  async #saveScheduled(): Promise<void> {
    this.#nextSnapshotAt = this.#clock() + this.#snapshotEveryMs;
    try {
      await this.#save();
    } catch (error) {
      // The next scheduled snapshot tries again; the one on stop lets its error through.
      this.#log(`snapshot not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async #save(): Promise<void> {
    await this.#storage.save(JSON.stringify(this.campaign.snapshot()));
    this.counts.snapshots++;
  }

  #requestStop(): void {
    this.#stopping = true;
    this.#nudge();
  }

  #nudge(): void {
    this.#wake.abort();
  }
}

/** A real sleep: a timer, cleared when `signal` aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Snapshots in one file, replaced atomically: the text goes to a temporary file beside it, is flushed
 * to disk, and renamed over the old one, so a crash leaves either the old snapshot or the new one.
 */
export function fileStorage(path: string): SnapshotStorage {
  return {
    async load() {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async save(text) {
      const temporary = `${path}.${process.pid}.tmp`;
      const file = await open(temporary, 'w');
      try {
        await file.writeFile(text, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    },
  };
}

function iso(atMs: number): string {
  return new Date(atMs).toISOString();
}

// --- the demo ---

/** What the demo returns: the campaign's final counts and the dials made. */
export interface DemoResult {
  readonly stats: CampaignStats;
  readonly dials: number;
}

/**
 * Two sessions on virtual time against a scripted client: the first adds a body, takes a late add,
 * and is stopped while calls are in flight; the second restores from the snapshot file in `dir`, adds
 * the same body again (all duplicates) and runs until nothing is left to dial.
 */
export async function runDemo(dir: string, log: (line: string) => void = console.log): Promise<DemoResult> {
  const startMs = Date.parse('2024-03-11T13:58:00Z'); // a Monday, 09:58 in New York
  const clock = new VirtualClock(startMs);
  const telephony = new ScriptedTelephony({
    clock: clock.now,
    sleep: clock.sleep,
    scripts: {
      '12125550101': [{ outcome: { kind: 'answered' } }],
      '12125550102': [{ outcome: { kind: 'busy' } }, { outcome: { kind: 'answered' } }],
      '12125550103': [{ outcome: { kind: 'noAnswer' } }, { outcome: { kind: 'noAnswer' } }],
      '12125550104': [{ outcome: { kind: 'callbackRequested', atMs: startMs + 3 * 60 * MINUTE_MS } }],
      '12125550105': [{ outcome: 'reject' }],
    },
  });
  // The clock waits for real file I/O, so virtual time does not run on while a snapshot is written.
  const files = fileStorage(join(dir, 'campaign.json'));
  const options: DialerLoopOptions = {
    telephony,
    storage: { load: () => clock.track(files.load()), save: (text) => clock.track(files.save(text)) },
    campaign: {
      defaults: {
        gmtZone: 'America/New_York',
        allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '18:00' }] },
        maxAttempts: 3,
        retryIntervalInMinutes: 30,
      },
    },
    clock: clock.now,
    sleep: clock.sleep,
    lines: 2,
    log,
  };
  const body = [101, 102, 103, 104, 105].map((n) => ({ phone: `+1 212 555-0${n}`, payload: { lead: n } }));

  const first = await DialerLoop.open(options);
  const added = first.add(body);
  log(`session 1: ${added.jobIds.length - added.duplicates.length} jobs added`);
  const firstRun = first.run();
  await clock.sleep(20 * MINUTE_MS, new AbortController().signal);
  log(`${iso(clock.now())} a late add: ${first.add([{ phone: '+1 212 555-0106' }]).jobIds.length} entry`);
  await clock.sleep(13.5 * MINUTE_MS, new AbortController().signal);
  log(`${iso(clock.now())} stopping with ${first.callsInFlight} call(s) in flight`);
  await first.stop();
  await firstRun;

  const second = await DialerLoop.open({ ...options, stopWhenDone: true });
  const again = second.add(body);
  log(`session 2: restored; the body again: ${again.duplicates.length} duplicates ignored`);
  await second.run();
  const stats = second.campaign.stats();
  log(`done at ${iso(clock.now())}: ${telephony.dials.length} dials, ${JSON.stringify(stats)}`);
  return { stats, dials: telephony.dials.length };
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), 'dialer-loop-')));
  console.log(`snapshots in ${dir}`);
  await runDemo(dir);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
