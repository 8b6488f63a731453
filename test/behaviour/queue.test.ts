import { describe, expect, it } from 'vitest';
import type { AsyncCampaign } from '../../src/index.js';
import { openCampaign } from './backend.js';
import { at, DAY_MS, daily, HOUR_MS, MINUTE_MS, record } from './helpers.js';

/** An instant of Monday 2024-06-03 (or another day) on the Moscow wall clock (+03:00, no DST). */
const msk = (hhmm: string, day = '2024-06-03') => at(`${day}T${hhmm}:00+03:00`);

const moscow = () => openCampaign({ defaults: { gmtZone: 'Europe/Moscow' } });

/** The job IDs `next` serves at `now`, until it returns nothing. */
async function drain(campaign: AsyncCampaign, now: number): Promise<string[]> {
  const ids: string[] = [];
  for (let task = await campaign.next(now); task !== undefined; task = await campaign.next(now)) {
    ids.push(task.jobId);
  }
  return ids;
}

describe('next: the order of ready jobs (§5)', () => {
  it('serves dialerPriority 1 before 5 whatever the window end and waiting time (§5 key 1)', async () => {
    const campaign = await moscow();
    const [low] = (
      await campaign.addPhones([{ phone: '100', dialerPriority: 5, allowedTime: daily('09:00', '18:30') }], {
        now: msk('08:00'),
      })
    ).jobIds;
    const [high] = (
      await campaign.addPhones([{ phone: '200', dialerPriority: 1, allowedTime: daily('09:00', '21:00') }], {
        now: msk('12:00'),
      })
    ).jobIds;
    expect(await drain(campaign, msk('18:00'))).toEqual([high, low]);
  });

  it('serves a window closing at 18:30 before one closing at 21:00 at 18:00 local (§5 key 2)', async () => {
    const campaign = await moscow();
    const { jobIds } = await campaign.addPhones(
      [
        { phone: '100', allowedTime: daily('09:00', '21:00') },
        { phone: '200', allowedTime: daily('09:00', '18:30') },
      ],
      { now: msk('08:00') },
    );
    const first = await campaign.next(msk('18:00'));
    const second = await campaign.next(msk('18:00'));
    expect([first?.jobId, second?.jobId]).toEqual([jobIds[1], jobIds[0]]);
    expect(first?.windowEnd).toBe(msk('18:30'));
    expect(second?.windowEnd).toBe(msk('21:00'));
  });

  it('serves a window that never closes after every window that closes (§5 key 2)', async () => {
    const campaign = await moscow();
    const { jobIds } = await campaign.addPhones(
      [{ phone: '100' }, { phone: '200', allowedTime: daily('00:00', '23:00') }],
      { now: msk('08:00') },
    );
    const first = await campaign.next(msk('18:00'));
    const second = await campaign.next(msk('18:00'));
    expect([first?.jobId, second?.jobId]).toEqual([jobIds[1], jobIds[0]]);
    expect(second?.windowEnd).toBe(Number.POSITIVE_INFINITY);
  });

  it('serves the job whose window opened first when both were added before it opened (§5 key 3)', async () => {
    const campaign = await moscow();
    const { jobIds } = await campaign.addPhones(
      [
        { phone: '100', allowedTime: daily('09:30', '18:00') },
        { phone: '200', allowedTime: daily('09:00', '18:00') },
      ],
      { now: msk('08:00') },
    );
    expect(await drain(campaign, msk('10:00'))).toEqual([jobIds[1], jobIds[0]]);
  });

  it('counts waiting from the later of the window start and the add instant or retry pause end (§5 key 3)', async () => {
    const campaign = await moscow();
    const policy = { allowedTime: daily('09:00', '18:00'), maxAttempts: 2, retryIntervalInMinutes: 5 };
    const [retried, early] = (
      await campaign.addPhones(
        [
          { phone: '100', ...policy },
          { phone: '200', ...policy },
        ],
        { now: msk('07:00') },
      )
    ).jobIds;
    expect((await campaign.next(msk('09:00')))?.jobId).toBe(retried);
    // Ready again at 09:15 (the retry pause's end).
    await campaign.fail(retried!, msk('09:10'));
    // Ready at 09:12 (its add instant, inside the open window).
    const [late] = (await campaign.addPhones([{ phone: '300', ...policy }], { now: msk('09:12') })).jobIds;
    expect(await drain(campaign, msk('09:20'))).toEqual([early, late, retried]);
  });

  it('orders by the computed ready instant however often or rarely next is called (§5 key 3)', async () => {
    const build = async () => {
      const campaign = await moscow();
      await campaign.addPhones(
        [
          { phone: '100', allowedTime: daily('09:30', '18:00') },
          { phone: '200', allowedTime: daily('09:00', '18:00') },
        ],
        { now: msk('08:00') },
      );
      return campaign;
    };
    const add3 = (campaign: AsyncCampaign) =>
      campaign.addPhones([{ phone: '300', allowedTime: daily('09:00', '18:00') }], { now: msk('09:10') });

    const rarely = await build();
    await add3(rarely);
    const rareOrder = await drain(rarely, msk('10:00'));

    const often = await build();
    // Paused, `next` serves nothing but brings the campaign up to each instant.
    await often.pause();
    for (const hhmm of ['08:59', '09:00', '09:05']) expect(await often.next(msk(hhmm))).toBeUndefined();
    await add3(often);
    for (const hhmm of ['09:11', '09:29', '09:30', '09:45']) {
      expect(await often.next(msk(hhmm))).toBeUndefined();
      await often.stats();
    }
    await often.resume();
    const oftenOrder = await drain(often, msk('10:00'));

    expect(rareOrder).toEqual(['2', '3', '1']);
    expect(oftenOrder).toEqual(rareOrder);
  });

  it('breaks ties by job ID, in creation order (§5 key 4)', async () => {
    const campaign = await moscow();
    const first = (await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: msk('08:00') }))
      .jobIds;
    const second = (await campaign.addPhones([{ phone: '300' }], { now: msk('08:00') })).jobIds;
    const ids = [...first, ...second] as string[];
    for (const id of ids) expect(id).toMatch(/^\d+$/);
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(3);
    expect(await drain(campaign, msk('10:00'))).toEqual(ids);
  });
});

