import { describe, expect, it } from 'vitest';
import {
  type AsyncCampaign,
  type CallTask,
  DialerError,
  type IssueCode,
  MAX_ISSUES,
} from '../../src/index.js';
import { openCampaign, restoreCampaign } from './backend.js';
import { at, daily, MINUTE_MS, rejected, rejects } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');
const min = (n: number) => T0 + n * MINUTE_MS;
/** Late enough that a valid call would expire leases, open and close windows and pass finish dates. */
const LATER = at('2024-06-04T12:00:00Z');

/**
 * A campaign where time would change things: job 1 dialing on a 10-minute lease, job 2 completed, job 3
 * waiting for a window at 10:00, job 4 ready until its finish, job 5 dialing with a pending redial (6).
 */
async function busy(): Promise<{ campaign: AsyncCampaign; task: CallTask; stale: CallTask }> {
  const campaign = await openCampaign({ leaseTimeoutMs: 10 * MINUTE_MS });
  await campaign.addPhones(
    [
      { phone: '100', maxAttempts: 3, retryIntervalInMinutes: 1, dialerPriority: 3 },
      { phone: '200', dialerPriority: 1 },
      { phone: '300', allowedTime: daily('10:00', '11:00') },
      { phone: '400', finishDateTime: '2024-06-03T12:00:00Z', dialerPriority: 5 },
      { phone: '500', dialerPriority: 2 },
    ],
    { now: T0 },
  );
  expect((await campaign.next(T0))?.jobId).toBe('2');
  await campaign.complete('2', T0);
  expect((await campaign.next(T0))?.jobId).toBe('5');
  await campaign.redial('5', { startDateTime: T0 }, T0);
  const stale = (await campaign.next(T0))!;
  expect(stale.jobId).toBe('1');
  await campaign.fail(stale, min(1));
  const task = (await campaign.next(min(2)))!;
  expect(task).toMatchObject({ jobId: '1', attempt: 2 });
  return { campaign, task, stale };
}

