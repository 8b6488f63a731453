import { describe, expect, it } from 'vitest';
import { Campaign, type CampaignEvent, type CampaignOptions } from '../../src/index.js';
import { at, campaignOf, daily, MINUTE_MS, record, thrown } from './helpers.js';

const T0 = at('2024-06-03T09:00:00+03:00');
const min = (n: number) => T0 + n * MINUTE_MS;

const OPTIONS: CampaignOptions = {
  defaults: {
    gmtZone: 'Europe/Moscow',
    maxAttempts: 3,
    retryIntervalInMinutes: 15,
    allowedTime: daily('09:00', '21:00'),
  },
  leaseTimeoutMs: 20 * MINUTE_MS,
  maxTotalAttempts: 5,
};

/** A campaign with jobs in every state: waiting, ready, dialing, a pending redial, a cancel awaiting its report. */
function busyCampaign(options: CampaignOptions = OPTIONS): Campaign {
  const campaign = campaignOf(options);
  campaign.addPhones(
    [
      { phone: '+7 495 000-00-01', payload: { name: 'Ada', tags: ['x'] }, dialerPriority: 1 },
      { phone: '74950000002', allowedTime: daily('09:00', '09:40') },
      { phone: '74950000003', dialerPriority: 2, allowedTime: daily('10:00', '12:00') },
      { phone: '74950000004', finishDateTime: '2024-06-03T09:50:00' },
      { phone: '74950000005', gmtZone: 'Asia/Tokyo', allowedDays: ['tue', 'wed'] },
      { phone: '74950000006', payload: 6 },
      { phone: '74950000007', dialerPriority: 7 },
    ],
    { now: min(0) },
  );
  campaign.next(min(0));
  campaign.next(min(1));
  campaign.next(min(2));
  campaign.fail('1', min(3));
  campaign.redial('2', { startDateTime: '2024-06-03T09:00:00', maxAttempts: 2 }, min(4));
  campaign.cancel({ phones: ['74950000004'] }, min(5));
  campaign.next(min(6));
  campaign.cancel({ jobIds: [String(6)] }, min(7));
  campaign.addTestPhone({ phone: '74950000001', payload: 'test' }, { now: min(8) });
  return campaign;
}

/** A JSON round trip of a snapshot, as a store would do. */
const throughJson = (campaign: Campaign) => JSON.parse(JSON.stringify(campaign.snapshot())) as unknown;

/**
 * Drives a campaign through a fixed script (no randomness) and returns everything it returned, the views
 * of all jobs after each step, and its events.
 */
function drive(campaign: Campaign): unknown[] {
  const events: CampaignEvent[] = record(campaign);
  const out: unknown[] = [];
  const call = (label: string, f: () => unknown) => {
    try {
      out.push([label, f()]);
    } catch (error) {
      out.push([label, 'threw', (error as { issues?: unknown }).issues]);
    }
  };
  const views = () => {
    const total = campaign.stats().total;
    return Array.from({ length: total + 2 }, (_, k) => campaign.job(String(k + 1)));
  };
  call('add', () =>
    campaign.addPhones(
      [
        { phone: '74950000006', payload: 6 },
        { phone: '74950000008' },
        { phone: '+7 495 000-00-01', payload: 'test' },
      ],
      { now: min(9) },
    ),
  );
  for (let k = 0; k < 160; k++) {
    const t = min(10 + k * 7);
    call('nextReadyAt', () => campaign.nextReadyAt(t));
    call('next', () => campaign.next(t));
    const task = out.at(-1) as [string, { jobId: string } | undefined];
    const served = task[1];
    if (served !== undefined) {
      switch (k % 5) {
        case 0:
          call('fail', () => campaign.fail(served as never, t + MINUTE_MS));
          break;
        case 1:
          call('complete', () => campaign.complete(served.jobId, t + 2 * MINUTE_MS));
          break;
        case 2:
          call('redial', () =>
            campaign.redial(served.jobId, { allowedTime: daily('11:00', '13:00') }, t + MINUTE_MS),
          );
          call('fail', () => campaign.fail(served.jobId, t + 2 * MINUTE_MS));
          break;
        case 3:
          // Left to expire its lease.
          break;
        default:
          call('cancel', () => campaign.cancel({ jobIds: [served.jobId] }, t));
          call('complete', () => campaign.complete(served as never, t + MINUTE_MS));
      }
    }
    if (k % 17 === 0) call('pause', () => campaign.pause());
    if (k % 17 === 3) call('resume', () => campaign.resume());
    if (k % 23 === 5) {
      call('addTestPhone', () => campaign.addTestPhone({ phone: `749500000${10 + k}` }, { now: t }));
      call('cancel phone', () => campaign.cancel({ phones: ['74950000003'] }, t));
    }
    if (k % 29 === 7) call('stale report', () => campaign.complete('1', t));
    call('stats', () => campaign.stats());
    call('views', views);
  }
  out.push(['events', events]);
  // Internal tables (such as the schedule table) may be laid out differently; the time may not.
  out.push(['latestMs', campaign.snapshot().latestMs]);
  return out;
}

