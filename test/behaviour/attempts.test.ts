import { describe, expect, it } from 'vitest';
import type { AsyncCampaign } from '../../src/index.js';
import { openCampaign } from './backend.js';
import { at, daily, MINUTE_MS, record, rejects } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');
const min = (n: number) => T0 + n * MINUTE_MS;

describe('complete and fail (§6)', () => {
  it('ends a job completed when its call reached its goal (§6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign);
    await campaign.addPhones([{ phone: '100', maxAttempts: 3 }], { now: T0 });
    const task = await campaign.next(min(0));
    await campaign.complete(task!, min(2));
    expect(await campaign.job('1')).toMatchObject({ state: 'completed', attempts: 1, nextAttemptAt: null });
    expect(events).toEqual([
      { type: 'added', jobId: '1', atMs: T0, attempt: 0 },
      { type: 'dialing', jobId: '1', atMs: min(0), attempt: 1 },
      { type: 'completed', jobId: '1', atMs: min(2), attempt: 1 },
    ]);
    expect(await campaign.next(min(300))).toBeUndefined();
  });

  it('retries a failed call at now + retryIntervalInMinutes when that instant is allowed (§6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['retry']);
    await campaign.addPhones([{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 30 }], { now: T0 });
    await campaign.next(min(0));
    await campaign.fail('1', min(5));
    expect(events).toEqual([{ type: 'retry', jobId: '1', atMs: min(5), attempt: 1 }]);
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', attempts: 1, nextAttemptAt: min(35) });
    expect(await campaign.next(min(35) - 1)).toBeUndefined();
    expect(await campaign.next(min(35))).toMatchObject({ jobId: '1', attempt: 2 });
  });

  it('retries at the first allowed instant after the pause when the pause ends outside the window (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 30, allowedTime: daily('09:00', '17:00') }],
      { now: T0 },
    );
    await campaign.next(at('2024-06-03T16:40:00Z'));
    await campaign.fail('1', at('2024-06-03T16:45:00Z'));
    expect((await campaign.job('1'))?.nextAttemptAt).toBe(at('2024-06-04T09:00:00Z'));
    expect(await campaign.next(at('2024-06-03T17:15:00Z'))).toBeUndefined();
    expect(await campaign.next(at('2024-06-04T09:00:00Z'))).toMatchObject({ jobId: '1', attempt: 2 });
  });

  it('uses the built-in retry interval of 60 minutes (§2, §6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100', maxAttempts: 2 }], { now: T0 });
    await campaign.next(min(0));
    await campaign.fail('1', min(10));
    expect((await campaign.job('1'))?.nextAttemptAt).toBe(min(70));
  });

  it('takes the retry interval from the campaign defaults when the entry has none (§2, §6)', async () => {
    const campaign = await openCampaign({ defaults: { retryIntervalInMinutes: 15 } });
    await campaign.addPhones([{ phone: '100', maxAttempts: 2 }], { now: T0 });
    await campaign.next(min(0));
    await campaign.fail('1', min(10));
    expect((await campaign.job('1'))?.nextAttemptAt).toBe(min(25));
  });
});

