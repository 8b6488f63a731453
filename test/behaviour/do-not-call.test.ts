import { describe, expect, it } from 'vitest';
import { openCampaign, restoreCampaign } from './backend.js';
import { at, DAY_MS, daily, MINUTE_MS, record, rejects } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');
const min = (n: number) => T0 + n * MINUTE_MS;

describe('blockPhones (§12 do not call)', () => {
  it('cancels the unfinished jobs of the phones and returns their IDs, newest first (§12)', async () => {
    const campaign = await openCampaign({ defaults: { maxAttempts: 3 } });
    const events = record(campaign, ['cancelled']);
    await campaign.addPhones(
      [
        { phone: '+1 650 000-0001' },
        { phone: '16500000001', payload: { again: true } },
        { phone: '200', allowedTime: daily('20:00', '21:00') },
        { phone: '300' },
      ],
      { now: T0 },
    );
    expect(await campaign.blockPhones(['1 (650) 000-0001', 200], min(1))).toEqual(['2', '1', '3']);
    expect((await campaign.job('1'))?.state).toBe('cancelled');
    expect((await campaign.job('3'))?.state).toBe('cancelled');
    expect((await campaign.job('4'))?.state).toBe('ready');
    expect(events).toEqual([
      { type: 'cancelled', jobId: '2', atMs: min(1), attempt: 0 },
      { type: 'cancelled', jobId: '1', atMs: min(1), attempt: 0 },
      { type: 'cancelled', jobId: '3', atMs: min(1), attempt: 0 },
    ]);
    expect(await campaign.stats()).toMatchObject({ ready: 1, cancelled: 3, total: 4 });
    expect(await campaign.latestMs()).toBe(min(1));
    expect((await campaign.next(min(1)))?.jobId).toBe('4');
  });

  it('lets a job being dialed end its call: its report ends it cancelled, whatever the outcome (§12, §6)', async () => {
    const campaign = await openCampaign({ defaults: { maxAttempts: 3 } });
    const events = record(campaign, ['cancelled', 'retry', 'completed']);
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    const first = await campaign.next(T0);
    const second = await campaign.next(T0);
    expect(await campaign.blockPhones(['100', '200'], min(1))).toEqual(['1', '2']);
    expect((await campaign.job('1'))?.state).toBe('dialing');
    expect(await campaign.blockPhones(['100'], min(1))).toEqual([]);
    await campaign.fail(first!, min(2));
    await campaign.complete(second!, min(3));
    expect((await campaign.job('1'))?.state).toBe('cancelled');
    expect((await campaign.job('2'))?.state).toBe('cancelled');
    expect(events).toEqual([
      { type: 'cancelled', jobId: '1', atMs: min(2), attempt: 1 },
      { type: 'cancelled', jobId: '2', atMs: min(3), attempt: 1 },
    ]);
    expect(await campaign.nextReadyAt(min(3))).toBeUndefined();
  });

  it('refuses a redial of a blocked phone (null) and cancels one asked for before the block (§12, §7)', async () => {
    const campaign = await openCampaign({ defaults: { maxAttempts: 2 } });
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    const first = await campaign.next(T0);
    const second = await campaign.next(T0);
    expect(await campaign.redial(second!, { startDateTime: min(60) }, min(1))).toBe('3');
    expect(await campaign.blockPhones(['100', '200'], min(2))).toEqual(['1', '3', '2']);
    expect(await campaign.redial(first!, { startDateTime: min(60) }, min(3))).toBeNull();
    expect((await campaign.stats()).total).toBe(3);
    await campaign.complete(first!, min(4));
    await campaign.complete(second!, min(4));
    expect((await campaign.job('1'))?.state).toBe('cancelled');
    expect((await campaign.job('2'))?.state).toBe('cancelled');
    expect((await campaign.job('3'))?.state).toBe('cancelled');
  });

  it('leaves later entries of blocked phones out: their indexes in blocked, their slots null (§12, §9)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['added']);
    expect(await campaign.blockPhones(['+1 650 000-0000'], T0)).toEqual([]);
    const result = await campaign.addPhones(
      [{ phone: '100' }, { phone: 16500000000 }, { phone: 'bad' }, { phone: '1-650-000-0000' }],
      { now: min(1), partial: true },
    );
    expect(result).toMatchObject({
      jobIds: ['1', null, null, null],
      duplicates: [],
      blocked: [1, 3],
      rejected: [{ index: 2, code: 'phone.bad.format' }],
    });
    expect(await campaign.stats()).toMatchObject({ total: 1 });
    expect(events.map((event) => event.jobId)).toEqual(['1']);
  });

  it('reports an entry both blocked and a duplicate as blocked, not as the duplicate (§12, §8)', async () => {
    const campaign = await openCampaign();
    const entry = { phone: '100', payload: { n: 1 } };
    expect((await campaign.addPhones([entry], { now: T0 })).jobIds).toEqual(['1']);
    await campaign.blockPhones(['100'], min(1));
    const again = await campaign.addPhones([entry, { phone: '200' }, { phone: '200' }], { now: min(2) });
    expect(again).toMatchObject({ jobIds: [null, '2', '2'], duplicates: [2], blocked: [0] });
  });

  it('refuses a test phone on the list (phone.blocked) and changes nothing (§12, §8)', async () => {
    const campaign = await openCampaign();
    await campaign.blockPhones(['100'], T0);
    const error = await rejects(
      campaign,
      () => campaign.addTestPhone({ phone: '+100' }, { now: min(5) }),
      'phone.blocked',
    );
    expect(error.issues[0]).toMatchObject({ path: ['phone'], message: expect.stringContaining('"100"') });
    expect(await campaign.addTestPhone({ phone: '101' }, { now: min(5) })).toBe('1');
  });

  it('keeps a phone blocked after its jobs are forgotten: the list has no duplicate window or retention (§12, §10)', async () => {
    const campaign = await openCampaign({ retentionMs: 0, dedupWindowMs: 0 });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.blockPhones(['100'], min(1));
    const later = await campaign.addPhones([{ phone: '100' }], { now: T0 + 400 * DAY_MS });
    expect(later).toMatchObject({ jobIds: [null], blocked: [0] });
    expect(await campaign.stats()).toMatchObject({ total: 0 });
  });

  it('refuses a list that is not an array of phones, and any phone that is not one, blocking none (§12, §2)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await rejects(campaign, () => campaign.blockPhones('100' as unknown as string[], min(1)), 'invalid.body');
    await rejects(
      campaign,
      () => campaign.blockPhones([true] as unknown as string[], min(1)),
      'invalid.body',
    );
    const error = await rejects(
      campaign,
      () => campaign.blockPhones(['100', '12', 'x1234'], min(1)),
      'phone.bad.format',
      'phone.bad.format',
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      ['phones', 1],
      ['phones', 2],
    ]);
    await rejects(campaign, () => campaign.unblockPhones(['12'], min(1)), 'phone.bad.format');
    await rejects(campaign, () => campaign.blockPhones(['100'], Number.NaN), 'invalid.option');
  });
});