describe('snapshot (§9)', () => {
  it('is a JSON value with its format version in a top-level version field (§9)', () => {
    const snapshot = busyCampaign().snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot).toHaveProperty('version');
  });

  it('restores a campaign that snapshots the same (§9)', () => {
    const original = busyCampaign();
    expect(Campaign.restore(throughJson(original)).snapshot()).toEqual(original.snapshot());
  });

  it('restores a campaign that serves, reports and expires exactly as the original (§9)', () => {
    const original = busyCampaign();
    const restored = Campaign.restore(throughJson(original), {
      clock: () => {
        throw new Error('the test forgot to pass `now`');
      },
    });
    const ids = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    expect(ids.map((id) => restored.job(id))).toEqual(ids.map((id) => original.job(id)));
    expect(restored.stats()).toEqual(original.stats());
    expect(restored.isPaused).toBe(original.isPaused);
    expect(drive(restored)).toEqual(drive(original));
  });

  it('keeps the lease deadline of a job that ended by its lease expiring (§9, §6)', () => {
    const original = campaignOf({ leaseTimeoutMs: 30 * MINUTE_MS });
    original.addPhones([{ phone: '100' }], { now: min(0) });
    original.next(min(0));
    original.nextReadyAt(min(31));
    expect(original.job('1')?.state).toBe('exhausted');
    const restored = Campaign.restore(throughJson(original));
    expect(restored.snapshot()).toEqual(original.snapshot());
    const late = (campaign: Campaign) => thrown(() => campaign.complete('1', min(32))).issues;
    expect(late(restored)).toEqual(late(original));
    expect(late(restored)[0]?.message).toContain('2024-06-03T06:30:00.000Z');
  });

  it('restores a job added with no window left before the end of Date (§9)', () => {
    const original = campaignOf(OPTIONS);
    original.addPhones([{ phone: '100', startDateTime: 8.64e15 - 1 }], { now: min(0) });
    const restored = Campaign.restore(throughJson(original));
    expect(restored.snapshot()).toEqual(original.snapshot());
    expect(restored.job('1')).toEqual(original.job('1'));
  });

  it('restores a campaign that has seen no call yet (§9)', () => {
    const restored = Campaign.restore(throughJson(campaignOf(OPTIONS)));
    const [id] = restored.addPhones([{ phone: '100' }], { now: min(0) }).jobIds;
    expect(restored.next(min(0))?.jobId).toBe(id);
  });

  it('keeps the attempts each phone has made for maxTotalAttempts (§9, §6)', () => {
    const original = campaignOf({ maxTotalAttempts: 1 });
    original.addPhones(
      [
        { phone: '100', payload: 1 },
        { phone: '200', payload: 1 },
      ],
      { now: min(0) },
    );
    original.next(min(0));
    original.next(min(0));
    original.complete('1', min(1));
    original.complete('2', min(1));
    const restored = Campaign.restore(throughJson(original));
    for (const campaign of [original, restored]) {
      const { jobIds } = campaign.addPhones(
        [
          { phone: '100', payload: 2 },
          { phone: '200', payload: 2 },
        ],
        {
          now: min(2),
        },
      );
      expect(jobIds.map((id) => campaign.job(id!)?.state)).toEqual(['exhausted', 'exhausted']);
    }
  });

  it('keeps the paused flag, the duplicate memory and the ID counter (§9)', () => {
    const original = busyCampaign();
    original.pause();
    const restored = Campaign.restore(throughJson(original));
    expect(restored.isPaused).toBe(true);
    expect(restored.next(min(30))).toBeUndefined();
    const result = restored.addPhones([{ phone: '74950000006', payload: 6 }, { phone: '74950000009' }], {
      now: min(30),
    });
    expect(result.duplicates).toEqual([0]);
    expect(result.jobIds).toEqual(['6', String(original.stats().total + 1)]);
  });

  it('keeps the latest instant: a smaller now acts as the latest (§9)', () => {
    const original = busyCampaign();
    const restored = Campaign.restore(throughJson(original));
    const events = record(restored, ['added']);
    restored.addPhones([{ phone: '74950000099' }], { now: T0 - 3_600_000 });
    expect(events[0]?.atMs).toBe(min(8));
  });

  it('registers no listeners of the original (§9)', () => {
    const original = busyCampaign();
    const events = record(original);
    const restored = Campaign.restore(throughJson(original));
    restored.addPhones([{ phone: '74950000099' }], { now: min(30) });
    expect(events).toEqual([]);
  });

  it('lets options given to restore override the snapshot (§9)', () => {
    const original = busyCampaign();
    const restored = Campaign.restore(throughJson(original), {
      leaseTimeoutMs: 60 * MINUTE_MS,
      dedupWindowMs: 0,
      clock: () => min(10),
      zoneResolver: () => 'Asia/Tokyo',
    });
    // dedupWindowMs 0: nothing is a duplicate any more.
    const result = restored.addPhones([{ phone: '74950000006', payload: 6 }]);
    expect(result.duplicates).toEqual([]);
    // The clock gives `now` when a call passes none.
    const events = record(restored, ['leaseExpired']);
    const task = restored.next();
    expect(task).toBeDefined();
    // The new lease is an hour long: it has not expired after 50 minutes.
    restored.nextReadyAt(min(60));
    expect(events.filter((e) => e.jobId === task?.jobId)).toEqual([]);
    expect(restored.job(task!.jobId)?.state).toBe('dialing');
  });

  it('takes defaults given to restore for new entries (§9)', () => {
    const original = busyCampaign();
    const restored = Campaign.restore(throughJson(original), { defaults: { maxAttempts: 4 } });
    const [id] = restored.addPhones([{ phone: '74950000099' }], { now: min(30) }).jobIds;
    expect(restored.job(id!)?.maxAttempts).toBe(4);
  });
});