describe('next: closed windows (§5)', () => {
  it('does not serve a ready job whose window closed while it waited, and serves it in its next window (§5)', async () => {
    const campaign = await moscow();
    const [id] = (
      await campaign.addPhones([{ phone: '100', allowedTime: daily('09:00', '10:00') }], {
        now: msk('08:00'),
      })
    ).jobIds;
    // Seen ready inside its window...
    expect(await campaign.nextReadyAt(msk('09:30'))).toBe(msk('09:30'));
    expect((await campaign.job(id!))?.state).toBe('ready');
    // ...but the window has closed by the time next is called.
    expect(await campaign.next(msk('10:00'))).toBeUndefined();
    expect(await campaign.job(id!)).toMatchObject({
      state: 'waiting',
      nextAttemptAt: msk('09:00', '2024-06-04'),
    });
    expect(await campaign.next(msk('23:00'))).toBeUndefined();
    const task = await campaign.next(msk('09:00', '2024-06-04'));
    expect(task).toMatchObject({ jobId: id, attempt: 1, windowEnd: msk('10:00', '2024-06-04') });
  });

  it('serves a job at the last millisecond of its window but not at its end (§5, §3 half-open)', async () => {
    const before = await moscow();
    await before.addPhones([{ phone: '100', allowedTime: daily('09:00', '10:00') }], { now: msk('08:00') });
    expect((await before.next(msk('10:00') - 1))?.jobId).toBe('1');

    const atEnd = await moscow();
    await atEnd.addPhones([{ phone: '100', allowedTime: daily('09:00', '10:00') }], { now: msk('08:00') });
    expect(await atEnd.next(msk('10:00'))).toBeUndefined();
  });

  it('does not serve a job before its window opens (§5)', async () => {
    const campaign = await moscow();
    await campaign.addPhones([{ phone: '100', allowedTime: daily('09:00', '10:00') }], { now: msk('08:00') });
    expect(await campaign.next(msk('09:00') - 1)).toBeUndefined();
    expect((await campaign.next(msk('09:00')))?.jobId).toBe('1');
  });
});

