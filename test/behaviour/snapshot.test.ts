import { describe, expect, it } from 'vitest';
import type { AsyncCampaign, CampaignEvent } from '../../src/index.js';
import { openCampaign, restoreCampaign } from './backend.js';
import { addBusyJobs, min, OPTIONS, T0 } from './busy-campaign.js';
import { daily, idsUpTo, jobViews, MINUTE_MS, record, rejected } from './helpers.js';

/** A campaign with jobs in every state: waiting, ready, dialing, a pending redial, a cancel awaiting its report. */
async function busyCampaign(): Promise<AsyncCampaign> {
  const campaign = await openCampaign(OPTIONS);
  await addBusyJobs(campaign);
  return campaign;
}

/** A JSON round trip of a snapshot, as a store would do. */
const throughJson = async (campaign: AsyncCampaign) =>
  JSON.parse(JSON.stringify(await campaign.snapshot())) as unknown;

/**
 * Drives a campaign through a fixed script (no randomness) and returns everything it returned, the views
 * of all jobs after each step, and its events.
 */
async function drive(campaign: AsyncCampaign): Promise<unknown[]> {
  const events: CampaignEvent[] = record(campaign);
  const out: unknown[] = [];
  const call = async (label: string, f: () => Promise<unknown>) => {
    try {
      out.push([label, await f()]);
    } catch (error) {
      out.push([label, 'threw', (error as { issues?: unknown }).issues]);
    }
  };
  const views = async () => jobViews(campaign, idsUpTo((await campaign.stats()).total + 2));
  await call('add', () =>
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
    await call('nextReadyAt', () => campaign.nextReadyAt(t));
    await call('next', () => campaign.next(t));
    const task = out.at(-1) as [string, { jobId: string } | undefined];
    const served = task[1];
    if (served !== undefined) {
      switch (k % 5) {
        case 0:
          await call('fail', () => campaign.fail(served as never, t + MINUTE_MS));
          break;
        case 1:
          await call('complete', () => campaign.complete(served.jobId, t + 2 * MINUTE_MS));
          break;
        case 2:
          await call('redial', () =>
            campaign.redial(served.jobId, { allowedTime: daily('11:00', '13:00') }, t + MINUTE_MS),
          );
          await call('fail', () => campaign.fail(served.jobId, t + 2 * MINUTE_MS));
          break;
        case 3:
          // Left to expire its lease.
          break;
        default:
          await call('cancel', () => campaign.cancel({ jobIds: [served.jobId] }, t));
          await call('complete', () => campaign.complete(served as never, t + MINUTE_MS));
      }
    }
    if (k % 17 === 0) await call('pause', () => campaign.pause());
    if (k % 17 === 3) await call('resume', () => campaign.resume());
    if (k % 23 === 5) {
      await call('addTestPhone', () => campaign.addTestPhone({ phone: `749500000${10 + k}` }, { now: t }));
      await call('cancel phone', () => campaign.cancel({ phones: ['74950000003'] }, t));
    }
    if (k % 29 === 7) await call('stale report', () => campaign.complete('1', t));
    await call('stats', () => campaign.stats());
    await call('views', views);
  }
  out.push(['events', events]);
  // Internal tables (such as the schedule table) may be laid out differently; the time may not.
  out.push(['latestMs', (await campaign.snapshot()).latestMs]);
  return out;
}