describe('restore: bad snapshots (§9)', () => {
  type Json = Record<string, unknown> & { jobs: Record<string, unknown[]> };
  const tampered = (edit: (s: Json) => void): unknown => {
    const snapshot = throughJson(busyCampaign()) as Json;
    edit(snapshot);
    return snapshot;
  };
  /** The codes of a rejected restore, folded to one entry per distinct code (the reader lists every issue). */
  const restoreCode = (snapshot: unknown) => [
    ...new Set(thrown(() => Campaign.restore(snapshot)).issues.map((i) => i.code)),
  ];

  it.each<[string, (s: Json) => void]>([
    [
      'version 1',
      (s) => {
        s.version = 1;
      },
    ],
    [
      'version "1"',
      (s) => {
        s.version = String(s.version);
      },
    ],
    [
      'no version',
      (s) => {
        delete s.version;
      },
    ],
  ])('rejects %s with invalid.snapshot (§9)', (_label, edit) => {
    expect(restoreCode(tampered(edit))).toEqual(['invalid.snapshot']);
  });

  it.each([null, 5, 'snapshot', [], {}])('rejects %j with invalid.snapshot (§9)', (value) => {
    expect(restoreCode(value)).toEqual(['invalid.snapshot']);
  });

  it('rejects an unknown job state with invalid.snapshot (§9)', () => {
    const snapshot = tampered((s) => {
      s.jobs.state![0] = 'sleeping';
    });
    expect(restoreCode(snapshot)).toEqual(['invalid.snapshot']);
  });

  it.each<[string, (s: Json) => void]>([
    [
      'a redial of a job that does not exist',
      (s) => {
        s.jobs.redialOf![1] = 99;
      },
    ],
    [
      'a redial that does not name its original back',
      (s) => {
        s.jobs.redialChild![0] = 2;
      },
    ],
    [
      'a phone that does not exist',
      (s) => {
        s.jobs.phone![0] = 99;
      },
    ],
    [
      'a schedule that does not exist',
      (s) => {
        s.jobs.schedule![0] = -1;
      },
    ],
    [
      'a job ID as a string',
      (s) => {
        s.jobs.redialOf![0] = '2';
      },
    ],
    [
      'a state column one job short',
      (s) => {
        s.jobs.state!.pop();
      },
    ],
  ])('rejects %s with invalid.snapshot (§9)', (_label, edit) => {
    expect(restoreCode(tampered(edit))).toEqual(['invalid.snapshot']);
  });

  it('rejects any numeric job column with a value out of its range, or one job short (§9)', () => {
    const text = JSON.stringify(throughJson(busyCampaign()));
    const jobs = (JSON.parse(text) as Json).jobs;
    let columns = 0;
    for (const [name, column] of Object.entries(jobs)) {
      if (typeof column[0] !== 'number') continue;
      columns++;
      // Instants (…Ms) may be any finite number; counts, codes and indexes may not.
      const bads: unknown[] = name.endsWith('Ms') ? ['1', true] : [-5, 1e9, 1.5, '1'];
      for (const bad of bads) {
        const copy = JSON.parse(text) as Json;
        copy.jobs[name]![0] = bad;
        expect([name, bad, restoreCode(copy)]).toEqual([name, bad, ['invalid.snapshot']]);
      }
      const shorter = JSON.parse(text) as Json;
      shorter.jobs[name]!.pop();
      expect([name, restoreCode(shorter)]).toEqual([name, ['invalid.snapshot']]);
    }
    expect(columns).toBeGreaterThan(10);
  });

  it('rejects a phone attempts count that leaves no room to count on (§9)', () => {
    const snapshot = tampered((s) => {
      (s.phones as { attempts: number }[])[0]!.attempts = 2 ** 31 - 1;
    });
    expect(restoreCode(snapshot)).toEqual(['invalid.snapshot']);
  });

  it('rejects a tampered phone with invalid.snapshot (§9)', () => {
    const snapshot = tampered((s) => {
      const text = JSON.stringify(s).replace('"74950000001"', '"7495-0000001"');
      Object.assign(s, JSON.parse(text));
    });
    expect(thrown(() => Campaign.restore(snapshot)).issues[0]?.code).toBe('invalid.snapshot');
  });

  it('rejects a bad option given to restore with invalid.option (§9, §10)', () => {
    const snapshot = throughJson(busyCampaign());
    expect(thrown(() => Campaign.restore(snapshot, { leaseTimeoutMs: -1 })).issues[0]?.code).toBe(
      'invalid.option',
    );
  });
});
