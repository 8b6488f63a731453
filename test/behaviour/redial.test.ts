import { describe, expect, it } from 'vitest';
import { openCampaign } from './backend.js';
import { at, daily, MINUTE_MS, record, rejects } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');
const min = (n: number) => T0 + n * MINUTE_MS;
const PAST = '2024-06-01T00:00:00Z';

describe('redial: the new job (§7)', () => {
  it('schedules a new job with a new ID for the same phone and payload (§7)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['added', 'redialed', 'dialing']);
    await campaign.addPhones([{ phone: '+1 650 000-0000', payload: { name: 'Ada', n: [1, 2] } }], {
      now: T0,
    });
    await campaign.next(T0);
    const child = await campaign.redial('1', { startDateTime: '2024-06-04T10:00:00Z' }, min(1));
    expect(child).toBe('2');
    expect(await campaign.job('2')).toMatchObject({
      id: '2',
      phone: '16500000000',
      payload: { name: 'Ada', n: [1, 2] },
      state: 'waiting',
      attempts: 0,
      redialOf: '1',
    });
    expect((await campaign.job('1'))?.redialOf).toBeNull();
    await campaign.complete('1', min(5));
    expect((await campaign.job('1'))?.state).toBe('redialed');
    expect(await campaign.job('2')).toMatchObject({
      state: 'waiting',
      nextAttemptAt: at('2024-06-04T10:00:00Z'),
    });
    expect(await campaign.next(at('2024-06-04T10:00:00Z') - 1)).toBeUndefined();
    expect(await campaign.next(at('2024-06-04T10:00:00Z'))).toMatchObject({
      jobId: '2',
      phone: '16500000000',
      payload: { name: 'Ada', n: [1, 2] },
      attempt: 1,
    });
    expect(events).toEqual([
      { type: 'added', jobId: '1', atMs: T0, attempt: 0 },
      { type: 'dialing', jobId: '1', atMs: T0, attempt: 1 },
      { type: 'added', jobId: '2', atMs: min(1), attempt: 0 },
      { type: 'redialed', jobId: '1', atMs: min(5), attempt: 1 },
      { type: 'dialing', jobId: '2', atMs: at('2024-06-04T10:00:00Z'), attempt: 1 },
    ]);
  });

  it('takes omitted fields from the campaign defaults, not from the entry (§7)', async () => {
    const campaign = await openCampaign({
      defaults: { maxAttempts: 3, retryIntervalInMinutes: 20, allowedTime: daily('08:00', '20:00') },
      leaseTimeoutMs: 12 * 60 * MINUTE_MS,
    });
    await campaign.addPhones(
      [
        {
          phone: '100',
          maxAttempts: 2,
          retryIntervalInMinutes: 90,
          allowedDays: ['mon'],
          allowedTime: daily('09:00', '10:00'),
          finishDateTime: '2024-06-03T10:00:00Z',
        },
      ],
      { now: T0 },
    );
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: PAST }, min(1)))!;
    // 10:30: outside the entry's window and after its finish, inside the defaults' window.
    await campaign.fail('1', at('2024-06-03T10:30:00Z'));
    expect(await campaign.job(child)).toMatchObject({
      state: 'ready',
      maxAttempts: 3,
      nextAttemptAt: at('2024-06-03T10:30:00Z'),
    });
    await campaign.next(at('2024-06-03T10:30:00Z'));
    await campaign.fail(child, at('2024-06-03T10:31:00Z'));
    expect((await campaign.job(child))?.nextAttemptAt).toBe(at('2024-06-03T10:51:00Z'));
    await campaign.next(at('2024-06-03T10:51:00Z'));
    // Tuesday is allowed: the entry's allowedDays do not pass to the redial.
    await campaign.fail(child, at('2024-06-03T19:59:00Z'));
    expect((await campaign.job(child))?.nextAttemptAt).toBe(at('2024-06-04T08:00:00Z'));
  });

  it("takes the finish from the campaign defaults, not from the entry's later finish (§7)", async () => {
    const campaign = await openCampaign({ defaults: { finishDateTime: '2024-06-03T12:00:00Z' } });
    const events = record(campaign, ['expired']);
    await campaign.addPhones([{ phone: '100', finishDateTime: '2024-06-10T00:00:00Z' }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { allowedTime: daily('13:00', '14:00') }, min(1)))!;
    await campaign.complete('1', min(2));
    expect((await campaign.job(child))?.state).toBe('expired');
    expect(events).toEqual([{ type: 'expired', jobId: child, atMs: min(2), attempt: 0 }]);
  });

  it("keeps the number's own dialerPriority and gmtZone when params give no priority (§7)", async () => {
    const campaign = await openCampaign({ defaults: { dialerPriority: 4, gmtZone: 'UTC' } });
    await campaign.addPhones([{ phone: '100', dialerPriority: 2, gmtZone: 'Asia/Tokyo' }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { allowedTime: daily('09:00', '10:00') }, min(1)))!;
    await campaign.complete('1', min(2));
    // 09:00 in Tokyo (+09:00) is 00:00 UTC.
    expect(await campaign.job(child)).toMatchObject({
      dialerPriority: 2,
      gmtZone: 'Asia/Tokyo',
      nextAttemptAt: at('2024-06-04T00:00:00Z'),
    });
    expect(await campaign.next(at('2024-06-04T00:00:00Z'))).toMatchObject({
      jobId: child,
      dialerPriority: 2,
      gmtZone: 'Asia/Tokyo',
      windowEnd: at('2024-06-04T01:00:00Z'),
    });
  });

  it('takes the dialerPriority that params give (§7)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100', dialerPriority: 2 }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: PAST, dialerPriority: 1 }, min(1)))!;
    expect((await campaign.job(child))?.dialerPriority).toBe(1);
  });

  it("keeps the number's effective priority and zone from the campaign level when the entry has none (§7)", async () => {
    const campaign = await openCampaign({
      defaults: { dialerPriority: 3 },
      zoneResolver: (phone) => (phone.startsWith('7') ? 'Europe/Moscow' : undefined),
    });
    await campaign.addPhones([{ phone: '+7 495 000 00 00' }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: '2024-06-04T09:00:00' }, min(1)))!;
    await campaign.complete('1', min(2));
    expect(await campaign.job(child)).toMatchObject({
      dialerPriority: 3,
      gmtZone: 'Europe/Moscow',
      // A local date-time of the redial is read in the number's zone.
      nextAttemptAt: at('2024-06-04T06:00:00Z'),
    });
  });

  it('warns and uses 5 for a priority in params that is replaced (§7, §2)', async () => {
    const campaign = await openCampaign();
    const warnings = record(campaign, ['warning']);
    await campaign.addPhones([{ phone: '100', dialerPriority: 2 }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: PAST, dialerPriority: 7 }, min(1)))!;
    expect((await campaign.job(child))?.dialerPriority).toBe(5);
    expect(warnings).toEqual([
      {
        type: 'warning',
        jobId: child,
        atMs: min(1),
        attempt: 0,
        issue: expect.objectContaining({ code: 'invalid.dialer_priority', path: ['dialerPriority'] }),
      },
    ]);
  });
});