describe('maxAttempts (§6)', () => {
  /** Fails every attempt of job 1 as soon as it is served; returns the attempts made. */
  const failAll = async (campaign: AsyncCampaign) => {
    let made = 0;
    for (let k = 0; k < 100; k++) {
      const task = await campaign.next(min(k * 60));
      if (task === undefined) continue;
      made++;
      await campaign.fail(task, min(k * 60 + 1));
    }
    return made;
  };

  it('counts the first call: maxAttempts 3 makes three calls, then the job ends exhausted (§6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['retry', 'exhausted']);
    await campaign.addPhones([{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 1 }], { now: T0 });
    expect(await failAll(campaign)).toBe(3);
    expect(await campaign.job('1')).toMatchObject({ state: 'exhausted', attempts: 3, maxAttempts: 3 });
    expect(events).toEqual([
      { type: 'retry', jobId: '1', atMs: min(1), attempt: 1 },
      { type: 'retry', jobId: '1', atMs: min(61), attempt: 2 },
      { type: 'exhausted', jobId: '1', atMs: min(121), attempt: 3 },
    ]);
  });

  it('makes one call and no retry when maxAttempts is 1 (§6)', async () => {
    const campaign = await openCampaign({ defaults: { maxAttempts: 4 } });
    await campaign.addPhones([{ phone: '100', maxAttempts: 1 }], { now: T0 });
    expect(await failAll(campaign)).toBe(1);
    expect(await campaign.job('1')).toMatchObject({ state: 'exhausted', maxAttempts: 1 });
  });

  it('applies the campaign value when maxAttempts is 0 (§2, §6)', async () => {
    const campaign = await openCampaign({ defaults: { maxAttempts: 4, retryIntervalInMinutes: 1 } });
    await campaign.addPhones([{ phone: '100', maxAttempts: 0 }], { now: T0 });
    expect((await campaign.job('1'))?.maxAttempts).toBe(4);
    expect(await failAll(campaign)).toBe(4);
  });

  it('applies the built-in value 1 when no level sets maxAttempts (§2, §6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }, { phone: '200', maxAttempts: 0 }], { now: T0 });
    expect((await campaign.job('1'))?.maxAttempts).toBe(1);
    expect((await campaign.job('2'))?.maxAttempts).toBe(1);
    // One call each.
    expect(await failAll(campaign)).toBe(2);
    expect(await campaign.job('1')).toMatchObject({ state: 'exhausted', attempts: 1 });
    expect(await campaign.job('2')).toMatchObject({ state: 'exhausted', attempts: 1 });
  });
});

describe('expired (§6)', () => {
  it('ends a job expired when it is added with no allowed instant before its finish (§6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['added', 'expired']);
    await campaign.addPhones(
      [
        { phone: '100', finishDateTime: '2024-06-03T08:00:00Z' },
        { phone: '200', allowedTime: daily('10:00', '11:00'), finishDateTime: '2024-06-03T10:00:00Z' },
      ],
      { now: T0 },
    );
    expect(await campaign.stats()).toMatchObject({ expired: 2, total: 2 });
    expect(events).toEqual([
      { type: 'added', jobId: '1', atMs: T0, attempt: 0 },
      { type: 'expired', jobId: '1', atMs: T0, attempt: 0 },
      { type: 'added', jobId: '2', atMs: T0, attempt: 0 },
      { type: 'expired', jobId: '2', atMs: T0, attempt: 0 },
    ]);
    expect(await campaign.nextReadyAt(T0)).toBeUndefined();
  });

  it('ends a job expired at the failure when its retry would fall after the finish (§6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['retry', 'expired']);
    await campaign.addPhones(
      [{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 60, finishDateTime: '2024-06-03T09:30:00Z' }],
      { now: T0 },
    );
    await campaign.next(min(0));
    await campaign.fail('1', min(5));
    expect(await campaign.job('1')).toMatchObject({ state: 'expired', attempts: 1 });
    expect(events).toEqual([{ type: 'expired', jobId: '1', atMs: min(5), attempt: 1 }]);
  });

  it('ends a job expired at the instant the window it waited in closes with none left (§6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['expired']);
    await campaign.addPhones(
      [{ phone: '100', allowedTime: daily('09:00', '10:00'), finishDateTime: '2024-06-03T12:00:00Z' }],
      { now: at('2024-06-03T08:00:00Z') },
    );
    // Noticed long after the window closed: the event still names the closing instant.
    await campaign.nextReadyAt(at('2024-06-03T15:00:00Z'));
    expect((await campaign.job('1'))?.state).toBe('expired');
    expect(events).toEqual([{ type: 'expired', jobId: '1', atMs: at('2024-06-03T10:00:00Z'), attempt: 0 }]);
  });

  it('ends a waiting retry expired when its window is cut by the finish and closes (§6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['expired']);
    await campaign.addPhones(
      [
        {
          phone: '100',
          maxAttempts: 3,
          retryIntervalInMinutes: 10,
          allowedTime: daily('09:00', '10:00'),
          finishDateTime: '2024-06-03T09:30:00Z',
        },
      ],
      { now: T0 },
    );
    await campaign.next(min(0));
    await campaign.fail('1', min(1));
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', nextAttemptAt: min(11) });
    await campaign.next(min(31));
    expect((await campaign.job('1'))?.state).toBe('expired');
    expect(events).toEqual([{ type: 'expired', jobId: '1', atMs: min(30), attempt: 1 }]);
  });

  it('accepts the report of a call in progress when the finish passes (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [
        { phone: '100', finishDateTime: '2024-06-03T09:30:00Z' },
        { phone: '200', finishDateTime: '2024-06-03T09:30:00Z', maxAttempts: 2 },
      ],
      { now: T0 },
    );
    await campaign.next(min(29));
    await campaign.next(min(29));
    await campaign.complete('1', min(40));
    expect((await campaign.job('1'))?.state).toBe('completed');
    await campaign.fail('2', min(40));
    expect((await campaign.job('2'))?.state).toBe('expired');
  });
});

