import { describe, expect, it } from 'vitest';
import type { EntryInput } from '../../src/index.js';
import { at, campaignOf, DAY_MS, daily, HOUR_MS, MINUTE_MS, record } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');

/** Whether the second entry, added after the first, is ignored as its duplicate. */
function isDuplicate(first: EntryInput, second: EntryInput): boolean {
  const campaign = campaignOf();
  const [a] = campaign.addPhones([first], { now: T0 }).jobIds;
  const result = campaign.addPhones([second], { now: T0 + MINUTE_MS });
  if (result.duplicates.length > 0) {
    expect(result.duplicates).toEqual([0]);
    expect(result.jobIds).toEqual([a]);
    expect(campaign.stats().total).toBe(1);
    return true;
  }
  expect(campaign.stats().total).toBe(2);
  return false;
}

describe('duplicates: what is the same (§8)', () => {
  it('ignores the same phone written two ways, and holds the existing ID in its slot (§8)', () => {
    const campaign = campaignOf();
    const events = record(campaign, ['added']);
    const first = campaign.addPhones([{ phone: '+1 650 000-0000', payload: { a: 1 } }], { now: T0 });
    const second = campaign.addPhones([{ phone: 16500000000, payload: { a: 1 } }], { now: T0 + HOUR_MS });
    expect(first).toEqual({ jobIds: ['1'], duplicates: [], warnings: [], rejected: [], omittedRejected: 0 });
    expect(second).toEqual({
      jobIds: ['1'],
      duplicates: [0],
      warnings: [],
      rejected: [],
      omittedRejected: 0,
    });
    expect(campaign.stats().total).toBe(1);
    expect(events).toHaveLength(1);
  });

  it('ignores a duplicate inside one body (§8)', () => {
    const campaign = campaignOf();
    const result = campaign.addPhones(
      [{ phone: '100' }, { phone: '200' }, { phone: '+100' }, { phone: '(100)' }, { phone: '300' }],
      { now: T0 },
    );
    expect(result.jobIds).toEqual(['1', '2', '1', '1', '3']);
    expect(result.duplicates).toEqual([2, 3]);
    expect(campaign.stats().total).toBe(3);
  });

  it('compares payloads as JSON values, key order aside (§8)', () => {
    expect(
      isDuplicate(
        { phone: '100', payload: { a: 1, b: [1, { c: 2, d: 3 }] } },
        { phone: '100', payload: { b: [1, { d: 3, c: 2 }], a: 1 } },
      ),
    ).toBe(true);
    expect(isDuplicate({ phone: '100', payload: { a: 1 } }, { phone: '100', payload: { a: 2 } })).toBe(false);
    expect(isDuplicate({ phone: '100', payload: [1, 2] }, { phone: '100', payload: [2, 1] })).toBe(false);
    expect(isDuplicate({ phone: '100', payload: '1' }, { phone: '100', payload: 1 })).toBe(false);
  });

  it('tells an absent payload from a present one, and treats payload: undefined as absent (§8)', () => {
    expect(isDuplicate({ phone: '100' }, { phone: '100', payload: null })).toBe(false);
    expect(isDuplicate({ phone: '100' }, { phone: '100', payload: {} })).toBe(false);
    expect(isDuplicate({ phone: '100' }, { phone: '100', payload: undefined })).toBe(true);
  });

  it('tells entries with a different maxAttempts, retryIntervalInMinutes or dialerPriority apart (§8)', () => {
    expect(isDuplicate({ phone: '100', maxAttempts: 2 }, { phone: '100', maxAttempts: 3 })).toBe(false);
    expect(
      isDuplicate({ phone: '100', retryIntervalInMinutes: 5 }, { phone: '100', retryIntervalInMinutes: 6 }),
    ).toBe(false);
    expect(isDuplicate({ phone: '100', dialerPriority: 1 }, { phone: '100', dialerPriority: 2 })).toBe(false);
  });

  it('tells entries with different calling rules or phones apart (§8)', () => {
    expect(isDuplicate({ phone: '100', gmtZone: 'UTC' }, { phone: '100', gmtZone: 'Europe/London' })).toBe(
      false,
    );
    expect(
      isDuplicate({ phone: '100', startDateTime: T0 }, { phone: '100', startDateTime: T0 + MINUTE_MS }),
    ).toBe(false);
    expect(isDuplicate({ phone: '100', allowedDays: ['mon'] }, { phone: '100', allowedDays: ['tue'] })).toBe(
      false,
    );
    expect(isDuplicate({ phone: '100' }, { phone: '101' })).toBe(false);
  });

  it('tells an absent zone or allowedDays from a present one that inheritance makes equal (§8)', () => {
    expect(isDuplicate({ phone: '100' }, { phone: '100', gmtZone: 'Z' })).toBe(false);
    const campaign = campaignOf({ defaults: { allowedDays: ['mon'] } });
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(campaign.addPhones([{ phone: '100', allowedDays: ['mon'] }], { now: T0 }).jobIds).toEqual(['2']);
  });

  it('tells an absent retry interval, maxAttempts or priority from a present one equal to the inherited value (§8)', () => {
    expect(isDuplicate({ phone: '100' }, { phone: '100', retryIntervalInMinutes: 60 })).toBe(false);
    expect(isDuplicate({ phone: '100' }, { phone: '100', maxAttempts: 1 })).toBe(false);
    expect(isDuplicate({ phone: '100' }, { phone: '100', dialerPriority: 5 })).toBe(false);
  });

  it('treats maxAttempts 0 and an absent maxAttempts alike (§8)', () => {
    expect(isDuplicate({ phone: '100' }, { phone: '100', maxAttempts: 0 })).toBe(true);
    expect(isDuplicate({ phone: '100', maxAttempts: 0 }, { phone: '100' })).toBe(true);
  });

  it('treats a replaced dialerPriority as 5 (§8)', () => {
    expect(isDuplicate({ phone: '100', dialerPriority: 7 }, { phone: '100', dialerPriority: 5 })).toBe(true);
    expect(
      isDuplicate({ phone: '100', dialerPriority: 0 }, { phone: '100', dialerPriority: '2' as never }),
    ).toBe(true);
    expect(isDuplicate({ phone: '100', dialerPriority: 7 }, { phone: '100', dialerPriority: 4 })).toBe(false);
  });

  it('treats equal zone IDs, and an ISO string and epoch ms naming one instant, as the same (§8)', () => {
    expect(isDuplicate({ phone: '100', gmtZone: 'UTC+3' }, { phone: '100', gmtZone: '+03:00' })).toBe(true);
    expect(isDuplicate({ phone: '100', gmtZone: 'Z' }, { phone: '100', gmtZone: 'GMT' })).toBe(true);
    expect(
      isDuplicate(
        { phone: '100', finishDateTime: '2024-06-10T12:00:00+02:00' },
        { phone: '100', finishDateTime: at('2024-06-10T10:00:00Z') },
      ),
    ).toBe(true);
    // A local date-time compares as that local date-time, not as an instant.
    expect(
      isDuplicate(
        { phone: '100', finishDateTime: '2024-06-10T10:00:00' },
        { phone: '100', finishDateTime: '2024-06-10T10:00:00Z' },
      ),
    ).toBe(false);
    expect(
      isDuplicate(
        { phone: '100', finishDateTime: '2024-06-10T10:00:00' },
        { phone: '100', finishDateTime: '2024-06-10T10:00' },
      ),
    ).toBe(true);
  });

  it('compares allowedDays as a set and each allowedTime list as a set of intervals (§8)', () => {
    expect(
      isDuplicate(
        { phone: '100', allowedDays: ['mon', 'tue'] },
        { phone: '100', allowedDays: ['tue', 'mon', 'mon'] },
      ),
    ).toBe(true);
    const morning = { localTimeFrom: '09:00', localTimeTo: '12:00' };
    const evening = { localTimeFrom: '18:00', localTimeTo: '21:00' };
    expect(
      isDuplicate(
        { phone: '100', allowedTime: { mon: [morning, evening] } },
        { phone: '100', allowedTime: { mon: [evening, morning] } },
      ),
    ).toBe(true);
    expect(
      isDuplicate(
        { phone: '100', allowedTime: { mon: [morning] } },
        { phone: '100', allowedTime: { tue: [morning] } },
      ),
    ).toBe(false);
    expect(
      isDuplicate(
        { phone: '100', allowedTime: { mon: [morning] } },
        { phone: '100', allowedTime: { default: [morning] } },
      ),
    ).toBe(false);
  });
});

