import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DialerLoop,
  type DialerLoopOptions,
  fileStorage,
  runDemo,
  type SnapshotStorage,
} from '../../examples/dialer-loop.js';
import { type DialRecord, ScriptedTelephony } from '../../examples/fake-telephony.js';
import { VirtualClock } from '../../examples/virtual-time.js';
import { Campaign, type JobView } from '../../src/index.js';

const MINUTE_MS = 60_000;
const START_MS = Date.parse('2024-03-11T14:00:00Z'); // a Monday, 10:00 in New York
const CALLBACK_AT_MS = Date.parse('2024-03-11T16:00:00Z');
const LATE_ADD_AT_MS = START_MS + 20.25 * MINUTE_MS; // off the minute: the loop sleeps then
const STOP_AT_MS = START_MS + 41.5 * MINUTE_MS;

const phone = (n: number) => `1212555010${n}`;
const body = [1, 2, 3, 4, 5, 6].map((n) => ({ phone: `+1 212 555-010${n}`, payload: { lead: n } }));

function memoryStorage(): SnapshotStorage & { readonly saved: string[] } {
  const saved: string[] = [];
  return {
    saved,
    load: async () => saved.at(-1),
    save: async (text) => {
      saved.push(text);
    },
  };
}

/**
 * Two sessions on virtual time, 3 lines, calls of 1 minute, a 10-minute lease. Phone 1 answers; 2 is
 * busy twice, then answers; 3 never answers (3 attempts); 4 asks for a callback at 16:00; 5 fails on a
 * line error, then answers; 6 talks 15 minutes on its first call (past the lease), then answers. Phone 7
 * is added 20 minutes in. The first session is stopped at 14:41:30 with a call in flight; the second
 * restores from the snapshot, adds the body again and runs until nothing is left.
 */
async function runScenario() {
  const clock = new VirtualClock(START_MS);
  const telephony = new ScriptedTelephony({
    clock: clock.now,
    sleep: clock.sleep,
    scripts: {
      [phone(2)]: [{ outcome: { kind: 'busy' } }, { outcome: { kind: 'busy' } }],
      [phone(3)]: [1, 2, 3].map(() => ({ outcome: { kind: 'noAnswer' } as const })),
      [phone(4)]: [{ outcome: { kind: 'callbackRequested', atMs: CALLBACK_AT_MS } }],
      [phone(5)]: [{ outcome: 'reject' }],
      [phone(6)]: [{ outcome: { kind: 'answered' }, durationMs: 15 * MINUTE_MS }],
    },
  });
  const storage = memoryStorage();
  const log: string[] = [];
  const options: DialerLoopOptions = {
    telephony,
    storage,
    campaign: {
      defaults: {
        gmtZone: 'America/New_York',
        allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '18:00' }] },
        maxAttempts: 3,
        retryIntervalInMinutes: 30,
      },
      leaseTimeoutMs: 10 * MINUTE_MS,
    },
    clock: clock.now,
    sleep: clock.sleep,
    lines: 3,
    snapshotEveryMs: 10 * MINUTE_MS,
    log: (line) => log.push(line),
  };
  // A guard: a loop that never ends fails the assertions instead of hanging the test.
  const guard = new AbortController();
  const stopAfterThreeDays = (loop: DialerLoop) =>
    void clock.sleep(3 * 24 * 60 * MINUTE_MS, guard.signal).then(() => {
      if (!guard.signal.aborted) void loop.stop();
    });

  const first = await DialerLoop.open(options);
  const firstAdd = first.add(body);
  const firstRun = first.run();
  stopAfterThreeDays(first);
  await clock.sleep(LATE_ADD_AT_MS - START_MS, guard.signal);
  const lateJobId = first.add([{ phone: '+1 212 555-0107' }]).jobIds[0];
  await clock.sleep(STOP_AT_MS - LATE_ADD_AT_MS, guard.signal);
  const inFlightAtStop = first.callsInFlight;
  await first.stop();
  await firstRun;
  const snapshotsAfterStop = storage.saved.length;
  const stopSnapshot = storage.saved.at(-1)!;
  const dialsInFirstSession = telephony.dials.length;

  const second = await DialerLoop.open({ ...options, stopWhenDone: true });
  const secondAdd = second.add(body);
  stopAfterThreeDays(second);
  await second.run();
  guard.abort();
  const jobs = new Map<string, JobView>();
  for (let id = 1; second.campaign.job(String(id)) !== undefined; id++) {
    jobs.set(String(id), second.campaign.job(String(id))!);
  }
  return {
    clock,
    telephony,
    storage,
    log,
    first,
    second,
    firstAdd,
    secondAdd,
    lateJobId,
    inFlightAtStop,
    snapshotsAfterStop,
    stopSnapshot,
    dialsInFirstSession,
    jobs,
  };
}