describe('leases (§6)', () => {
  it('counts an unreported lease as a failed attempt at its expiry instant (§6)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    const events = record(campaign, ['leaseExpired', 'retry', 'exhausted']);
    await campaign.addPhones([{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 5 }], { now: T0 });
    await campaign.next(min(0));
    // Noticed at 09:30; the attempt failed at 09:10, so the retry is ready from 09:15.
    await campaign.stats();
    expect(await campaign.next(min(30))).toMatchObject({ jobId: '1', attempt: 2 });
    expect(events).toEqual([
      { type: 'leaseExpired', jobId: '1', atMs: min(10), attempt: 1 },
      { type: 'retry', jobId: '1', atMs: min(10), attempt: 1 },
    ]);
    await campaign.nextReadyAt(min(50));
    expect(events.slice(2)).toEqual([
      { type: 'leaseExpired', jobId: '1', atMs: min(40), attempt: 2 },
      { type: 'exhausted', jobId: '1', atMs: min(40), attempt: 2 },
    ]);
  });

  it('serves the retry of an expired lease from expiry + retry interval (§6)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 5 }], { now: T0 });
    await campaign.next(min(0));
    expect(await campaign.next(min(15) - 1)).toBeUndefined();
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', nextAttemptAt: min(15) });
  });

  it('accepts a report just before the lease expires (§6)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.next(min(0));
    await campaign.complete('1', min(10) - 1);
    expect((await campaign.job('1'))?.state).toBe('completed');
  });

  it('rejects a report after the lease expired with lease.expired, by job ID or by task (§6)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 60 }], { now: T0 });
    const task = (await campaign.next(min(0)))!;
    // Rejected before the expiry is noticed, and after.
    await rejects(campaign, () => campaign.complete('1', min(11)), 'lease.expired');
    await rejects(campaign, () => campaign.fail(task, min(11)), 'lease.expired');
    await campaign.nextReadyAt(min(20));
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', attempts: 1 });
    await rejects(campaign, () => campaign.complete('1', min(21)), 'lease.expired');
    await rejects(campaign, () => campaign.complete(task, min(21)), 'lease.expired');
    await rejects(campaign, () => campaign.redial(task, { startDateTime: T0 }, min(21)), 'lease.expired');
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', attempts: 1 });
  });

  it('applies a report by job ID to the new attempt but rejects the old task after the retry is dialed (§6)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 5 }], { now: T0 });
    const first = (await campaign.next(min(0)))!;
    const second = (await campaign.next(min(20)))!;
    expect(second.attempt).toBe(2);
    const error = await rejects(campaign, () => campaign.complete(first, min(21)));
    expect(['invalid.call.task.state', 'lease.expired']).toContain(error.issues[0]?.code);
    await campaign.complete(second, min(22));
    expect(await campaign.job('1')).toMatchObject({ state: 'completed', attempts: 2 });
  });
});