describe('redial: params (§7)', () => {
  it('rejects gmtZone in params with invalid.redial and changes nothing (§7)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.next(T0);
    const error = await rejects(
      campaign,
      () => campaign.redial('1', { startDateTime: PAST, gmtZone: 'UTC' } as never, min(1)),
      'invalid.redial',
    );
    expect(error.issues[0]?.index).toBeUndefined();
  });

  it('rejects params with neither startDateTime nor allowedTime with invalid.redial (§7)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.next(T0);
    await rejects(campaign, () => campaign.redial('1', {}, min(1)), 'invalid.redial');
    await rejects(
      campaign,
      () => campaign.redial('1', { maxAttempts: 2, allowedDays: ['mon'], finishDateTime: PAST }, min(1)),
      'invalid.redial',
    );
    expect(await campaign.redial('1', { allowedDays: ['mon'], startDateTime: PAST }, min(1))).toBe('2');
  });

  it('rejects a bad policy field in params with its entry code (§7, §2)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.next(T0);
    const error = await rejects(campaign, () =>
      campaign.redial('1', { startDateTime: PAST, maxAttempts: 51 }, min(1)),
    );
    expect(error.issues.map((issue) => issue.code)).toContain('invalid.max.attempts');
  });

  it('clamps a maxAttempts above 5 given in params to 5 with a max.attempts.clamped warning (§7)', async () => {
    const campaign = await openCampaign();
    const warnings = record(campaign, ['warning']);
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: PAST, maxAttempts: 8 }, min(1)))!;
    expect((await campaign.job(child))?.maxAttempts).toBe(5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: 'warning', jobId: child, atMs: min(1), attempt: 0 });
    expect(warnings[0]?.issue).toMatchObject({ code: 'max.attempts.clamped', path: ['maxAttempts'] });
    expect(warnings[0]?.issue?.index).toBeUndefined();
    expect(warnings[0]?.issue?.message).toContain('8');
  });

  it('clamps a maxAttempts above 5 inherited from the campaign, with a warning (§7)', async () => {
    const campaign = await openCampaign({ defaults: { maxAttempts: 10 } });
    const warnings = record(campaign, ['warning']);
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    await campaign.next(T0);
    await campaign.next(T0);
    const inherited = (await campaign.redial('1', { startDateTime: PAST }, min(1)))!;
    const zero = (await campaign.redial('2', { startDateTime: PAST, maxAttempts: 0 }, min(1)))!;
    expect((await campaign.job(inherited))?.maxAttempts).toBe(5);
    expect((await campaign.job(zero))?.maxAttempts).toBe(5);
    expect(warnings.map((w) => [w.jobId, w.issue?.code])).toEqual([
      [inherited, 'max.attempts.clamped'],
      [zero, 'max.attempts.clamped'],
    ]);
  });

  it('keeps a maxAttempts of 5 or less without a warning (§7)', async () => {
    const campaign = await openCampaign({ defaults: { maxAttempts: 2 } });
    const warnings = record(campaign, ['warning']);
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    await campaign.next(T0);
    await campaign.next(T0);
    expect(
      (await campaign.job((await campaign.redial('1', { startDateTime: PAST, maxAttempts: 5 }, min(1)))!))
        ?.maxAttempts,
    ).toBe(5);
    expect(
      (await campaign.job((await campaign.redial('2', { startDateTime: PAST }, min(1)))!))?.maxAttempts,
    ).toBe(2);
    expect(warnings).toEqual([]);
  });

  it("runs the redial's own series with the campaign's retry interval (§7)", async () => {
    const campaign = await openCampaign({ defaults: { retryIntervalInMinutes: 10 } });
    await campaign.addPhones([{ phone: '100', retryIntervalInMinutes: 120 }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: PAST, maxAttempts: 2 }, min(1)))!;
    await campaign.fail('1', min(2));
    await campaign.next(min(2));
    await campaign.fail(child, min(3));
    expect(await campaign.job(child)).toMatchObject({
      state: 'waiting',
      attempts: 1,
      nextAttemptAt: min(13),
    });
    await campaign.next(min(13));
    await campaign.fail(child, min(14));
    expect(await campaign.job(child)).toMatchObject({ state: 'exhausted', attempts: 2 });
  });
});