describe('snapshot (§9)', () => {
  it('is a JSON value with its format version in a top-level version field (§9)', async () => {
    const snapshot = await (await busyCampaign()).snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot).toHaveProperty('version');
  });

  it('restores a campaign that snapshots the same (§9)', async () => {
    const original = await busyCampaign();
    const restored = await restoreCampaign(await throughJson(original));
    expect(await restored.snapshot()).toEqual(await original.snapshot());
  });

  it('restores a campaign that serves, reports and expires exactly as the original (§9)', async () => {
    const original = await busyCampaign();
    const restored = await restoreCampaign(await throughJson(original));
    const ids = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    expect(await jobViews(restored, ids)).toEqual(await jobViews(original, ids));
    expect(await restored.stats()).toEqual(await original.stats());
    expect(await restored.isPaused()).toBe(await original.isPaused());
    expect(await drive(restored)).toEqual(await drive(original));
  });

  it('keeps the lease deadline of a job that ended by its lease expiring (§9, §6)', async () => {
    const original = await openCampaign({ leaseTimeoutMs: 30 * MINUTE_MS });
    await original.addPhones([{ phone: '100' }], { now: min(0) });
    await original.next(min(0));
    await original.nextReadyAt(min(31));
    expect((await original.job('1'))?.state).toBe('exhausted');
    const restored = await restoreCampaign(await throughJson(original));
    expect(await restored.snapshot()).toEqual(await original.snapshot());
    const late = async (campaign: AsyncCampaign) => (await rejected(campaign.complete('1', min(32)))).issues;
    expect(await late(restored)).toEqual(await late(original));
    expect((await late(restored))[0]?.message).toContain('2024-06-03T06:30:00.000Z');
  });

  it('restores a job added with no window left before the end of Date (§9)', async () => {
    const original = await openCampaign(OPTIONS);
    await original.addPhones([{ phone: '100', startDateTime: 8.64e15 - 1 }], { now: min(0) });
    const restored = await restoreCampaign(await throughJson(original));
    expect(await restored.snapshot()).toEqual(await original.snapshot());
    expect(await restored.job('1')).toEqual(await original.job('1'));
  });

  it('restores a campaign that has seen no call yet (§9)', async () => {
    const restored = await restoreCampaign(await throughJson(await openCampaign(OPTIONS)));
    const [id] = (await restored.addPhones([{ phone: '100' }], { now: min(0) })).jobIds;
    expect((await restored.next(min(0)))?.jobId).toBe(id);
  });

  it('keeps the attempts each phone has made for maxTotalAttempts (§9, §6)', async () => {
    const original = await openCampaign({ maxTotalAttempts: 1 });
    await original.addPhones(
      [
        { phone: '100', payload: 1 },
        { phone: '200', payload: 1 },
      ],
      { now: min(0) },
    );
    await original.next(min(0));
    await original.next(min(0));
    await original.complete('1', min(1));
    await original.complete('2', min(1));
    const restored = await restoreCampaign(await throughJson(original));
    for (const campaign of [original, restored]) {
      const { jobIds } = await campaign.addPhones(
        [
          { phone: '100', payload: 2 },
          { phone: '200', payload: 2 },
        ],
        {
          now: min(2),
        },
      );
      const views = await jobViews(campaign, jobIds as string[]);
      expect(views.map((view) => view?.state)).toEqual(['exhausted', 'exhausted']);
    }
  });

  it('keeps the paused flag, the duplicate memory and the ID counter (§9)', async () => {
    const original = await busyCampaign();
    await original.pause();
    const restored = await restoreCampaign(await throughJson(original));
    expect(await restored.isPaused()).toBe(true);
    expect(await restored.next(min(30))).toBeUndefined();
    const result = await restored.addPhones(
      [{ phone: '74950000006', payload: 6 }, { phone: '74950000009' }],
      {
        now: min(30),
      },
    );
    expect(result.duplicates).toEqual([0]);
    expect(result.jobIds).toEqual(['6', String((await original.stats()).total + 1)]);
  });

  it('keeps the latest instant: a smaller now acts as the latest (§9)', async () => {
    const original = await busyCampaign();
    const restored = await restoreCampaign(await throughJson(original));
    const events = record(restored, ['added']);
    await restored.addPhones([{ phone: '74950000099' }], { now: T0 - 3_600_000 });
    expect(events[0]?.atMs).toBe(min(8));
  });

  it('registers no listeners of the original (§9)', async () => {
    const original = await busyCampaign();
    const events = record(original);
    const restored = await restoreCampaign(await throughJson(original));
    await restored.addPhones([{ phone: '74950000099' }], { now: min(30) });
    expect(events).toEqual([]);
  });

  it('takes defaults given to restore for new entries (§9)', async () => {
    const original = await busyCampaign();
    const restored = await restoreCampaign(await throughJson(original), { defaults: { maxAttempts: 4 } });
    const [id] = (await restored.addPhones([{ phone: '74950000099' }], { now: min(30) })).jobIds;
    expect((await restored.job(id!))?.maxAttempts).toBe(4);
  });
});

describe('restore: bad snapshots (§9)', () => {
  type Json = Record<string, unknown>;
  const tampered = async (edit: (s: Json) => void): Promise<unknown> => {
    const snapshot = (await throughJson(await busyCampaign())) as Json;
    edit(snapshot);
    return snapshot;
  };
  /** The codes of a rejected restore, folded to one entry per distinct code (the reader lists every issue). */
  const restoreCode = async (snapshot: unknown) => [
    ...new Set((await rejected(restoreCampaign(snapshot))).issues.map((i) => i.code)),
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
  ])('rejects %s with invalid.snapshot (§9)', async (_label, edit) => {
    expect(await restoreCode(await tampered(edit))).toEqual(['invalid.snapshot']);
  });

  it.each([null, 5, 'snapshot', [], {}])('rejects %j with invalid.snapshot (§9)', async (value) => {
    expect(await restoreCode(value)).toEqual(['invalid.snapshot']);
  });

  it('rejects a bad option given to restore with invalid.option (§9, §10)', async () => {
    const snapshot = await throughJson(await busyCampaign());
    expect((await rejected(restoreCampaign(snapshot, { leaseTimeoutMs: -1 }))).issues[0]?.code).toBe(
      'invalid.option',
    );
  });
});
