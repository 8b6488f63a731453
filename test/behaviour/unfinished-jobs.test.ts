import { describe, expect, it } from 'vitest';
import { openCampaign } from './backend.js';
import { at, daily, jobViews, MINUTE_MS, rejects } from './helpers.js';

const T0 = at('2024-06-03T12:00:00Z');

describe('unfinishedJobs', () => {
  it('pages through waiting, ready and dialing jobs in job-ID order, skipping final ones', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: 'Z' } });
    const { jobIds } = await campaign.addPhones(
      [
        { phone: '100' },
        { phone: '200' },
        { phone: '300', allowedTime: daily('20:00', '21:00') },
        { phone: '400' },
        { phone: '500' },
      ],
      { now: T0 },
    );
    const first = await campaign.next(T0);
    await campaign.complete(first!, T0 + MINUTE_MS);
    const second = await campaign.next(T0 + MINUTE_MS);
    const all = await campaign.unfinishedJobs({ limit: 10 });
    expect(all.map((view) => view.id)).toEqual(jobIds.filter((id) => id !== first!.jobId));
    expect(all).toEqual(
      await jobViews(
        campaign,
        all.map((view) => view.id),
      ),
    );
    expect(all.find((view) => view.id === second!.jobId)?.state).toBe('dialing');
    expect(all.find((view) => view.id === jobIds[2])?.state).toBe('waiting');
    const pages = [
      await campaign.unfinishedJobs({ offset: 0, limit: 2 }),
      await campaign.unfinishedJobs({ offset: 2, limit: 2 }),
      await campaign.unfinishedJobs({ offset: 4, limit: 2 }),
    ];
    expect(pages.map((page) => page.map((view) => view.id))).toEqual([
      all.slice(0, 2).map((view) => view.id),
      all.slice(2, 4).map((view) => view.id),
      [],
    ]);
  });

  it('returns 100 views by default and refuses a bad offset or limit (invalid.option)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: 'Z' } });
    await campaign.addPhones(
      Array.from({ length: 120 }, (_, i) => ({ phone: String(1000 + i) })),
      { now: T0 },
    );
    expect(await campaign.unfinishedJobs()).toHaveLength(100);
    await rejects(campaign, () => campaign.unfinishedJobs({ offset: -1 }), 'invalid.option');
    await rejects(campaign, () => campaign.unfinishedJobs({ limit: 0 }), 'invalid.option');
    await rejects(campaign, () => campaign.unfinishedJobs({ limit: 10_001 }), 'invalid.option');
    await rejects(
      campaign,
      () => campaign.unfinishedJobs({ page: 1 } as unknown as { offset: number }),
      'invalid.option',
    );
  });
});