describe('nextReadyAt (§5)', () => {
  it('returns now when a job is ready (§5)', async () => {
    const campaign = await moscow();
    await campaign.addPhones([{ phone: '100' }], { now: msk('08:00') });
    expect(await campaign.nextReadyAt(msk('08:30'))).toBe(msk('08:30'));
  });

  it('returns the start of the earliest window, where next first serves (§5)', async () => {
    const campaign = await moscow();
    await campaign.addPhones(
      [
        { phone: '100', allowedTime: daily('11:00', '12:00') },
        { phone: '200', allowedTime: daily('09:00', '10:00') },
      ],
      { now: msk('08:00') },
    );
    expect(await campaign.nextReadyAt(msk('08:00'))).toBe(msk('09:00'));
    expect(await campaign.next(msk('09:00') - 1)).toBeUndefined();
    expect((await campaign.next(msk('09:00')))?.jobId).toBe('2');
    expect(await campaign.nextReadyAt(msk('09:00'))).toBe(msk('11:00'));
  });

  it('returns the next window when a retry pause ends outside the window (§5, §6)', async () => {
    const campaign = await moscow();
    await campaign.addPhones(
      [{ phone: '100', allowedTime: daily('09:00', '10:00'), maxAttempts: 2, retryIntervalInMinutes: 30 }],
      { now: msk('08:00') },
    );
    await campaign.next(msk('09:45'));
    await campaign.fail('1', msk('09:50'));
    expect(await campaign.nextReadyAt(msk('09:50'))).toBe(msk('09:00', '2024-06-04'));
  });

  it('counts a lease that expires and then retries (§5)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 30 }], {
      now: at('2024-06-03T09:00:00Z'),
    });
    await campaign.next(at('2024-06-03T09:00:00Z'));
    // Lease ends 09:10, the retry pause 09:40.
    expect(await campaign.nextReadyAt(at('2024-06-03T09:01:00Z'))).toBe(at('2024-06-03T09:40:00Z'));
    expect(await campaign.next(at('2024-06-03T09:40:00Z') - 1)).toBeUndefined();
    expect(await campaign.next(at('2024-06-03T09:40:00Z'))).toMatchObject({ jobId: '1', attempt: 2 });
  });

  it('counts a lease whose expiry releases a pending redial (§5, §7)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100' }], { now: at('2024-06-03T09:00:00Z') });
    await campaign.next(at('2024-06-03T09:00:00Z'));
    await campaign.redial('1', { startDateTime: '2024-06-03T08:00:00Z' }, at('2024-06-03T09:01:00Z'));
    expect(await campaign.nextReadyAt(at('2024-06-03T09:02:00Z'))).toBe(at('2024-06-03T09:10:00Z'));
    expect(await campaign.next(at('2024-06-03T09:10:00Z'))).toMatchObject({ jobId: '2', attempt: 1 });
  });

  it('is undefined when the only job is dialing its last attempt (§5)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100' }], { now: at('2024-06-03T09:00:00Z') });
    await campaign.next(at('2024-06-03T09:00:00Z'));
    expect(await campaign.nextReadyAt(at('2024-06-03T09:01:00Z'))).toBeUndefined();
  });

  it('is undefined when the campaign has no jobs or only final ones (§5)', async () => {
    const campaign = await openCampaign();
    expect(await campaign.nextReadyAt(at('2024-06-03T09:00:00Z'))).toBeUndefined();
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: at('2024-06-03T09:00:00Z') });
    await campaign.next(at('2024-06-03T09:00:00Z'));
    await campaign.complete('1', at('2024-06-03T09:01:00Z'));
    await campaign.cancel({ jobIds: ['2'] }, at('2024-06-03T09:01:00Z'));
    expect(await campaign.nextReadyAt(at('2024-06-03T09:02:00Z'))).toBeUndefined();
  });

  it('is undefined when a waiting job can never be ready before its finish (§5)', async () => {
    const campaign = await moscow();
    await campaign.addPhones(
      [{ phone: '100', allowedTime: daily('09:00', '10:00'), finishDateTime: '2024-06-03T09:30:00' }],
      { now: msk('08:00') },
    );
    expect(await campaign.nextReadyAt(msk('08:00'))).toBe(msk('09:00'));
    expect(await campaign.nextReadyAt(msk('09:30'))).toBeUndefined();
    expect((await campaign.job('1'))?.state).toBe('expired');
  });

  it('is undefined while paused, even with a ready job, and back after resume (§5)', async () => {
    const campaign = await moscow();
    await campaign.addPhones([{ phone: '100' }], { now: msk('08:00') });
    await campaign.pause();
    expect(await campaign.isPaused()).toBe(true);
    expect(await campaign.nextReadyAt(msk('08:30'))).toBeUndefined();
    expect(await campaign.next(msk('08:30'))).toBeUndefined();
    await campaign.resume();
    expect(await campaign.isPaused()).toBe(false);
    expect(await campaign.nextReadyAt(msk('08:31'))).toBe(msk('08:31'));
    expect((await campaign.next(msk('08:31')))?.jobId).toBe('1');
  });
});