describe('unblockPhones (§12 do not call)', () => {
  it('takes phones off the list and returns those that were on it; cancelled jobs stay cancelled (§12)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100', payload: 1 }], { now: T0 });
    await campaign.blockPhones(['100', '200'], min(1));
    expect(await campaign.unblockPhones(['300', '+200', '100', '200'], min(2))).toEqual(['200', '100']);
    expect(await campaign.unblockPhones(['100'], min(2))).toEqual([]);
    expect((await campaign.job('1'))?.state).toBe('cancelled');
    // Within the duplicate window the same entry is still a duplicate of its (cancelled) job (§8).
    const again = await campaign.addPhones([{ phone: '100', payload: 1 }, { phone: '100' }], { now: min(3) });
    expect(again).toMatchObject({ jobIds: ['1', '2'], duplicates: [0], blocked: [] });
    expect(await campaign.addTestPhone({ phone: '200' }, { now: min(3) })).toBe('3');
  });
});

describe('option doNotCall (§12 do not call)', () => {
  it('leaves out entries, test phones and redials of the phones it names, asked with their digits (§12)', async () => {
    const asked: string[] = [];
    const doNotCall = (phone: string) => {
      asked.push(phone);
      return phone.endsWith('9');
    };
    const campaign = await openCampaign({ doNotCall, defaults: { maxAttempts: 2 } });
    const result = await campaign.addPhones(
      [{ phone: '+1 650 000-0009' }, { phone: '100' }, { phone: 'no' }],
      {
        now: T0,
        partial: true,
      },
    );
    expect(result).toMatchObject({ jobIds: [null, '1', null], blocked: [0] });
    expect(asked).toEqual(['16500000009', '100']);
    await rejects(campaign, () => campaign.addTestPhone({ phone: '109' }, { now: min(1) }), 'phone.blocked');
    const task = await campaign.next(min(1));
    expect(await campaign.redial(task!, { startDateTime: min(60) }, min(2))).toBe('2');
  });

  it("is not changed by unblockPhones, which takes phones off the campaign's own list only (§12)", async () => {
    const campaign = await openCampaign({ doNotCall: () => true });
    expect(await campaign.blockPhones([], T0)).toEqual([]);
    expect(await campaign.unblockPhones(['100'], T0)).toEqual([]);
    expect((await campaign.addPhones([{ phone: '100' }], { now: T0 })).blocked).toEqual([0]);
  });

  it('returns null from a redial when the option names the phone, changing nothing else (§12, §7)', async () => {
    let listed = false;
    const campaign = await openCampaign({ doNotCall: () => listed });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    const task = await campaign.next(T0);
    listed = true;
    expect(await campaign.redial(task!, { startDateTime: min(60) }, min(1))).toBeNull();
    expect((await campaign.stats()).total).toBe(1);
    await campaign.complete(task!, min(2));
    expect((await campaign.job('1'))?.state).toBe('completed');
  });

  it('refuses an answer that is not a boolean (invalid.option) and changes nothing (§12, §10)', async () => {
    const campaign = await openCampaign({ doNotCall: () => 'yes' as unknown as boolean });
    const error = await rejects(
      campaign,
      () => campaign.addPhones([{ phone: '100' }], { now: T0 }),
      'invalid.option',
    );
    expect(error.issues[0]?.path).toEqual(['doNotCall']);
    await expect(openCampaign({ doNotCall: 'no' as unknown as () => boolean })).rejects.toMatchObject({
      issues: [{ path: ['doNotCall'], code: 'invalid.option' }],
    });
  });
});

describe('do-not-call list in snapshots (§12, §9)', () => {
  it('keeps the list, sorted, through a snapshot round trip; the option is given again (§12, §9)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '300' }], { now: T0 });
    expect((await campaign.snapshot()).doNotCall).toBeUndefined();
    await campaign.blockPhones(['300', '1000', '20'.padEnd(4, '0')], min(1));
    const snapshot = await campaign.snapshot();
    expect(snapshot.doNotCall).toEqual(['1000', '2000', '300']);
    const restored = await restoreCampaign(snapshot, { doNotCall: (phone) => phone === '400' });
    expect(await restored.snapshot()).toEqual(snapshot);
    const result = await restored.addPhones([{ phone: '300' }, { phone: '400' }, { phone: '500' }], {
      now: min(2),
    });
    expect(result).toMatchObject({ jobIds: [null, null, '2'], blocked: [0, 1] });
    expect(await restored.unblockPhones(['1000'], min(3))).toEqual(['1000']);
    expect((await restored.snapshot()).doNotCall).toEqual(['2000', '300']);
  });
});