describe('reporting by call task (§6)', () => {
  it('rejects a stale task from an earlier attempt instead of applying it to the new one (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 1 }], { now: T0 });
    const first = (await campaign.next(min(0)))!;
    await campaign.fail(first, min(1));
    const second = (await campaign.next(min(2)))!;
    await rejects(campaign, () => campaign.complete(first, min(3)), 'invalid.call.task.state');
    await rejects(campaign, () => campaign.fail(first, min(3)), 'invalid.call.task.state');
    await rejects(
      campaign,
      () => campaign.redial(first, { startDateTime: T0 }, min(3)),
      'invalid.call.task.state',
    );
    expect(await campaign.job('1')).toMatchObject({ state: 'dialing', attempts: 2 });
    await campaign.complete(second, min(3));
    expect((await campaign.job('1'))?.state).toBe('completed');
  });

  it('accepts the job ID for the attempt in progress (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 1 }], { now: T0 });
    await campaign.next(min(0));
    await campaign.fail('1', min(1));
    await campaign.next(min(2));
    await campaign.fail('1', min(3));
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', attempts: 2 });
  });
});

describe('report errors (§6)', () => {
  it('rejects an unknown job with job.not.found (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.next(T0);
    for (const id of ['2', '0', 'abc', '', '01']) {
      await rejects(campaign, () => campaign.complete(id, min(1)), 'job.not.found');
      await rejects(campaign, () => campaign.fail(id, min(1)), 'job.not.found');
      await rejects(campaign, () => campaign.redial(id, { startDateTime: T0 }, min(1)), 'job.not.found');
    }
    const error = await rejects(campaign, () => campaign.complete('999', min(1)), 'job.not.found');
    expect(error.issues[0]?.index).toBeUndefined();
    expect(error.issues[0]?.message).toContain('999');
  });

  it('rejects a report for a job that is not being dialed with invalid.call.task.state (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [{ phone: '100' }, { phone: '200', startDateTime: '2024-06-04T00:00:00Z' }, { phone: '300' }],
      { now: T0 },
    );
    // Job 1 is ready, job 2 waiting, job 3 cancelled.
    await campaign.cancel({ jobIds: ['3'] }, T0);
    for (const id of ['1', '2', '3']) {
      await rejects(campaign, () => campaign.complete(id, min(1)), 'invalid.call.task.state');
      await rejects(campaign, () => campaign.fail(id, min(1)), 'invalid.call.task.state');
    }
  });

  it('rejects a second report of one attempt with invalid.call.task.state (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }, { phone: '200', maxAttempts: 2 }], { now: T0 });
    const one = (await campaign.next(T0))!;
    const two = (await campaign.next(T0))!;
    await campaign.complete(one, min(1));
    await campaign.fail(two, min(1));
    await rejects(campaign, () => campaign.complete(one, min(2)), 'invalid.call.task.state');
    await rejects(campaign, () => campaign.fail('1', min(2)), 'invalid.call.task.state');
    await rejects(campaign, () => campaign.complete(two, min(2)), 'invalid.call.task.state');
    await rejects(campaign, () => campaign.fail('2', min(2)), 'invalid.call.task.state');
    expect((await campaign.job('1'))?.state).toBe('completed');
    expect(await campaign.job('2')).toMatchObject({ state: 'waiting', attempts: 1 });
  });
});