describe('call task (§5)', () => {
  it('carries jobId, phone digits, payload, attempt, dialerPriority, windowEnd, readyAt and the normalised zone (§5)', async () => {
    const campaign = await openCampaign();
    const payload = { name: 'Ada', tags: ['a', 'b'], n: 1.5, ok: true, none: null };
    await campaign.addPhones(
      [
        {
          phone: '+7 (495) 123-45-67',
          payload,
          dialerPriority: 2,
          gmtZone: 'UTC+3',
          allowedTime: daily('09:00', '18:00'),
          maxAttempts: 2,
          retryIntervalInMinutes: 1,
        },
      ],
      { now: msk('08:00') },
    );
    const task = await campaign.next(msk('09:00'));
    expect(task).toEqual({
      jobId: '1',
      phone: '74951234567',
      payload,
      attempt: 1,
      dialerPriority: 2,
      windowEnd: msk('18:00'),
      readyAt: msk('09:00'),
      gmtZone: '+03:00',
      gmtZones: ['+03:00'],
    });
    await campaign.fail(task!, msk('09:01'));
    // Ready again when the one-minute pause ended, served a minute later.
    expect(await campaign.next(msk('09:03'))).toMatchObject({
      jobId: '1',
      attempt: 2,
      readyAt: msk('09:02'),
    });
    expect((await campaign.job('1'))?.gmtZone).toBe('+03:00');
  });

  it('has no payload when the entry has none, and the zone of the number when nothing gives one (§5, §12)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: 16500000000 }, { phone: 100 }], { now: msk('08:00') });
    const task = await campaign.next(msk('08:00'));
    expect(task?.payload).toBeUndefined();
    expect(task).toMatchObject({
      phone: '16500000000',
      gmtZone: 'America/Los_Angeles',
      gmtZones: ['America/Los_Angeles'],
      dialerPriority: 5,
    });
    // A number the time-zone map does not know: UTC.
    expect(await campaign.next(msk('08:00'))).toMatchObject({ phone: '100', gmtZone: '+00:00' });
  });

  it('gives the finish as windowEnd when the finish cuts the window (§5)', async () => {
    const campaign = await moscow();
    await campaign.addPhones([{ phone: '100', finishDateTime: '2024-06-03T12:30:00' }], {
      now: msk('08:00'),
    });
    expect((await campaign.next(msk('08:00')))?.windowEnd).toBe(msk('12:30'));
  });

  it('keeps a region zone ID as given (§5, §4)', async () => {
    const campaign = await moscow();
    await campaign.addPhones([{ phone: '100' }], { now: msk('08:00') });
    expect((await campaign.next(msk('08:00')))?.gmtZone).toBe('Europe/Moscow');
  });
});

