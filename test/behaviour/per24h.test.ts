import { describe, expect, it } from 'vitest';
import type { AsyncCampaign, CallingRule, PolicyInput } from '../../src/index.js';
import { openCampaign, restoreCampaign } from './backend.js';
import { at, DAY_MS, daily, HOUR_MS, MINUTE_MS, record } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');
const min = (n: number) => T0 + n * MINUTE_MS;
const cap = (maxAttemptsPer24h: number, appliesTo?: CallingRule['appliesTo']): CallingRule[] => [
  { name: 'per24h', maxAttemptsPer24h, ...(appliesTo === undefined ? {} : { appliesTo }) },
];

/**
 * In `campaign` (a cap of one start in 24 hours): phone 100's job 1 (priority 1) served at T0 and
 * completed a minute later, job 2 (its own `fields`) held until the cap frees the phone at T0 + 24 h.
 */
async function holdSecondJob(campaign: AsyncCampaign, fields: PolicyInput): Promise<void> {
  await campaign.addPhones(
    [
      { phone: '100', dialerPriority: 1 },
      { phone: '100', ...fields },
    ],
    { now: T0 },
  );
  await campaign.next(min(0));
  await campaign.complete('1', min(1));
}

describe('maxAttemptsPer24h (§12)', () => {
  it('starts at most the cap of attempts to a phone over all its jobs in 24 hours (§12)', async () => {
    const campaign = await openCampaign({ rules: cap(2) });
    await campaign.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }, { phone: '100', payload: 3 }], {
      now: T0,
    });
    expect(await campaign.next(min(0))).toMatchObject({ jobId: '1' });
    await campaign.fail('1', min(1));
    expect(await campaign.next(min(1))).toMatchObject({ jobId: '2' });
    await campaign.complete('2', min(2));
    // Two starts in the last 24 hours: the third job waits until the first start is 24 hours old.
    expect(await campaign.next(min(2))).toBeUndefined();
    expect(await campaign.job('3')).toMatchObject({ state: 'waiting', nextAttemptAt: T0 + DAY_MS });
    expect(await campaign.stats()).toMatchObject({ waiting: 1, ready: 0 });
    expect(await campaign.nextReadyAt(min(2))).toBe(T0 + DAY_MS);
    expect(await campaign.next(T0 + DAY_MS - 1)).toBeUndefined();
    expect(await campaign.next(T0 + DAY_MS)).toMatchObject({ jobId: '3', attempt: 1 });
  });

  it('allows a start exactly 24 hours after the oldest counted one, not a millisecond before (§12)', async () => {
    const campaign = await openCampaign({ rules: cap(1) });
    await campaign.addPhones([{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 1 }], { now: T0 });
    await campaign.next(min(0));
    await campaign.fail('1', min(1));
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', nextAttemptAt: T0 + DAY_MS });
    expect(await campaign.next(T0 + DAY_MS - 1)).toBeUndefined();
    expect(await campaign.next(T0 + DAY_MS)).toMatchObject({ jobId: '1', attempt: 2 });
    await campaign.fail('1', T0 + DAY_MS + MINUTE_MS);
    expect(await campaign.nextReadyAt(T0 + DAY_MS + MINUTE_MS)).toBe(T0 + 2 * DAY_MS);
  });

  it('keeps other phones going while one is at its cap (§12)', async () => {
    const campaign = await openCampaign({ rules: cap(1) });
    await campaign.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }, { phone: '200' }], { now: T0 });
    await campaign.next(min(0));
    await campaign.complete('1', min(1));
    expect(await campaign.next(min(1))).toMatchObject({ jobId: '3', phone: '200' });
    expect(await campaign.job('2')).toMatchObject({ state: 'waiting' });
  });

  it('counts an attempt whose lease expired: it was started (§12, §6)', async () => {
    const campaign = await openCampaign({ rules: cap(1), leaseTimeoutMs: 20 * MINUTE_MS });
    const events = record(campaign, ['leaseExpired']);
    await campaign.addPhones([{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 1 }], { now: T0 });
    await campaign.next(min(0));
    // The lease expires at min(20); the retry's pause ends at min(21), but the cap holds until T0 + 24 h.
    expect(await campaign.nextReadyAt(min(1))).toBe(T0 + DAY_MS);
    expect(await campaign.next(min(30))).toBeUndefined();
    expect(events).toEqual([{ type: 'leaseExpired', jobId: '1', atMs: min(20), attempt: 1 }]);
    expect(await campaign.job('1')).toMatchObject({ state: 'waiting', nextAttemptAt: T0 + DAY_MS });
    expect(await campaign.next(T0 + DAY_MS)).toMatchObject({ jobId: '1', attempt: 2 });
  });

  it('holds a redial until the cap frees its phone (§12, §7)', async () => {
    const campaign = await openCampaign({ rules: cap(1) });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    const task = (await campaign.next(min(0)))!;
    const redial = await campaign.redial(task, { startDateTime: min(10) }, min(1));
    expect(redial).toBe('2');
    // The redial's start is min(10), but the phone has had its one start of the 24 hours.
    expect(await campaign.nextReadyAt(min(1))).toBe(T0 + DAY_MS);
    await campaign.fail(task, min(2));
    expect(await campaign.job('2')).toMatchObject({ state: 'waiting', nextAttemptAt: T0 + DAY_MS });
    expect(await campaign.next(min(20))).toBeUndefined();
    expect(await campaign.next(T0 + DAY_MS)).toMatchObject({ jobId: '2', attempt: 1 });
  });

  it('applies to test phones too (§12, §8)', async () => {
    const campaign = await openCampaign({ rules: cap(1) });
    await campaign.addTestPhone({ phone: '100' }, { now: T0 });
    await campaign.addTestPhone({ phone: '100' }, { now: T0 });
    await campaign.next(min(0));
    await campaign.complete('1', min(1));
    expect(await campaign.next(min(1))).toBeUndefined();
    expect(await campaign.next(T0 + DAY_MS)).toMatchObject({ jobId: '2' });
  });

  it("tells in nextReadyAt the first instant the cap and the job's window allow (§12, §5)", async () => {
    const campaign = await openCampaign({ rules: cap(1) });
    await holdSecondJob(campaign, { allowedTime: daily('12:00', '13:00') });
    // Free at 09:00 tomorrow; job 2's next window then opens at 12:00.
    expect(await campaign.nextReadyAt(min(1))).toBe(at('2024-06-04T12:00:00Z'));
    expect(await campaign.job('2')).toMatchObject({
      state: 'waiting',
      nextAttemptAt: at('2024-06-04T12:00:00Z'),
    });
    expect(await campaign.next(at('2024-06-04T11:59:59Z'))).toBeUndefined();
    expect(await campaign.next(at('2024-06-04T12:00:00Z'))).toMatchObject({ jobId: '2' });
  });

  it('serves a job inside its window when the cap frees the phone there (§12)', async () => {
    const campaign = await openCampaign({ rules: cap(1) });
    await holdSecondJob(campaign, { allowedTime: daily('08:00', '10:00') });
    expect(await campaign.nextReadyAt(min(1))).toBe(T0 + DAY_MS);
    const task = await campaign.next(T0 + DAY_MS);
    expect(task).toMatchObject({ jobId: '2', windowEnd: at('2024-06-04T10:00:00Z') });
  });

  it('ends a held job expired when its windows end before the cap frees its phone (§12, §6)', async () => {
    const campaign = await openCampaign({ rules: cap(1) });
    const events = record(campaign, ['expired']);
    await holdSecondJob(campaign, {
      allowedTime: daily('10:00', '11:00'),
      finishDateTime: '2024-06-03T12:00:00Z',
    });
    expect(await campaign.job('2')).toMatchObject({ state: 'waiting', nextAttemptAt: null });
    expect(await campaign.nextReadyAt(min(1))).toBeUndefined();
    expect(await campaign.next(at('2024-06-03T10:30:00Z'))).toBeUndefined();
    await campaign.next(at('2024-06-03T11:30:00Z'));
    expect(events).toEqual([{ type: 'expired', jobId: '2', atMs: at('2024-06-03T11:00:00Z'), attempt: 0 }]);
  });

  it('counts starts with maxTotalAttempts each on its own (§12, §6)', async () => {
    const campaign = await openCampaign({ rules: cap(1), maxTotalAttempts: 2 });
    await campaign.addPhones([{ phone: '100', maxAttempts: 3, retryIntervalInMinutes: 1 }], { now: T0 });
    await campaign.next(min(0));
    await campaign.fail('1', min(1));
    await campaign.next(T0 + DAY_MS);
    await campaign.fail('1', T0 + DAY_MS + MINUTE_MS);
    // Two attempts in all: maxTotalAttempts ends the job, whatever the 24-hour cap would allow.
    expect(await campaign.job('1')).toMatchObject({ state: 'exhausted', attempts: 2 });
  });

  it('caps only the phones of the places the rule names (§12)', async () => {
    const campaign = await openCampaign({ rules: cap(1, { countries: ['DE'] }) });
    await campaign.addPhones(
      [
        { phone: '4930000002' },
        { phone: '4930000002', payload: 2 },
        { phone: '79000000003' },
        { phone: '79000000003', payload: 2 },
      ],
      { now: T0 },
    );
    await campaign.next(min(0)); // job 1, Berlin
    await campaign.complete('1', min(1));
    await campaign.next(min(1)); // job 3, Moscow
    await campaign.complete('3', min(2));
    expect(await campaign.next(min(2))).toMatchObject({ jobId: '4' });
    expect(await campaign.next(min(3))).toBeUndefined();
    expect(await campaign.job('2')).toMatchObject({ state: 'waiting', nextAttemptAt: T0 + DAY_MS });
  });

  it('keeps the starts of a phone whose jobs were forgotten: a short retention does not reset the cap (§12)', async () => {
    const campaign = await openCampaign({ rules: cap(1), retentionMs: 0, dedupWindowMs: 0 });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.next(min(0));
    await campaign.complete('1', min(1));
    await campaign.addPhones([{ phone: '100' }], { now: min(2) });
    expect(await campaign.job('1')).toBeUndefined();
    expect(await campaign.next(min(2))).toBeUndefined();
    expect(await campaign.job('2')).toMatchObject({ state: 'waiting', nextAttemptAt: T0 + DAY_MS });
    expect(await campaign.next(T0 + DAY_MS)).toMatchObject({ jobId: '2' });
  });

  it('keeps the starts across snapshot and restore (§12, §9)', async () => {
    const campaign = await openCampaign({ rules: cap(2), retentionMs: 0, dedupWindowMs: 0 });
    await campaign.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }, { phone: '200' }], { now: T0 });
    await campaign.next(min(0));
    await campaign.complete('1', min(1));
    await campaign.next(min(1));
    await campaign.complete('2', min(2));
    expect(await campaign.nextReadyAt(min(3))).toBe(min(3)); // job 3; jobs 1 and 2 are forgotten
    const snapshot = JSON.parse(JSON.stringify(await campaign.snapshot()));
    // Phone 100 has no job left, but its starts still count: it is listed with them.
    expect(snapshot.phones).toContainEqual({ phone: '100', attempts: 0, recentStarts: [min(0), min(1)] });
    const restored = await restoreCampaign(snapshot, { rules: cap(2) });
    await restored.addPhones([{ phone: '100', payload: 3 }], { now: min(3) });
    expect(await restored.job('1')).toBeUndefined();
    expect(await restored.next(min(3))).toMatchObject({ jobId: '3', phone: '200' });
    expect(await restored.next(min(4))).toBeUndefined();
    expect(await restored.nextReadyAt(min(4))).toBe(T0 + DAY_MS);
    expect(await restored.next(T0 + DAY_MS)).toMatchObject({ jobId: '4', phone: '100' });
  });

  it('holds the phone while it is dialed past the cap, then for the rest of the 24 hours (§12, §5)', async () => {
    const campaign = await openCampaign({ rules: cap(1), leaseTimeoutMs: 2 * HOUR_MS });
    await campaign.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }], { now: T0 });
    await campaign.next(min(0));
    expect(await campaign.job('2')).toMatchObject({ state: 'waiting', nextAttemptAt: T0 + DAY_MS });
    expect(await campaign.nextReadyAt(min(1))).toBe(T0 + DAY_MS);
    await campaign.complete('1', min(30));
    expect(await campaign.nextReadyAt(min(30))).toBe(T0 + DAY_MS);
  });

  it('explains a held job by the rule whose cap holds its phone (§12 Explain)', async () => {
    const campaign = await openCampaign({
      rules: [
        { name: 'loose', maxAttemptsPer24h: 3 },
        { name: 'tight', maxAttemptsPer24h: 1 },
      ],
    });
    await campaign.addPhones(
      [
        { phone: '100', dialerPriority: 1 },
        { phone: '100', allowedTime: daily('12:00', '13:00') },
      ],
      { now: T0 },
    );
    await campaign.next(min(0));
    await campaign.complete('1', min(1));
    expect(await campaign.explain('2', min(2))).toMatchObject({
      state: 'waiting',
      callable: false,
      nextAttemptAt: at('2024-06-04T12:00:00Z'),
      reasons: [
        {
          code: 'max.attempts.per.24h',
          layer: 'rule:tight',
          message:
            'its phone has had 1 attempt start in the 24 hours before (maxAttemptsPer24h of rule tight); the next may start at 2024-06-04T09:00:00+00:00.',
          untilMs: T0 + DAY_MS,
        },
        { code: 'outside.allowed.time', layer: 'entry', untilMs: at('2024-06-03T12:00:00Z') },
      ],
    });
    expect((await campaign.explain('2', T0 + DAY_MS))?.reasons.map((reason) => reason.code)).toEqual([
      'outside.allowed.time',
    ]);
  });
});