describe('maxTotalAttempts (§6)', () => {
  it('ends the other unfinished jobs of the phone exhausted when the cap is reached (§6)', async () => {
    const campaign = await openCampaign({ maxTotalAttempts: 2 });
    const events = record(campaign, ['exhausted']);
    await campaign.addPhones(
      [
        { phone: '+1 650 000-0000', payload: 'a', maxAttempts: 5, retryIntervalInMinutes: 1 },
        { phone: 16500000000, payload: 'b', maxAttempts: 5, startDateTime: '2024-06-03T09:01:00Z' },
        { phone: '16500000000', payload: 'c', maxAttempts: 5, startDateTime: '2024-06-04T00:00:00Z' },
        { phone: '200', maxAttempts: 5 },
      ],
      { now: T0 },
    );
    expect((await campaign.next(min(0)))?.jobId).toBe('1');
    expect((await campaign.next(min(0)))?.jobId).toBe('4');
    await campaign.fail('1', min(1));
    // Second attempt of the phone: the cap.
    expect((await campaign.next(min(2)))?.jobId).toBe('2');
    expect(events).toHaveLength(2);
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'exhausted', jobId: '1', atMs: min(2), attempt: 1 },
        { type: 'exhausted', jobId: '3', atMs: min(2), attempt: 0 },
      ]),
    );
    expect((await campaign.job('2'))?.state).toBe('dialing');
    expect((await campaign.job('4'))?.state).toBe('dialing');
    // The job just reported ends exhausted instead of retrying.
    await campaign.fail('2', min(3));
    expect(await campaign.job('2')).toMatchObject({ state: 'exhausted', attempts: 1 });
  });

  it('lets the job being dialed at the cap complete (§6)', async () => {
    const campaign = await openCampaign({ maxTotalAttempts: 1 });
    await campaign.addPhones([{ phone: '100', maxAttempts: 3 }], { now: T0 });
    await campaign.next(T0);
    await campaign.complete('1', min(1));
    expect((await campaign.job('1'))?.state).toBe('completed');
  });

  it('ends a job added for a phone at the cap exhausted at once (§6)', async () => {
    const campaign = await openCampaign({ maxTotalAttempts: 1 });
    const events = record(campaign, ['added', 'exhausted']);
    await campaign.addPhones([{ phone: '100', payload: 1 }], { now: T0 });
    await campaign.next(T0);
    await campaign.complete('1', min(1));
    expect((await campaign.addPhones([{ phone: '+100', payload: 2 }], { now: min(2) })).jobIds).toEqual([
      '2',
    ]);
    expect(await campaign.addTestPhone({ phone: '100' }, { now: min(3) })).toBe('3');
    expect((await campaign.job('2'))?.state).toBe('exhausted');
    expect((await campaign.job('3'))?.state).toBe('exhausted');
    expect(events.slice(1)).toEqual([
      { type: 'added', jobId: '2', atMs: min(2), attempt: 0 },
      { type: 'exhausted', jobId: '2', atMs: min(2), attempt: 0 },
      { type: 'added', jobId: '3', atMs: min(3), attempt: 0 },
      { type: 'exhausted', jobId: '3', atMs: min(3), attempt: 0 },
    ]);
  });

  it('makes redial return null and change nothing else at the cap (§6, §7)', async () => {
    const campaign = await openCampaign({ maxTotalAttempts: 1 });
    await campaign.addPhones(
      [
        { phone: '100', maxAttempts: 3 },
        { phone: '200', maxAttempts: 3 },
      ],
      { now: T0 },
    );
    await campaign.next(T0);
    await campaign.next(T0);
    const before = await campaign.stats();
    expect(await campaign.redial('1', { startDateTime: T0 }, min(1))).toBeNull();
    expect(await campaign.stats()).toEqual(before);
    expect(await campaign.job('2')).toBeDefined();
    expect(await campaign.job('3')).toBeUndefined();
    // The job then ends as it would have: exhausted on a failure at the cap, completed on success.
    await campaign.fail('1', min(2));
    expect((await campaign.job('1'))?.state).toBe('exhausted');
    expect(await campaign.redial('2', { startDateTime: T0 }, min(2))).toBeNull();
    await campaign.complete('2', min(3));
    expect((await campaign.job('2'))?.state).toBe('completed');
  });

  it('places no cap when maxTotalAttempts is not set (§10)', async () => {
    const campaign = await openCampaign();
    for (let k = 0; k < 6; k++) await campaign.addTestPhone({ phone: '100', maxAttempts: 50 }, { now: T0 });
    let made = 0;
    for (let k = 0; k < 12; k++) {
      const task = await campaign.next(min(k * 60));
      if (task === undefined) continue;
      made++;
      await campaign.fail(task, min(k * 60));
    }
    expect(made).toBe(12);
  });
});