describe('pause and resume (§5)', () => {
  it('lets leases expire while paused, at their expiry instant (§5, §6)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: HOUR_MS });
    const events = record(campaign, ['leaseExpired', 'retry']);
    await campaign.addPhones([{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 10 }], {
      now: at('2024-06-03T09:00:00Z'),
    });
    await campaign.next(at('2024-06-03T09:00:00Z'));
    await campaign.pause();
    expect(await campaign.next(at('2024-06-03T11:00:00Z'))).toBeUndefined();
    expect(events).toEqual([
      { type: 'leaseExpired', jobId: '1', atMs: at('2024-06-03T10:00:00Z'), attempt: 1 },
      { type: 'retry', jobId: '1', atMs: at('2024-06-03T10:00:00Z'), attempt: 1 },
    ]);
    expect(await campaign.job('1')).toMatchObject({
      state: 'ready',
      nextAttemptAt: at('2024-06-03T10:10:00Z'),
    });
  });

  it('lets finish dates pass while paused (§5, §6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['expired']);
    await campaign.addPhones([{ phone: '100', finishDateTime: '2024-06-03T12:00:00Z' }], {
      now: at('2024-06-03T09:00:00Z'),
    });
    await campaign.pause();
    await campaign.next(at('2024-06-03T13:00:00Z'));
    expect((await campaign.job('1'))?.state).toBe('expired');
    expect(events).toEqual([{ type: 'expired', jobId: '1', atMs: at('2024-06-03T12:00:00Z'), attempt: 0 }]);
  });

  it('accepts reports, redials and cancels while paused (§5)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }, { phone: '300' }], {
      now: at('2024-06-03T09:00:00Z'),
    });
    await campaign.next(at('2024-06-03T09:00:00Z'));
    await campaign.next(at('2024-06-03T09:00:00Z'));
    await campaign.pause();
    await campaign.complete('1', at('2024-06-03T09:05:00Z'));
    const child = await campaign.redial(
      '2',
      { startDateTime: '2024-06-03T09:00:00Z' },
      at('2024-06-03T09:05:00Z'),
    );
    await campaign.fail('2', at('2024-06-03T09:06:00Z'));
    expect(await campaign.cancel({ jobIds: ['3'] }, at('2024-06-03T09:07:00Z'))).toEqual(['3']);
    expect((await campaign.job('1'))?.state).toBe('completed');
    expect((await campaign.job('2'))?.state).toBe('redialed');
    expect((await campaign.job(child!))?.state).toBe('ready');
    expect(await campaign.next(at('2024-06-03T09:08:00Z'))).toBeUndefined();
    await campaign.resume();
    expect((await campaign.next(at('2024-06-03T09:08:00Z')))?.jobId).toBe(child);
  });
});

