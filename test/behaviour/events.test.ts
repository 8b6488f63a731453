import { describe, expect, it } from 'vitest';
import type { CampaignEvent } from '../../src/index.js';
import { openCampaign } from './backend.js';
import { at, MINUTE_MS, record, rejects } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');
const min = (n: number) => T0 + n * MINUTE_MS;

describe('addPhones results (§9)', () => {
  it('returns one job ID per entry, duplicates, warnings and no rejected issues (§9)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: 'Z' } });
    const result = await campaign.addPhones(
      [
        { phone: '100' },
        { phone: '200', dialerPriority: 7 },
        { phone: '100' },
        { phone: '300', dialerPriority: '1' },
      ],
      { now: T0 },
    );
    expect(result).toEqual({
      jobIds: ['1', '2', '1', '3'],
      duplicates: [2],
      blocked: [],
      warnings: [
        {
          index: 1,
          path: ['dialerPriority'],
          code: 'invalid.dialer_priority',
          message: expect.stringContaining('7'),
        },
        {
          index: 3,
          path: ['dialerPriority'],
          code: 'invalid.dialer_priority',
          message: expect.stringContaining('1'),
        },
      ],
      rejected: [],
      omittedRejected: 0,
    });
    expect((await campaign.job('2'))?.dialerPriority).toBe(5);
    expect((await campaign.job('3'))?.dialerPriority).toBe(5);
  });

  it('returns an empty result for an empty body (§9)', async () => {
    const campaign = await openCampaign();
    expect(await campaign.addPhones([], { now: T0 })).toEqual({
      jobIds: [],
      duplicates: [],
      blocked: [],
      warnings: [],
      rejected: [],
      omittedRejected: 0,
    });
  });

  it('adds the valid entries in partial mode, with null and issues for the rejected ones (§9)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: 'Z' } });
    const result = await campaign.addPhones(
      [
        { phone: '100' },
        { phone: '12' },
        { phone: '200', maxAttempts: 51 },
        { phone: '300', dialerPriority: 9 },
        { phone: '100' },
      ],
      { now: T0, partial: true },
    );
    expect(result.jobIds).toEqual(['1', null, null, '2', '1']);
    expect(result.duplicates).toEqual([4]);
    expect(result.rejected.map((issue) => [issue.index, issue.code])).toEqual([
      [1, 'phone.bad.format'],
      [2, 'invalid.max.attempts'],
    ]);
    expect(result.rejected[1]?.path).toEqual(['maxAttempts']);
    expect(result.warnings.map((issue) => [issue.index, issue.code])).toEqual([
      [3, 'invalid.dialer_priority'],
    ]);
    expect((await campaign.stats()).total).toBe(2);
  });

  it('adds nothing and throws every issue when any entry has an error (§9, §2)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '999' }], { now: T0 });
    const error = await rejects(
      campaign,
      () =>
        campaign.addPhones(
          [{ phone: '100' }, { phone: 'abc' }, { phone: '200' }, { phone: '300', allowedDays: [] }],
          { now: min(5) },
        ),
      'phone.bad.format',
      'invalid.allowed.days',
    );
    expect(error.issues.map((issue) => issue.index)).toEqual([1, 3]);
    expect((await campaign.stats()).total).toBe(1);
    // Nothing was remembered for the duplicate check either.
    expect((await campaign.addPhones([{ phone: '100' }], { now: min(6) })).jobIds).toEqual(['2']);
  });

  it('throws errors only, leaving warnings out of a thrown DialerError (§2, §9)', async () => {
    const campaign = await openCampaign();
    const error = await rejects(
      campaign,
      () =>
        campaign.addPhones(
          [
            { phone: '100', dialerPriority: 9 },
            { phone: '200', maxAttempts: 99 },
          ],
          { now: T0 },
        ),
      'invalid.max.attempts',
    );
    expect(error.issues).toEqual([expect.objectContaining({ index: 1, path: ['maxAttempts'] })]);
  });

  it('turns a bad dialerPriority into an error with strictPriority (§9, §10)', async () => {
    const campaign = await openCampaign({ strictPriority: true });
    await rejects(
      campaign,
      () => campaign.addPhones([{ phone: '100', dialerPriority: 0 }], { now: T0 }),
      'invalid.dialer_priority',
    );
    expect(
      (await campaign.addPhones([{ phone: '100', dialerPriority: 0 }], { now: T0, partial: true })).rejected,
    ).toEqual([
      expect.objectContaining({ index: 0, code: 'invalid.dialer_priority', path: ['dialerPriority'] }),
    ]);
  });
});