describe('cancel (§6)', () => {
  it('ends waiting and ready jobs cancelled at now and returns their IDs (§6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['cancelled']);
    await campaign.addPhones(
      [{ phone: '100' }, { phone: '200', startDateTime: '2024-06-04T00:00:00Z' }, { phone: '300' }],
      { now: T0 },
    );
    expect(await campaign.cancel({ jobIds: ['1', '2'] }, min(1))).toEqual(['1', '2']);
    expect(events).toEqual([
      { type: 'cancelled', jobId: '1', atMs: min(1), attempt: 0 },
      { type: 'cancelled', jobId: '2', atMs: min(1), attempt: 0 },
    ]);
    expect((await campaign.next(min(2)))?.jobId).toBe('3');
    expect(await campaign.next(at('2024-06-05T00:00:00Z'))).toBeUndefined();
  });

  it('cancels every unfinished job of a phone, whatever its spelling (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [
        { phone: '16500000000', payload: 1 },
        { phone: '16500000000', payload: 2 },
        { phone: '16500000000', payload: 3 },
        { phone: '200' },
      ],
      { now: T0 },
    );
    await campaign.next(T0);
    await campaign.complete('1', T0);
    expect((await campaign.cancel({ phones: ['+1 (650) 000-0000'] }, min(1))).sort()).toEqual(['2', '3']);
    expect(await campaign.cancel({ phones: [16500000000] }, min(1))).toEqual([]);
    expect((await campaign.job('1'))?.state).toBe('completed');
    expect((await campaign.job('4'))?.state).toBe('ready');
  });

  it('skips unknown IDs and phones and final jobs, and cancels a job named twice once (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    await campaign.next(T0);
    await campaign.complete('1', T0);
    expect(await campaign.cancel({ jobIds: ['999', 'abc', '1'], phones: ['55555', '12'] }, min(1))).toEqual(
      [],
    );
    expect(await campaign.cancel({ jobIds: ['2', '2'], phones: ['200'] }, min(1))).toEqual(['2']);
    expect(await campaign.cancel({}, min(1))).toEqual([]);
    expect(await campaign.stats()).toMatchObject({ completed: 1, cancelled: 1 });
  });

  it('keeps a job being dialed dialing until its report, which ends it cancelled whatever the outcome (§6)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['cancelled', 'completed', 'retry', 'exhausted']);
    await campaign.addPhones(
      [
        { phone: '100', maxAttempts: 3 },
        { phone: '200', maxAttempts: 3 },
      ],
      { now: T0 },
    );
    await campaign.next(T0);
    await campaign.next(T0);
    expect(await campaign.cancel({ jobIds: ['1', '2'] }, min(1))).toEqual(['1', '2']);
    expect((await campaign.job('1'))?.state).toBe('dialing');
    expect((await campaign.job('2'))?.state).toBe('dialing');
    expect(events).toEqual([]);
    await campaign.complete('1', min(2));
    await campaign.fail('2', min(3));
    expect((await campaign.job('1'))?.state).toBe('cancelled');
    expect((await campaign.job('2'))?.state).toBe('cancelled');
    expect(events).toEqual([
      { type: 'cancelled', jobId: '1', atMs: min(2), attempt: 1 },
      { type: 'cancelled', jobId: '2', atMs: min(3), attempt: 1 },
    ]);
  });

  it('ends a dialed job cancelled when its lease expires after the cancel (§6)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100', maxAttempts: 3 }], { now: T0 });
    await campaign.next(T0);
    await campaign.cancel({ jobIds: ['1'] }, min(1));
    expect(await campaign.nextReadyAt(min(20))).toBeUndefined();
    expect((await campaign.job('1'))?.state).toBe('cancelled');
  });

  it('ends the pending redial of a cancelled dialed job cancelled too (§6, §7)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: T0 }, min(1)))!;
    expect(await campaign.cancel({ jobIds: ['1'] }, min(2))).toEqual(['1']);
    await campaign.complete('1', min(3));
    expect((await campaign.job('1'))?.state).toBe('cancelled');
    expect((await campaign.job(child))?.state).toBe('cancelled');
    expect(await campaign.next(min(4))).toBeUndefined();
  });
});

