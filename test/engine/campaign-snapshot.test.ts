import { describe, expect, it } from 'vitest';
import { asyncCampaign, Campaign } from '../../src/index.js';
import { addBusyJobs, min, OPTIONS } from '../behaviour/busy-campaign.js';
import { campaignOf, MINUTE_MS, record, thrown } from './helpers.js';

// What is particular to the in-memory `Campaign.restore`: functions given again as overrides, and the
// checks of the snapshot's columns. The rest of §9's snapshots is the behaviour suite's
// (test/behaviour/snapshot.test.ts), run on every backend.

/** A campaign with jobs in every state (see `addBusyJobs`). */
async function busyCampaign(): Promise<Campaign> {
  const campaign = campaignOf(OPTIONS);
  await addBusyJobs(asyncCampaign(campaign));
  return campaign;
}

/** A JSON round trip of a snapshot, as a store would do. */
const throughJson = (campaign: Campaign) => JSON.parse(JSON.stringify(campaign.snapshot())) as unknown;

describe('snapshot (§9)', () => {
  it('lets options given to restore override the snapshot (§9)', async () => {
    const original = await busyCampaign();
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
});

describe('restore: bad snapshots (§9)', () => {
  type Json = Record<string, unknown> & { jobs: Record<string, unknown[]> };
  const tampered = async (edit: (s: Json) => void): Promise<unknown> => {
    const snapshot = throughJson(await busyCampaign()) as Json;
    edit(snapshot);
    return snapshot;
  };
  /** The codes of a rejected restore, folded to one entry per distinct code (the reader lists every issue). */
  const restoreCode = (snapshot: unknown) => [
    ...new Set(thrown(() => Campaign.restore(snapshot)).issues.map((i) => i.code)),
  ];

  it('rejects an unknown job state with invalid.snapshot (§9)', async () => {
    const snapshot = await tampered((s) => {
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
  ])('rejects %s with invalid.snapshot (§9)', async (_label, edit) => {
    expect(restoreCode(await tampered(edit))).toEqual(['invalid.snapshot']);
  });

  it('rejects any numeric job column with a value out of its range, or one job short (§9)', async () => {
    const text = JSON.stringify(throughJson(await busyCampaign()));
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

  it('rejects a phone attempts count that leaves no room to count on (§9)', async () => {
    const snapshot = await tampered((s) => {
      (s.phones as { attempts: number }[])[0]!.attempts = 2 ** 31 - 1;
    });
    expect(restoreCode(snapshot)).toEqual(['invalid.snapshot']);
  });

  it('rejects a tampered phone with invalid.snapshot (§9)', async () => {
    const snapshot = await tampered((s) => {
      const text = JSON.stringify(s).replace('"74950000001"', '"7495-0000001"');
      Object.assign(s, JSON.parse(text));
    });
    expect(thrown(() => Campaign.restore(snapshot)).issues[0]?.code).toBe('invalid.snapshot');
  });
});
