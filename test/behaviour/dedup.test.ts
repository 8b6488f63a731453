import { describe, expect, it } from 'vitest';
import type { EntryInput } from '../../src/index.js';
import { openCampaign } from './backend.js';
import { at, DAY_MS, daily, HOUR_MS, MINUTE_MS, record } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');

/** Whether the second entry, added after the first, is ignored as its duplicate. */
async function isDuplicate(first: EntryInput, second: EntryInput): Promise<boolean> {
  const campaign = await openCampaign();
  const [a] = (await campaign.addPhones([first], { now: T0 })).jobIds;
  const result = await campaign.addPhones([second], { now: T0 + MINUTE_MS });
  if (result.duplicates.length > 0) {
    expect(result.duplicates).toEqual([0]);
    expect(result.jobIds).toEqual([a]);
    expect((await campaign.stats()).total).toBe(1);
    return true;
  }
  expect((await campaign.stats()).total).toBe(2);
  return false;
}

describe('duplicates: what is the same (§8)', () => {
  it('ignores the same phone written two ways, and holds the existing ID in its slot (§8)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['added']);
    const first = await campaign.addPhones([{ phone: '+1 650 000-0000', payload: { a: 1 } }], { now: T0 });
    const second = await campaign.addPhones([{ phone: 16500000000, payload: { a: 1 } }], {
      now: T0 + HOUR_MS,
    });
    expect(first).toEqual({
      jobIds: ['1'],
      duplicates: [],
      blocked: [],
      warnings: [],
      rejected: [],
      omittedRejected: 0,
    });
    expect(second).toEqual({
      jobIds: ['1'],
      duplicates: [0],
      blocked: [],
      warnings: [],
      rejected: [],
      omittedRejected: 0,
    });
    expect((await campaign.stats()).total).toBe(1);
    expect(events).toHaveLength(1);
  });

  it('ignores a duplicate inside one body (§8)', async () => {
    const campaign = await openCampaign();
    const result = await campaign.addPhones(
      [{ phone: '100' }, { phone: '200' }, { phone: '+100' }, { phone: '(100)' }, { phone: '300' }],
      { now: T0 },
    );
    expect(result.jobIds).toEqual(['1', '2', '1', '1', '3']);
    expect(result.duplicates).toEqual([2, 3]);
    expect((await campaign.stats()).total).toBe(3);
  });

  it('compares payloads as JSON values, key order aside (§8)', async () => {
    expect(
      await isDuplicate(
        { phone: '100', payload: { a: 1, b: [1, { c: 2, d: 3 }] } },
        { phone: '100', payload: { b: [1, { d: 3, c: 2 }], a: 1 } },
      ),
    ).toBe(true);
    expect(await isDuplicate({ phone: '100', payload: { a: 1 } }, { phone: '100', payload: { a: 2 } })).toBe(
      false,
    );
    expect(await isDuplicate({ phone: '100', payload: [1, 2] }, { phone: '100', payload: [2, 1] })).toBe(
      false,
    );
    expect(await isDuplicate({ phone: '100', payload: '1' }, { phone: '100', payload: 1 })).toBe(false);
  });

  it('tells an absent payload from a present one, and treats payload: undefined as absent (§8)', async () => {
    expect(await isDuplicate({ phone: '100' }, { phone: '100', payload: null })).toBe(false);
    expect(await isDuplicate({ phone: '100' }, { phone: '100', payload: {} })).toBe(false);
    expect(await isDuplicate({ phone: '100' }, { phone: '100', payload: undefined })).toBe(true);
  });

  it('tells entries with a different maxAttempts, retryIntervalInMinutes or dialerPriority apart (§8)', async () => {
    expect(await isDuplicate({ phone: '100', maxAttempts: 2 }, { phone: '100', maxAttempts: 3 })).toBe(false);
    expect(
      await isDuplicate(
        { phone: '100', retryIntervalInMinutes: 5 },
        { phone: '100', retryIntervalInMinutes: 6 },
      ),
    ).toBe(false);
    expect(await isDuplicate({ phone: '100', dialerPriority: 1 }, { phone: '100', dialerPriority: 2 })).toBe(
      false,
    );
  });

  it('tells entries with different calling rules or phones apart (§8)', async () => {
    expect(
      await isDuplicate({ phone: '100', gmtZone: 'UTC' }, { phone: '100', gmtZone: 'Europe/London' }),
    ).toBe(false);
    expect(
      await isDuplicate({ phone: '100', startDateTime: T0 }, { phone: '100', startDateTime: T0 + MINUTE_MS }),
    ).toBe(false);
    expect(
      await isDuplicate({ phone: '100', allowedDays: ['mon'] }, { phone: '100', allowedDays: ['tue'] }),
    ).toBe(false);
    expect(await isDuplicate({ phone: '100' }, { phone: '101' })).toBe(false);
  });

  it('tells an absent zone or allowedDays from a present one that inheritance makes equal (§8)', async () => {
    expect(await isDuplicate({ phone: '100' }, { phone: '100', gmtZone: 'Z' })).toBe(false);
    const campaign = await openCampaign({ defaults: { allowedDays: ['mon'] } });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect((await campaign.addPhones([{ phone: '100', allowedDays: ['mon'] }], { now: T0 })).jobIds).toEqual([
      '2',
    ]);
  });

  it('tells an absent retry interval, maxAttempts or priority from a present one equal to the inherited value (§8)', async () => {
    expect(await isDuplicate({ phone: '100' }, { phone: '100', retryIntervalInMinutes: 60 })).toBe(false);
    expect(await isDuplicate({ phone: '100' }, { phone: '100', maxAttempts: 1 })).toBe(false);
    expect(await isDuplicate({ phone: '100' }, { phone: '100', dialerPriority: 5 })).toBe(false);
  });

  it('treats maxAttempts 0 and an absent maxAttempts alike (§8)', async () => {
    expect(await isDuplicate({ phone: '100' }, { phone: '100', maxAttempts: 0 })).toBe(true);
    expect(await isDuplicate({ phone: '100', maxAttempts: 0 }, { phone: '100' })).toBe(true);
  });

  it('treats a replaced dialerPriority as 5 (§8)', async () => {
    expect(await isDuplicate({ phone: '100', dialerPriority: 7 }, { phone: '100', dialerPriority: 5 })).toBe(
      true,
    );
    expect(
      await isDuplicate({ phone: '100', dialerPriority: 0 }, { phone: '100', dialerPriority: '2' as never }),
    ).toBe(true);
    expect(await isDuplicate({ phone: '100', dialerPriority: 7 }, { phone: '100', dialerPriority: 4 })).toBe(
      false,
    );
  });

  it('treats equal zone IDs, and an ISO string and epoch ms naming one instant, as the same (§8)', async () => {
    expect(await isDuplicate({ phone: '100', gmtZone: 'UTC+3' }, { phone: '100', gmtZone: '+03:00' })).toBe(
      true,
    );
    expect(await isDuplicate({ phone: '100', gmtZone: 'Z' }, { phone: '100', gmtZone: 'GMT' })).toBe(true);
    expect(
      await isDuplicate(
        { phone: '100', finishDateTime: '2024-06-10T12:00:00+02:00' },
        { phone: '100', finishDateTime: at('2024-06-10T10:00:00Z') },
      ),
    ).toBe(true);
    // A local date-time compares as that local date-time, not as an instant.
    expect(
      await isDuplicate(
        { phone: '100', finishDateTime: '2024-06-10T10:00:00' },
        { phone: '100', finishDateTime: '2024-06-10T10:00:00Z' },
      ),
    ).toBe(false);
    expect(
      await isDuplicate(
        { phone: '100', finishDateTime: '2024-06-10T10:00:00' },
        { phone: '100', finishDateTime: '2024-06-10T10:00' },
      ),
    ).toBe(true);
  });

  it('compares allowedDays as a set and each allowedTime list as a set of intervals (§8)', async () => {
    expect(
      await isDuplicate(
        { phone: '100', allowedDays: ['mon', 'tue'] },
        { phone: '100', allowedDays: ['tue', 'mon', 'mon'] },
      ),
    ).toBe(true);
    const morning = { localTimeFrom: '09:00', localTimeTo: '12:00' };
    const evening = { localTimeFrom: '18:00', localTimeTo: '21:00' };
    expect(
      await isDuplicate(
        { phone: '100', allowedTime: { mon: [morning, evening] } },
        { phone: '100', allowedTime: { mon: [evening, morning] } },
      ),
    ).toBe(true);
    expect(
      await isDuplicate(
        { phone: '100', allowedTime: { mon: [morning] } },
        { phone: '100', allowedTime: { tue: [morning] } },
      ),
    ).toBe(false);
    expect(
      await isDuplicate(
        { phone: '100', allowedTime: { mon: [morning] } },
        { phone: '100', allowedTime: { default: [morning] } },
      ),
    ).toBe(false);
  });
});