describe('events (§9)', () => {
  it('reports each lifecycle change once with type, jobId, atMs and attempt (§9)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
    const events = record(campaign);
    await campaign.addPhones(
      [
        { phone: '100', maxAttempts: 3, retryIntervalInMinutes: 5 },
        { phone: '200', finishDateTime: '2024-06-03T08:00:00Z' },
        { phone: '300' },
        { phone: '400' },
      ],
      { now: T0 },
    );
    await campaign.next(min(0));
    await campaign.fail('1', min(1));
    await campaign.next(min(2));
    await campaign.complete('3', min(3));
    await campaign.cancel({ jobIds: ['4'] }, min(3));
    // Job 1 again at 09:06; its lease expires at 09:16; retried from 09:21.
    await campaign.next(min(6));
    await campaign.next(min(25));
    const child = await campaign.redial('1', { startDateTime: T0 }, min(26));
    await campaign.fail('1', min(27));
    await campaign.next(min(27));
    await campaign.fail(child!, min(28));
    expect(events).toEqual<CampaignEvent[]>([
      { type: 'added', jobId: '1', atMs: min(0), attempt: 0 },
      { type: 'added', jobId: '2', atMs: min(0), attempt: 0 },
      { type: 'expired', jobId: '2', atMs: min(0), attempt: 0 },
      { type: 'added', jobId: '3', atMs: min(0), attempt: 0 },
      { type: 'added', jobId: '4', atMs: min(0), attempt: 0 },
      { type: 'dialing', jobId: '1', atMs: min(0), attempt: 1 },
      { type: 'retry', jobId: '1', atMs: min(1), attempt: 1 },
      { type: 'dialing', jobId: '3', atMs: min(2), attempt: 1 },
      { type: 'completed', jobId: '3', atMs: min(3), attempt: 1 },
      { type: 'cancelled', jobId: '4', atMs: min(3), attempt: 0 },
      { type: 'dialing', jobId: '1', atMs: min(6), attempt: 2 },
      { type: 'leaseExpired', jobId: '1', atMs: min(16), attempt: 2 },
      { type: 'retry', jobId: '1', atMs: min(16), attempt: 2 },
      { type: 'dialing', jobId: '1', atMs: min(25), attempt: 3 },
      { type: 'added', jobId: '5', atMs: min(26), attempt: 0 },
      { type: 'redialed', jobId: '1', atMs: min(27), attempt: 3 },
      { type: 'dialing', jobId: '5', atMs: min(27), attempt: 1 },
      { type: 'exhausted', jobId: '5', atMs: min(28), attempt: 1 },
    ]);
  });

  it('has no events for the time-driven moves between waiting and ready (§9)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign);
    await campaign.addPhones(
      [{ phone: '100', allowedTime: { default: [{ localTimeFrom: '10:00', localTimeTo: '11:00' }] } }],
      {
        now: T0,
      },
    );
    await campaign.nextReadyAt(at('2024-06-03T10:30:00Z'));
    await campaign.nextReadyAt(at('2024-06-03T11:30:00Z'));
    await campaign.nextReadyAt(at('2024-06-04T10:30:00Z'));
    expect(events.map((event) => event.type)).toEqual(['added']);
  });

  it('returns from on a function that removes that listener only (§9)', async () => {
    const campaign = await openCampaign();
    const first: string[] = [];
    const second: string[] = [];
    const off = campaign.on('added', (event) => first.push(event.jobId));
    campaign.on('added', (event) => second.push(event.jobId));
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(typeof off).toBe('function');
    off();
    off();
    await campaign.addPhones([{ phone: '200' }], { now: T0 });
    expect(first).toEqual(['1']);
    expect(second).toEqual(['1', '2']);
  });

  it('rejects an unknown event type with invalid.option and changes nothing (§9)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    for (const type of ['lease_expired', 'ready', '', 'Added']) {
      const error = await rejects(campaign, () => campaign.on(type as never, () => {}), 'invalid.option');
      expect(error.issues[0]?.index).toBeUndefined();
    }
  });

  it('emits warnings of addTestPhone as warning events with the issue (§9, §2)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: 'Z' } });
    const warnings = record(campaign, ['warning']);
    const id = await campaign.addTestPhone({ phone: '100', dialerPriority: 2.5 }, { now: T0 });
    expect(warnings).toEqual([
      {
        type: 'warning',
        jobId: id,
        atMs: T0,
        attempt: 0,
        issue: expect.objectContaining({ path: ['dialerPriority'], code: 'invalid.dialer_priority' }),
      },
    ]);
    expect(warnings[0]?.issue?.message).toContain('2.5');
  });

  it('throws the errors of a bad test entry and adds nothing (§8, §9)', async () => {
    const campaign = await openCampaign();
    await rejects(campaign, () => campaign.addTestPhone({ phone: '1' }, { now: T0 }), 'phone.bad.format');
    expect((await campaign.stats()).total).toBe(0);
  });
});