describe('fail with a pause for this retry only (§6)', () => {
  it('retries after the given minutes instead of the job pause, once', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 60 }], { now: T0 });
    await campaign.next(min(0));
    await campaign.fail('1', min(1), { retryIntervalInMinutes: 5 });
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', nextAttemptAt: min(6) });
    await campaign.next(min(6));
    await campaign.fail('1', min(7));
    expect(await campaign.job('1')).toMatchObject({ nextAttemptAt: min(67) });
  });

  it.each([0, 2881, 1.5, '5', null])(
    'rejects retryIntervalInMinutes %j with invalid.retry.interval, changing nothing',
    async (value) => {
      const campaign = await openCampaign();
      await campaign.addPhones([{ phone: '100', maxAttempts: 3 }], { now: T0 });
      const task = (await campaign.next(min(0)))!;
      const error = await rejects(
        campaign,
        () => campaign.fail(task, min(1), { retryIntervalInMinutes: value as number }),
        'invalid.retry.interval',
      );
      expect(error.issues[0]?.message).toContain(JSON.stringify(value));
    },
  );

  it('rejects an unknown option key with invalid.option', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100', maxAttempts: 3 }], { now: T0 });
    const task = (await campaign.next(min(0)))!;
    await rejects(
      campaign,
      () => campaign.fail(task, min(1), { retryInterval: 5 } as never),
      'invalid.option',
    );
  });
});

describe('completeAndNext and failAndNext (§5, §6)', () => {
  it('reports the call, then serves the next task at the same instant', async () => {
    const campaign = await openCampaign();
    const events = record(campaign);
    await campaign.addPhones(
      [
        { phone: '100', dialerPriority: 1 },
        { phone: '200', dialerPriority: 2 },
      ],
      { now: T0 },
    );
    const first = await campaign.next(min(0));
    const second = await campaign.completeAndNext(first!, min(2));
    expect(second).toMatchObject({ jobId: '2', phone: '200', attempt: 1 });
    expect(await campaign.job('1')).toMatchObject({ state: 'completed', attempts: 1 });
    expect(events.slice(3)).toEqual([
      { type: 'completed', jobId: '1', atMs: min(2), attempt: 1 },
      { type: 'dialing', jobId: '2', atMs: min(2), attempt: 1 },
    ]);
    expect(await campaign.latestMs()).toBe(min(2));
    expect(await campaign.completeAndNext(second!, min(3))).toBeUndefined();
  });

  it('serves a job of the phone whose line the report frees (§5)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [
        { phone: '100', dialerPriority: 1, payload: { n: 1 } },
        { phone: '100', dialerPriority: 1, payload: { n: 2 } },
        { phone: '200', dialerPriority: 2 },
      ],
      { now: T0 },
    );
    const first = await campaign.next(min(0));
    // While job 1 is dialed, phone 100's line is busy: job 3 is served before job 2.
    expect(await campaign.next(min(0))).toMatchObject({ jobId: '3' });
    expect(await campaign.failAndNext(first!, min(1))).toMatchObject({ jobId: '2', phone: '100' });
  });

  it('fails with a retry pause of its own, then serves (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [
        { phone: '100', maxAttempts: 2, retryIntervalInMinutes: 30 },
        { phone: '200', maxAttempts: 2 },
      ],
      { now: T0 },
    );
    const first = await campaign.next(min(0));
    const second = await campaign.failAndNext(first!, min(1), { retryIntervalInMinutes: 5 });
    expect(second).toMatchObject({ jobId: '2' });
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', attempts: 1, nextAttemptAt: min(6) });
    expect(await campaign.completeAndNext(second!, min(6))).toMatchObject({ jobId: '1', attempt: 2 });
  });

  it('rejects a bad report without serving anything (§6)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    const first = (await campaign.next(T0))!;
    await campaign.complete(first, min(1));
    await rejects(campaign, () => campaign.completeAndNext(first, min(2)), 'invalid.call.task.state');
    await rejects(campaign, () => campaign.failAndNext('9', min(2)), 'job.not.found');
    await rejects(
      campaign,
      () => campaign.failAndNext('2', min(2), { retryIntervalInMinutes: 0 }),
      'invalid.retry.interval',
    );
    expect(await campaign.job('2')).toMatchObject({ state: 'ready', attempts: 0 });
  });
});