describe('duplicates: when (§8)', () => {
  it('ignores a duplicate whatever the state of the first job (§8)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }, { phone: '300' }], { now: T0 });
    await campaign.next(T0);
    await campaign.complete('1', T0);
    await campaign.next(T0);
    await campaign.cancel({ jobIds: ['3'] }, T0);
    const result = await campaign.addPhones([{ phone: '100' }, { phone: '200' }, { phone: '300' }], {
      now: T0 + 30 * MINUTE_MS,
    });
    expect(result.jobIds).toEqual(['1', '2', '3']);
    expect(result.duplicates).toEqual([0, 1, 2]);
    expect((await campaign.job('1'))?.state).toBe('completed');
    expect((await campaign.job('2'))?.state).toBe('dialing');
  });

  it('counts the 24 hours from the first add; ignored duplicates do not extend them (§8)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect((await campaign.addPhones([{ phone: '100' }], { now: T0 + 23 * HOUR_MS })).jobIds).toEqual(['1']);
    expect((await campaign.addPhones([{ phone: '100' }], { now: T0 + DAY_MS - 1 })).jobIds).toEqual(['1']);
    const later = await campaign.addPhones([{ phone: '100' }], { now: T0 + DAY_MS });
    expect(later).toMatchObject({ jobIds: ['2'], duplicates: [] });
    // The new job starts a new 24 hours.
    expect((await campaign.addPhones([{ phone: '100' }], { now: T0 + DAY_MS + HOUR_MS })).jobIds).toEqual([
      '2',
    ]);
  });

  it('forgets entries added dedupWindowMs or more ago (§8, §10)', async () => {
    const campaign = await openCampaign({ dedupWindowMs: HOUR_MS });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect((await campaign.addPhones([{ phone: '100' }], { now: T0 + HOUR_MS - 1 })).jobIds).toEqual(['1']);
    expect((await campaign.addPhones([{ phone: '100' }], { now: T0 + HOUR_MS })).jobIds).toEqual(['2']);
  });

  it('checks nothing when dedupWindowMs is 0 (§8, §10)', async () => {
    const campaign = await openCampaign({ dedupWindowMs: 0 });
    expect((await campaign.addPhones([{ phone: '100' }, { phone: '100' }], { now: T0 })).jobIds).toEqual([
      '1',
      '2',
    ]);
  });

  it('compares the entry before inheritance: the same entry under other defaults is still the same (§8)', async () => {
    const campaign = await openCampaign({ defaults: { allowedTime: daily('09:00', '10:00') } });
    await campaign.addPhones([{ phone: '100', maxAttempts: 2 }], { now: T0 });
    expect((await campaign.addPhones([{ phone: '100', maxAttempts: 2 }], { now: T0 })).duplicates).toEqual([
      0,
    ]);
  });
});

describe('addTestPhone (§8)', () => {
  it('adds the same entry again and again without the duplicate check (§8)', async () => {
    const campaign = await openCampaign();
    expect((await campaign.addPhones([{ phone: '100', payload: 1 }], { now: T0 })).jobIds).toEqual(['1']);
    expect(await campaign.addTestPhone({ phone: '100', payload: 1 }, { now: T0 })).toBe('2');
    expect(await campaign.addTestPhone({ phone: '100', payload: 1 }, { now: T0 })).toBe('3');
    expect((await campaign.stats()).total).toBe(3);
  });

  it('does not remember test entries for the duplicate check (§8)', async () => {
    const campaign = await openCampaign();
    expect(await campaign.addTestPhone({ phone: '100', payload: 1 }, { now: T0 })).toBe('1');
    expect(await campaign.addPhones([{ phone: '100', payload: 1 }], { now: T0 })).toMatchObject({
      jobIds: ['2'],
      duplicates: [],
    });
    expect((await campaign.addPhones([{ phone: '100', payload: 1 }], { now: T0 })).jobIds).toEqual(['2']);
  });
});