describe('duplicates: when (§8)', () => {
  it('ignores a duplicate whatever the state of the first job (§8)', () => {
    const campaign = campaignOf();
    campaign.addPhones([{ phone: '100' }, { phone: '200' }, { phone: '300' }], { now: T0 });
    campaign.next(T0);
    campaign.complete('1', T0);
    campaign.next(T0);
    campaign.cancel({ jobIds: ['3'] }, T0);
    const result = campaign.addPhones([{ phone: '100' }, { phone: '200' }, { phone: '300' }], {
      now: T0 + 30 * MINUTE_MS,
    });
    expect(result.jobIds).toEqual(['1', '2', '3']);
    expect(result.duplicates).toEqual([0, 1, 2]);
    expect(campaign.job('1')?.state).toBe('completed');
    expect(campaign.job('2')?.state).toBe('dialing');
  });

  it('counts the 24 hours from the first add; ignored duplicates do not extend them (§8)', () => {
    const campaign = campaignOf();
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(campaign.addPhones([{ phone: '100' }], { now: T0 + 23 * HOUR_MS }).jobIds).toEqual(['1']);
    expect(campaign.addPhones([{ phone: '100' }], { now: T0 + DAY_MS - 1 }).jobIds).toEqual(['1']);
    const later = campaign.addPhones([{ phone: '100' }], { now: T0 + DAY_MS });
    expect(later).toMatchObject({ jobIds: ['2'], duplicates: [] });
    // The new job starts a new 24 hours.
    expect(campaign.addPhones([{ phone: '100' }], { now: T0 + DAY_MS + HOUR_MS }).jobIds).toEqual(['2']);
  });

  it('forgets entries added dedupWindowMs or more ago (§8, §10)', () => {
    const campaign = campaignOf({ dedupWindowMs: HOUR_MS });
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(campaign.addPhones([{ phone: '100' }], { now: T0 + HOUR_MS - 1 }).jobIds).toEqual(['1']);
    expect(campaign.addPhones([{ phone: '100' }], { now: T0 + HOUR_MS }).jobIds).toEqual(['2']);
  });

  it('checks nothing when dedupWindowMs is 0 (§8, §10)', () => {
    const campaign = campaignOf({ dedupWindowMs: 0 });
    expect(campaign.addPhones([{ phone: '100' }, { phone: '100' }], { now: T0 }).jobIds).toEqual(['1', '2']);
  });

  it('compares the entry before inheritance: the same entry under other defaults is still the same (§8)', () => {
    const campaign = campaignOf({ defaults: { allowedTime: daily('09:00', '10:00') } });
    campaign.addPhones([{ phone: '100', maxAttempts: 2 }], { now: T0 });
    expect(campaign.addPhones([{ phone: '100', maxAttempts: 2 }], { now: T0 }).duplicates).toEqual([0]);
  });
});

describe('addTestPhone (§8)', () => {
  it('adds the same entry again and again without the duplicate check (§8)', () => {
    const campaign = campaignOf();
    expect(campaign.addPhones([{ phone: '100', payload: 1 }], { now: T0 }).jobIds).toEqual(['1']);
    expect(campaign.addTestPhone({ phone: '100', payload: 1 }, { now: T0 })).toBe('2');
    expect(campaign.addTestPhone({ phone: '100', payload: 1 }, { now: T0 })).toBe('3');
    expect(campaign.stats().total).toBe(3);
  });

  it('does not remember test entries for the duplicate check (§8)', () => {
    const campaign = campaignOf();
    expect(campaign.addTestPhone({ phone: '100', payload: 1 }, { now: T0 })).toBe('1');
    expect(campaign.addPhones([{ phone: '100', payload: 1 }], { now: T0 })).toMatchObject({
      jobIds: ['2'],
      duplicates: [],
    });
    expect(campaign.addPhones([{ phone: '100', payload: 1 }], { now: T0 }).jobIds).toEqual(['2']);
  });
});