describe('redial: one per attempt (§7)', () => {
  it("returns the first redial's ID for a later redial in the same attempt, without validating it (§7)", async () => {
    const campaign = await openCampaign();
    const added = record(campaign, ['added']);
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    const task = (await campaign.next(T0))!;
    const first = await campaign.redial('1', { startDateTime: PAST }, min(1));
    expect(await campaign.redial('1', { startDateTime: PAST, gmtZone: 'nowhere' } as never, min(2))).toBe(
      first,
    );
    expect(await campaign.redial(task, {}, min(2))).toBe(first);
    expect(await campaign.redial('1', 'junk' as never, min(2))).toBe(first);
    expect((await campaign.stats()).total).toBe(2);
    expect(added.map((event) => event.jobId)).toEqual(['1', first]);
  });
});

describe('redial: release at the end of the attempt (§7)', () => {
  it('keeps the new job out of the queue until the report, then ends the original redialed on failure (§7)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['retry', 'redialed', 'exhausted']);
    await campaign.addPhones([{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 1 }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: PAST }, min(1)))!;
    expect(await campaign.next(min(10))).toBeUndefined();
    expect(await campaign.stats()).toMatchObject({ dialing: 1, waiting: 1, ready: 0 });
    await campaign.fail('1', min(20));
    expect(await campaign.job('1')).toMatchObject({ state: 'redialed', attempts: 1 });
    expect(await campaign.job(child)).toMatchObject({ state: 'ready', nextAttemptAt: min(20) });
    expect(events).toEqual([{ type: 'redialed', jobId: '1', atMs: min(20), attempt: 1 }]);
    expect((await campaign.next(min(20)))?.jobId).toBe(child);
  });

  it('ends the original redialed when the call completes (§7)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    const task = (await campaign.next(T0))!;
    const child = (await campaign.redial(task, { allowedTime: daily('00:00', '24:00') }, min(1)))!;
    await campaign.complete(task, min(2));
    expect((await campaign.job('1'))?.state).toBe('redialed');
    expect((await campaign.job(child))?.state).toBe('ready');
  });

  it('releases the new job at the lease expiry instant, ending the original redialed (§7)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    const events = record(campaign, ['leaseExpired', 'redialed', 'retry']);
    await campaign.addPhones([{ phone: '100', maxAttempts: 3 }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: PAST }, min(1)))!;
    await campaign.stats();
    expect((await campaign.next(min(30)))?.jobId).toBe(child);
    expect(events).toEqual([
      { type: 'leaseExpired', jobId: '1', atMs: min(10), attempt: 1 },
      { type: 'redialed', jobId: '1', atMs: min(10), attempt: 1 },
    ]);
  });

  it('releases the new job at its start when that is after the end of the attempt (§7)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.next(T0);
    const child = (await campaign.redial('1', { startDateTime: '2024-06-03T12:00:00Z' }, min(1)))!;
    await campaign.complete('1', min(2));
    expect(await campaign.job(child)).toMatchObject({
      state: 'waiting',
      nextAttemptAt: at('2024-06-03T12:00:00Z'),
    });
    expect(await campaign.nextReadyAt(min(2))).toBe(at('2024-06-03T12:00:00Z'));
  });
});

describe('redial: errors (§7)', () => {
  it('rejects a redial of a job that is not being dialed with invalid.call.task.state (§7)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [{ phone: '100' }, { phone: '200', startDateTime: '2024-06-04T00:00:00Z' }, { phone: '300' }],
      { now: T0 },
    );
    // Job 1 ready, job 2 waiting, job 3 completed, job 4 (the redial of job 3) pending, job 3 then redialed.
    expect((await campaign.next(T0))?.jobId).toBe('1');
    await campaign.next(T0);
    await campaign.complete('1', T0);
    await campaign.redial('3', { startDateTime: '2024-06-05T00:00:00Z' }, T0);
    for (const id of ['1', '2', '4']) {
      await rejects(
        campaign,
        () => campaign.redial(id, { startDateTime: PAST }, min(1)),
        'invalid.call.task.state',
      );
    }
    await campaign.complete('3', min(1));
    await rejects(
      campaign,
      () => campaign.redial('3', { startDateTime: PAST }, min(2)),
      'invalid.call.task.state',
    );
  });
});