describe('bad calls change nothing (§6, spec intro)', () => {
  it('rejects a report of an unknown job with job.not.found (§6)', async () => {
    const { campaign } = await busy();
    await rejects(campaign, () => campaign.complete('99', LATER), 'job.not.found');
    await rejects(campaign, () => campaign.fail('abc', LATER), 'job.not.found');
    await rejects(campaign, () => campaign.fail(5 as never, LATER), 'job.not.found');
    await rejects(
      campaign,
      () => campaign.complete({ jobId: '99', attempt: 1 } as never, LATER),
      'job.not.found',
    );
    await rejects(campaign, () => campaign.redial('99', { startDateTime: T0 }, LATER), 'job.not.found');
  });

  it('rejects a second report and a report of a job not dialing with invalid.call.task.state (§6)', async () => {
    const { campaign, stale } = await busy();
    await rejects(campaign, () => campaign.complete('2', min(3)), 'invalid.call.task.state');
    await rejects(campaign, () => campaign.fail('3', LATER), 'invalid.call.task.state');
    await rejects(campaign, () => campaign.fail('4', min(3)), 'invalid.call.task.state');
    await rejects(campaign, () => campaign.complete('6', min(3)), 'invalid.call.task.state');
    await rejects(campaign, () => campaign.complete(stale, min(3)), 'invalid.call.task.state');
  });

  it('rejects a report after the lease expired with lease.expired, and does not bring time forward (§6)', async () => {
    const { campaign, task } = await busy();
    await rejects(campaign, () => campaign.complete(task, LATER), 'lease.expired');
    await rejects(campaign, () => campaign.fail('1', min(13)), 'lease.expired');
    await rejects(campaign, () => campaign.complete('5', LATER), 'lease.expired');
    await rejects(campaign, () => campaign.redial('1', { startDateTime: T0 }, LATER), 'lease.expired');
    // The job is still dialing: no call brought the campaign past the expiry.
    expect((await campaign.job('1'))?.state).toBe('dialing');
  });

  it('rejects a redial of a job not dialing with invalid.call.task.state (§7)', async () => {
    const { campaign } = await busy();
    for (const id of ['2', '3', '4', '6']) {
      await rejects(
        campaign,
        () => campaign.redial(id, { startDateTime: T0 }, min(3)),
        'invalid.call.task.state',
      );
    }
  });

  it('rejects bad redial params with their codes (§7)', async () => {
    const { campaign } = await busy();
    await rejects(campaign, () => campaign.redial('1', {}, min(3)), 'invalid.redial');
    await rejects(
      campaign,
      () => campaign.redial('1', { startDateTime: T0, gmtZone: 'UTC' } as never, min(3)),
      'invalid.redial',
    );
    await rejects(
      campaign,
      () => campaign.redial('1', { allowedTime: daily('09:00', '09:00') }, min(3)),
      'invalid.call.allowed.time',
    );
    await rejects(
      campaign,
      () => campaign.redial('1', { startDateTime: T0, maxAttempts: -1 }, min(3)),
      'invalid.max.attempts',
    );
    await rejects(campaign, () => campaign.redial('1', null as never, min(3)));
    await rejects(campaign, () => campaign.redial('1', { startDateTime: T0, phone: '100' } as never, min(3)));
  });

  describe('bad now (§2 invalid.option)', () => {
    const badNows: [string, unknown][] = [
      ['NaN', Number.NaN],
      ["'5'", '5'],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
      ['null', null],
      ['a Date', new Date(LATER)],
      ['5n', 5n],
    ];
    const calls: [string, (campaign: AsyncCampaign, now: never) => unknown][] = [
      ['next', (c, now) => c.next(now)],
      ['nextReadyAt', (c, now) => c.nextReadyAt(now)],
      ['complete', (c, now) => c.complete('1', now)],
      ['fail', (c, now) => c.fail('1', now)],
      ['redial', (c, now) => c.redial('1', { startDateTime: T0 }, now)],
      ['cancel', (c, now) => c.cancel({ jobIds: ['3'] }, now)],
      ['addPhones', (c, now) => c.addPhones([{ phone: '700' }], { now })],
      ['addTestPhone', (c, now) => c.addTestPhone({ phone: '700' }, { now })],
    ];
    for (const [callName, call] of calls) {
      it.each(badNows)(`rejects ${callName} with now %s with invalid.option (§2)`, async (_label, now) => {
        const { campaign } = await busy();
        const error = await rejects(campaign, () => call(campaign, now as never), 'invalid.option');
        expect(error.issues[0]?.index).toBeUndefined();
      });
    }

    it('quotes the bad now in the message (§2)', async () => {
      const { campaign } = await busy();
      expect((await rejects(campaign, () => campaign.next('5' as never))).message).toContain('"5"');
      expect((await rejects(campaign, () => campaign.next(Number.NaN))).message).toContain('NaN');
    });
  });

  it('rejects bad addPhones options with invalid.option (§9)', async () => {
    const { campaign } = await busy();
    await rejects(
      campaign,
      () => campaign.addPhones([{ phone: '700' }], { now: LATER, partial: 'yes' as never }),
      'invalid.option',
    );
    await rejects(
      campaign,
      () => campaign.addPhones([{ phone: '700' }], { nowMs: LATER } as never),
      'invalid.option',
    );
    await rejects(campaign, () => campaign.addPhones([{ phone: '700' }], 5 as never), 'invalid.option');
    await rejects(
      campaign,
      () => campaign.addTestPhone({ phone: '700' }, { now: LATER, partial: true } as never),
      'invalid.option',
    );
  });

  it('rejects a body that is not an array of entries with invalid.body (§2)', async () => {
    const { campaign } = await busy();
    for (const body of [{ phone: '700' }, 'phones', null, [5], [[{ phone: '700' }]], [null]]) {
      await rejects(campaign, () => campaign.addPhones(body as never, { now: LATER }), 'invalid.body');
    }
  });

  it('rejects an entry with an error, adding nothing of the body (§2, §9)', async () => {
    const { campaign } = await busy();
    await rejects(
      campaign,
      () =>
        campaign.addPhones([{ phone: '700' }, { phone: '800', allowedDay: ['mon'] } as never], {
          now: LATER,
        }),
      'unknown.field',
    );
    await rejects(campaign, () => campaign.addTestPhone({ phone: '+' }, { now: LATER }), 'phone.bad.format');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 5],
    ['an array', ['1']],
    ['jobIds as a string', { jobIds: '1' }],
    ['jobIds of numbers', { jobIds: [1] }],
    ['phones as a string', { phones: '100' }],
    ['phones with null', { phones: [null] }],
    ['an unknown field', { jobs: ['1'] }],
  ])('rejects a cancel selection that is %s with invalid.body (§6)', async (_label, selection) => {
    const { campaign } = await busy();
    const error = await rejects(campaign, () => campaign.cancel(selection as never, LATER), 'invalid.body');
    expect(error.issues[0]?.index).toBeUndefined();
  });

  it('rejects an unknown event type with invalid.option (§9)', async () => {
    const { campaign } = await busy();
    await rejects(campaign, () => campaign.on('finished' as never, () => {}), 'invalid.option');
  });

  it('throws DialerError for a bad snapshot and leaves the source campaign alone (§9)', async () => {
    const { campaign } = await busy();
    const snapshot = JSON.parse(JSON.stringify(await campaign.snapshot())) as { version: unknown };
    snapshot.version = 99;
    await rejects(campaign, () => restoreCampaign(snapshot), 'invalid.snapshot');
  });

  it('throws errors that are DialerError with at least one issue and a code (§6)', async () => {
    const { campaign } = await busy();
    const codes: IssueCode[] = [];
    for (const call of [
      () => campaign.complete('99', min(3)),
      () => campaign.complete('2', min(3)),
      () => campaign.next(Number.NaN),
      () => campaign.cancel(null as never),
    ]) {
      const error = await rejected(call());
      expect(error).toBeInstanceOf(DialerError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('DialerError');
      codes.push(error.issues[0]!.code);
    }
    expect(codes).toEqual(['job.not.found', 'invalid.call.task.state', 'invalid.option', 'invalid.body']);
  });

  it('still serves exactly as before after the rejected calls (§6)', async () => {
    const { campaign } = await busy();
    const clean = (await busy()).campaign;
    for (const call of [
      () => campaign.complete('99', LATER),
      () => campaign.fail('1', LATER),
      () => campaign.next(Number.NaN),
      () => campaign.addPhones([{ phone: 'x' }], { now: LATER }),
    ]) {
      await expect(call()).rejects.toThrow(DialerError);
    }
    for (const c of [campaign, clean]) await c.complete('1', min(3));
    expect(await campaign.next(min(4))).toEqual(await clean.next(min(4)));
    expect(await campaign.snapshot()).toEqual(await clean.snapshot());
  });
});

describe('bodies of many bad entries (§2)', () => {
  it('throws the first MAX_ISSUES issues and counts the rest, adding nothing', async () => {
    const campaign = await openCampaign();
    const body = Array.from({ length: 5_000 }, () => ({ phone: 'x' }));
    const error = await rejects(campaign, () => campaign.addPhones(body, { now: 0 }));
    expect(error.issues).toHaveLength(MAX_ISSUES);
    expect(error.omittedIssues).toBe(5_000 - MAX_ISSUES);
  });

  it('reports the count left out of rejected in partial mode', async () => {
    const campaign = await openCampaign();
    const body = [{ phone: '100' }, ...Array.from({ length: 2_000 }, () => ({ phone: 'x' }))];
    const result = await campaign.addPhones(body, { now: 0, partial: true });
    expect(result.rejected).toHaveLength(MAX_ISSUES);
    expect(result.omittedRejected).toBe(1_000);
    expect(result.jobIds[0]).toBe('1');
  });
});
