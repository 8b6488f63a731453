import { describe, expect, it } from 'vitest';
import { Campaign, nextCallWindow } from '../../src/index.js';
import { at, campaignOf, DAY_MS, daily, MINUTE_MS, record, rejects, thrown } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');
const MAX = 8.64e15;

describe('time (the contract intro, §2)', () => {
  it.each([1e25, MAX + 1, -MAX - 1, 2e24, Number.MAX_VALUE])(
    'rejects now %d beyond the range of Date with invalid.option, changing nothing',
    (now) => {
      const campaign = campaignOf();
      campaign.addPhones([{ phone: '100' }], { now: T0 });
      rejects(campaign, () => campaign.next(now), 'invalid.option');
      rejects(campaign, () => campaign.nextReadyAt(now), 'invalid.option');
      rejects(campaign, () => campaign.addPhones([{ phone: '200' }], { now }), 'invalid.option');
    },
  );

  it('accepts the very end of the range', () => {
    const campaign = campaignOf();
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(campaign.next(MAX)).toMatchObject({ jobId: '1' });
    expect(campaign.latestMs).toBe(MAX);
  });

  it.each(['leaseTimeoutMs', 'dedupWindowMs'])('rejects a %s of 1e300 with invalid.option', (name) => {
    expect(thrown(() => new Campaign({ [name]: 1e300 })).issues[0]?.code).toBe('invalid.option');
  });

  it('rejects a snapshot whose latest instant lies beyond the range with invalid.snapshot', () => {
    const campaign = campaignOf();
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    const snapshot = { ...campaign.snapshot(), latestMs: 1e25 };
    expect(thrown(() => Campaign.restore(snapshot)).issues[0]?.code).toBe('invalid.snapshot');
  });

  it('reports on a lease whose deadline lies beyond the range of Date without a RangeError', () => {
    const campaign = campaignOf({ leaseTimeoutMs: MAX });
    campaign.addPhones([{ phone: '100', maxAttempts: 2 }], { now: MAX - 10 });
    const task = campaign.next(MAX - 10)!;
    campaign.fail(task, MAX);
    // The retry would start after the end of time: no window is left.
    expect(campaign.job('1')).toMatchObject({ state: 'expired', attempts: 1 });
    expect(thrown(() => campaign.fail(task, MAX)).issues[0]?.code).toBe('invalid.call.task.state');
  });

  it('jumps a job far behind straight to its window at the new instant (ten years ahead)', () => {
    const policy = { gmtZone: 'America/New_York', allowedTime: daily('09:00', '17:00') };
    const campaign = campaignOf();
    campaign.addPhones([{ phone: '100', ...policy }], { now: T0 });
    const later = T0 + 3652 * DAY_MS + 7 * 3_600_000;
    campaign.nextReadyAt(later);
    const window = nextCallWindow(policy, later)!;
    // Allowed at `later` (2034-06-03 12:00 EDT), so its window began at 09:00 EDT that day.
    expect(window.start).toBe(later);
    expect(campaign.job('1')).toMatchObject({ state: 'ready', nextAttemptAt: at('2034-06-03T13:00:00Z') });
    expect(campaign.next(later)).toMatchObject({ jobId: '1', windowEnd: window.end });
  });

  it('expires a job whose last window passed during a jump at that window end, in time order', () => {
    const campaign = campaignOf();
    const events = record(campaign, ['expired']);
    campaign.addPhones(
      [
        { phone: '100', allowedTime: daily('09:00', '10:00'), finishDateTime: '2024-06-20T09:30:00Z' },
        { phone: '200', allowedTime: daily('09:00', '10:00'), finishDateTime: '2024-06-05T12:00:00Z' },
      ],
      { now: T0 },
    );
    campaign.nextReadyAt(T0 + 60 * DAY_MS);
    expect(events.map((e) => [e.jobId, new Date(e.atMs).toISOString()])).toEqual([
      ['2', '2024-06-05T10:00:00.000Z'],
      ['1', '2024-06-20T09:30:00.000Z'],
    ]);
  });

  it('survives a now in microseconds by mistake: the jobs jump to the far future at once', () => {
    const campaign = campaignOf();
    campaign.addPhones(
      Array.from({ length: 10 }, (_, k) => ({
        phone: String(100 + k),
        allowedTime: daily('09:00', '10:00'),
      })),
      { now: T0 },
    );
    const micros = T0 * 1000;
    campaign.nextReadyAt(micros);
    expect(campaign.latestMs).toBe(micros);
    expect(campaign.stats().waiting + campaign.stats().ready).toBe(10);
  });
});

describe('inputs read once, options copied (§10)', () => {
  it('copies the defaults at construction: changing the object afterwards changes nothing', () => {
    const defaults = { gmtZone: 'America/New_York', maxAttempts: 2 };
    const campaign = campaignOf({ defaults });
    defaults.gmtZone = 'Asia/Tokyo';
    defaults.maxAttempts = 9;
    expect(campaign.snapshot().options.defaults).toEqual({ gmtZone: 'America/New_York', maxAttempts: 2 });
    campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(campaign.job('1')).toMatchObject({ gmtZone: 'America/New_York', maxAttempts: 2 });
    const restored = Campaign.restore(JSON.parse(JSON.stringify(campaign.snapshot())));
    restored.addPhones([{ phone: '200' }], { now: T0 });
    expect(restored.job('2')).toMatchObject({ gmtZone: 'America/New_York' });
  });

  it('reads a cancel selection through its getters once', () => {
    const campaign = campaignOf();
    campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    let reads = 0;
    const selection = {
      get jobIds() {
        reads++;
        return reads === 1 ? ['1'] : [{ not: 'a string' }];
      },
    };
    expect(campaign.cancel(selection as never, T0 + MINUTE_MS)).toEqual(['1']);
    expect(reads).toBe(1);
  });
});