type Scenario = Awaited<ReturnType<typeof runScenario>>;

function dialsOf(s: Scenario, phoneDigits: string): DialRecord[] {
  return s.telephony.dials.filter((d) => d.phone === phoneDigits);
}

function jobOfPhone(s: Scenario, phoneDigits: string, redial = false): JobView {
  const job = [...s.jobs.values()].find((j) => j.phone === phoneDigits && (j.redialOf !== null) === redial);
  if (job === undefined) throw new Error(`no job for ${phoneDigits}`);
  return job;
}

describe('DialerLoop', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await runScenario();
  });

  it('ends every job in a final state', () => {
    expect(s.second.campaign.stats()).toMatchObject({ waiting: 0, ready: 0, dialing: 0, total: 8 });
    const states = Object.fromEntries([...s.jobs.values()].map((j) => [j.id, j.state]));
    expect(states).toEqual({
      '1': 'completed',
      '2': 'completed',
      '3': 'exhausted',
      '4': 'redialed',
      '5': 'completed',
      '6': 'completed',
      '7': 'completed', // the redial of job 4
      '8': 'completed', // the late add
    });
  });

  it('dials 14 times in all, each attempt of each job once', () => {
    // 1 + 3 (busy, busy, answered) + 3 (no answer) + 2 (callback, redial) + 2 + 2 + 1 (the late add)
    expect(s.telephony.dials).toHaveLength(14);
    expect(s.first.counts.dials + s.second.counts.dials).toBe(14);
    const attempts = s.telephony.dials.map((d) => `${d.jobId}#${d.attempt}`);
    expect(new Set(attempts).size).toBe(attempts.length);
    for (const job of s.jobs.values()) {
      const dialed = s.telephony.dials.filter((d) => d.jobId === job.id).map((d) => d.attempt);
      expect(dialed).toEqual(Array.from({ length: job.attempts }, (_, i) => i + 1));
    }
  });

  it('retries a busy line after 5 minutes, an unanswered one after the 30 of the campaign', () => {
    const busy = dialsOf(s, phone(2));
    expect(busy.map((d) => d.outcome)).toEqual(['busy', 'busy', 'answered']);
    expect(busy[1]!.startMs - busy[0]!.endMs!).toBe(5 * MINUTE_MS);
    expect(busy[2]!.startMs - busy[1]!.endMs!).toBe(5 * MINUTE_MS);
    const unanswered = dialsOf(s, phone(3));
    expect(unanswered).toHaveLength(3);
    expect(unanswered[1]!.startMs - unanswered[0]!.endMs!).toBe(30 * MINUTE_MS);
    expect(unanswered[2]!.startMs - unanswered[1]!.endMs!).toBe(30 * MINUTE_MS);
    // A line error is a failed attempt too: retried after the campaign's pause.
    const rejected = dialsOf(s, phone(5));
    expect(rejected.map((d) => d.outcome)).toEqual(['reject', 'answered']);
    expect(rejected[1]!.startMs - rejected[0]!.endMs!).toBe(30 * MINUTE_MS);
  });

  it('turns a callback request into a redial dialed at the time asked', () => {
    const parent = jobOfPhone(s, phone(4));
    const child = jobOfPhone(s, phone(4), true);
    expect(parent.state).toBe('redialed');
    expect(child).toMatchObject({
      redialOf: parent.id,
      dialerPriority: 1,
      payload: { lead: 4 },
      attempts: 1,
    });
    const dials = dialsOf(s, phone(4));
    expect(dials.map((d) => [d.jobId, d.outcome])).toEqual([
      [parent.id, 'callbackRequested'],
      [child.id, 'answered'],
    ]);
    expect(dials[1]!.startMs).toBe(CALLBACK_AT_MS);
  });

  it('logs a report refused after the lease expired and goes on', () => {
    expect(s.first.counts.refusedReports).toBe(1);
    expect(s.log.filter((line) => line.includes('not reported'))).toEqual([
      expect.stringMatching(/job 6 attempt 1: answered not reported: the lease of job "6" attempt 1 expired/),
    ]);
    const dials = dialsOf(s, phone(6));
    expect(dials).toHaveLength(2);
    // The lease counted the first attempt as failed at its expiry; the retry comes 30 minutes later.
    expect(dials[1]!.startMs).toBe(dials[0]!.startMs + 10 * MINUTE_MS + 30 * MINUTE_MS);
    expect(s.jobs.get('6')).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('dials an entry added while the loop sleeps at once', () => {
    expect(s.lateJobId).toBe('8');
    expect(dialsOf(s, phone(7)).map((d) => d.startMs)).toEqual([LATE_ADD_AT_MS]);
  });

  it('snapshots on schedule and on stop, after the calls in flight have been reported', () => {
    expect(s.inFlightAtStop).toBe(1);
    // Every 10 minutes (14:10, 14:20, 14:30, 14:40), then the one on stop.
    expect(s.snapshotsAfterStop).toBe(5);
    expect(s.first.counts.snapshots).toBe(5);
    const restored = Campaign.restore(JSON.parse(s.stopSnapshot));
    expect(restored.stats()).toMatchObject({ dialing: 0, waiting: 2 });
    // The call in flight at the stop (phone 6's second attempt) was reported before the snapshot.
    expect(restored.job('6')).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('continues from the snapshot after a restart, without losing or repeating a job', () => {
    expect(s.secondAdd.duplicates).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.secondAdd.jobIds).toEqual(s.firstAdd.jobIds);
    const later = s.telephony.dials.slice(s.dialsInFirstSession);
    expect(later.map((d) => [d.phone, d.attempt])).toEqual([
      [phone(3), 3],
      [phone(4), 1],
    ]);
    expect(later.every((d) => d.startMs > STOP_AT_MS)).toBe(true);
    expect(s.second.counts.snapshots).toBeGreaterThanOrEqual(1);
  });

  it('sleeps instead of spinning: at most one wakeup per call end, add or minute of virtual time', () => {
    const minutes = (s.clock.now() - START_MS) / MINUTE_MS;
    const wakeups = s.first.counts.wakeups + s.second.counts.wakeups;
    expect(wakeups).toBeLessThanOrEqual(minutes + s.telephony.dials.length + 10);
  });
});

describe('DialerLoop signal', () => {
  it('stops the loop and saves a snapshot when the signal aborts', async () => {
    const clock = new VirtualClock(START_MS);
    const telephony = new ScriptedTelephony({ clock: clock.now, sleep: clock.sleep, scripts: {} });
    const storage = memoryStorage();
    const controller = new AbortController();
    const loop = await DialerLoop.open({
      telephony,
      storage,
      clock: clock.now,
      sleep: clock.sleep,
      signal: controller.signal,
      log: () => {},
    });
    loop.add([{ phone: '+1 212 555-0101' }]);
    const run = loop.run();
    await clock.sleep(30_000, new AbortController().signal);
    controller.abort();
    await run;
    expect(telephony.dials).toHaveLength(1);
    expect(storage.saved).toHaveLength(1);
    expect(Campaign.restore(JSON.parse(storage.saved[0]!)).stats()).toMatchObject({ completed: 1 });
  });
});

describe('fileStorage', () => {
  it('loads undefined before any save, then the last text saved, leaving no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialer-loop-test-'));
    try {
      const storage = fileStorage(join(dir, 'campaign.json'));
      expect(await storage.load()).toBeUndefined();
      await storage.save('{"a":1}');
      await storage.save('{"a":2}');
      expect(await storage.load()).toBe('{"a":2}');
      expect(await readdir(dir)).toEqual(['campaign.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runDemo', () => {
  it('runs both sessions of the demo to the end', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialer-loop-demo-'));
    try {
      const lines: string[] = [];
      const result = await runDemo(dir, (line) => lines.push(line));
      expect(result.stats).toMatchObject({ waiting: 0, ready: 0, dialing: 0, completed: 6, redialed: 1 });
      expect(result.dials).toBe(11);
      expect(lines).toContain('session 2: restored; the body again: 5 duplicates ignored');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