describe('job and stats as of the latest instant (§5, §9)', () => {
  it('tells waiting from ready at the latest instant (§5)', async () => {
    const campaign = await moscow();
    await campaign.addPhones(
      [{ phone: '100', payload: { a: 1 }, allowedTime: daily('09:00', '10:00'), maxAttempts: 3 }],
      { now: msk('08:00') },
    );
    expect(await campaign.job('1')).toEqual({
      id: '1',
      phone: '100',
      payload: { a: 1 },
      state: 'waiting',
      attempts: 0,
      maxAttempts: 3,
      dialerPriority: 5,
      gmtZone: 'Europe/Moscow',
      gmtZones: ['Europe/Moscow'],
      nextAttemptAt: msk('09:00'),
      redialOf: null,
    });
    expect(await campaign.stats()).toMatchObject({ waiting: 1, ready: 0, total: 1 });
    await campaign.nextReadyAt(msk('09:00'));
    expect(await campaign.job('1')).toMatchObject({ state: 'ready', nextAttemptAt: msk('09:00') });
    expect(await campaign.stats()).toMatchObject({ waiting: 0, ready: 1, total: 1 });
    await campaign.next(msk('09:30'));
    expect(await campaign.job('1')).toMatchObject({ state: 'dialing', attempts: 1, nextAttemptAt: null });
  });

  it('counts every state in stats (§9)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [
        { phone: '101' },
        { phone: '102' },
        { phone: '103' },
        { phone: '104' },
        { phone: '105', startDateTime: '2024-06-04T00:00:00Z' },
        { phone: '106', finishDateTime: '2024-06-03T08:00:00Z' },
      ],
      { now: at('2024-06-03T09:00:00Z') },
    );
    const t = at('2024-06-03T09:00:00Z');
    await campaign.next(t);
    await campaign.next(t);
    await campaign.next(t);
    await campaign.complete('1', t);
    await campaign.fail('2', t);
    await campaign.cancel({ jobIds: ['4'] }, t);
    expect(await campaign.stats()).toEqual({
      waiting: 1,
      ready: 0,
      dialing: 1,
      completed: 1,
      exhausted: 1,
      expired: 1,
      cancelled: 1,
      redialed: 0,
      total: 6,
    });
  });

  it('returns undefined for an ID it does not know (§9)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: at('2024-06-03T09:00:00Z') });
    for (const id of ['0', '2', '01', '1.0', ' 1', 'abc', '', '-1', '1e0'])
      expect(await campaign.job(id)).toBeUndefined();
  });
});

describe('time never runs backwards (spec intro)', () => {
  it('treats a smaller now as the latest instant when adding (§5)', async () => {
    const campaign = await openCampaign();
    await campaign.next(at('2024-06-03T10:00:00Z'));
    const events = record(campaign, ['added']);
    await campaign.addPhones([{ phone: '100' }], { now: at('2024-06-03T08:00:00Z') });
    expect(events).toEqual([{ type: 'added', jobId: '1', atMs: at('2024-06-03T10:00:00Z'), attempt: 0 }]);
    expect(await campaign.job('1')).toMatchObject({
      state: 'ready',
      nextAttemptAt: at('2024-06-03T10:00:00Z'),
    });
    expect((await campaign.snapshot()).latestMs).toBe(at('2024-06-03T10:00:00Z'));
  });

  it('retries from the latest instant when a failure is reported with a smaller now (§5, §6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['retry']);
    await campaign.addPhones([{ phone: '100', maxAttempts: 2 }], { now: at('2024-06-03T10:00:00Z') });
    await campaign.next(at('2024-06-03T10:00:00Z'));
    await campaign.fail('1', at('2024-06-03T09:00:00Z'));
    expect(events).toEqual([{ type: 'retry', jobId: '1', atMs: at('2024-06-03T10:00:00Z'), attempt: 1 }]);
    expect((await campaign.job('1'))?.nextAttemptAt).toBe(at('2024-06-03T11:00:00Z'));
  });

  it('cancels at the latest instant when now is smaller (§5, §6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['cancelled']);
    await campaign.addPhones([{ phone: '100' }], { now: at('2024-06-03T10:00:00Z') });
    await campaign.cancel({ jobIds: ['1'] }, at('2024-06-03T09:00:00Z'));
    expect(events).toEqual([{ type: 'cancelled', jobId: '1', atMs: at('2024-06-03T10:00:00Z'), attempt: 0 }]);
  });

  it('does not serve a window that closed before the latest instant when now is smaller (§5)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100', allowedTime: daily('09:00', '10:00') }], {
      now: at('2024-06-03T08:00:00Z'),
    });
    await campaign.nextReadyAt(at('2024-06-03T10:30:00Z'));
    expect(await campaign.next(at('2024-06-03T09:30:00Z'))).toBeUndefined();
    expect(await campaign.nextReadyAt(at('2024-06-03T09:30:00Z'))).toBe(at('2024-06-03T09:00:00Z') + DAY_MS);
  });
});
