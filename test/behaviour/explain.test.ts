import { describe, expect, it } from 'vitest';
import { openCampaign, restoreCampaign } from './backend.js';
import { at, HOUR_MS, MINUTE_MS, rejects } from './helpers.js';

const NY = 'America/New_York';
const T0 = at('2026-12-01T10:00:00-05:00'); // a Tuesday
const hours = (from: string, to: string) => ({ default: [{ localTimeFrom: from, localTimeTo: to }] });

describe('explain (§12)', () => {
  it('finds nothing in the way of a ready job: callable, no reasons (§12)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: NY } });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(await campaign.explain('1', T0)).toEqual({
      jobId: '1',
      state: 'ready',
      callable: true,
      nextAttemptAt: T0,
      reasons: [],
    });
  });

  it('names the entry and the defaults that keep a job waiting, each until it allows (§12)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: NY, allowedDays: ['mon', 'tue', 'wed'] } });
    await campaign.addPhones([{ phone: '100', allowedTime: hours('18:00', '20:00') }], { now: T0 });
    expect(await campaign.explain('1', T0)).toMatchObject({
      state: 'waiting',
      callable: false,
      nextAttemptAt: at('2026-12-01T18:00:00-05:00'),
      reasons: [{ code: 'outside.allowed.time', layer: 'entry', untilMs: at('2026-12-01T18:00:00-05:00') }],
    });
    const thursday = at('2026-12-03T19:00:00-05:00');
    expect((await campaign.explain('1', thursday))?.reasons).toMatchObject([
      { code: 'outside.allowed.days', layer: 'defaults', untilMs: at('2026-12-07T00:00:00-05:00') },
    ]);
  });

  it('names the phone while another job of it is dialed, until that lease runs out, and the dialed job itself (§12, §5)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: NY }, leaseTimeoutMs: 30 * MINUTE_MS });
    await campaign.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }], { now: T0 });
    await campaign.next(T0);
    expect(await campaign.explain('2', T0 + MINUTE_MS)).toMatchObject({
      state: 'waiting',
      callable: false,
      reasons: [{ code: 'phone.busy', layer: 'phone', untilMs: T0 + 30 * MINUTE_MS }],
    });
    expect(await campaign.explain('1', T0 + MINUTE_MS)).toMatchObject({
      state: 'dialing',
      callable: false,
      nextAttemptAt: null,
      reasons: [{ code: 'job.dialing', layer: 'state', untilMs: T0 + 30 * MINUTE_MS }],
    });
  });

  it('names the pause of a paused campaign, with no untilMs (§12, §5)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: NY } });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.pause();
    expect(await campaign.explain('1', T0)).toMatchObject({
      state: 'ready',
      callable: false,
      reasons: [{ code: 'campaign.paused', layer: 'paused', untilMs: null }],
    });
  });

  it('names the retry pause after a failed attempt, until the retry is ready (§12, §6)', async () => {
    const campaign = await openCampaign({
      defaults: { gmtZone: NY, maxAttempts: 3, retryIntervalInMinutes: 45 },
    });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    await campaign.fail((await campaign.next(T0))!, T0 + MINUTE_MS);
    expect(await campaign.explain('1', T0 + 2 * MINUTE_MS)).toMatchObject({
      state: 'waiting',
      callable: false,
      nextAttemptAt: T0 + 46 * MINUTE_MS,
      reasons: [{ code: 'retry.pause', layer: 'retry', untilMs: T0 + 46 * MINUTE_MS }],
    });
    expect(await campaign.explain('1', T0 + 46 * MINUTE_MS)).toMatchObject({ callable: true, reasons: [] });
  });

  it('names the final state and the attempts used of an exhausted job (§12, §6)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: NY }, maxTotalAttempts: 1 });
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }, { phone: '200', payload: 2 }], { now: T0 });
    await campaign.fail((await campaign.next(T0))!, T0);
    await campaign.complete((await campaign.next(T0))!, T0);
    expect(await campaign.explain('1', T0)).toEqual({
      jobId: '1',
      state: 'exhausted',
      callable: false,
      nextAttemptAt: null,
      reasons: [
        {
          code: 'final.state',
          layer: 'state',
          message: 'job 1 is exhausted: a final job is never served again.',
          untilMs: null,
        },
        {
          code: 'max.attempts',
          layer: 'attempts',
          message: 'job 1 has made all 1 attempts of its series (maxAttempts).',
          untilMs: null,
        },
      ],
    });
    expect((await campaign.explain('2', T0))?.reasons).toMatchObject([{ code: 'final.state' }]);
    expect((await campaign.explain('3', T0))?.reasons).toMatchObject([
      { code: 'final.state', layer: 'state' },
      { code: 'max.total.attempts', layer: 'attempts', untilMs: null },
    ]);
  });

  it("names the parent's attempt for a redial held until it ends, and the redial's own hours after (§12, §7)", async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: NY }, leaseTimeoutMs: HOUR_MS });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    const task = (await campaign.next(T0))!;
    const child = await campaign.redial(task, { allowedTime: hours('15:00', '16:00') }, T0 + MINUTE_MS);
    expect(await campaign.explain(child!, T0 + MINUTE_MS)).toMatchObject({
      state: 'waiting',
      nextAttemptAt: null,
      reasons: [{ code: 'phone.busy', layer: 'phone', untilMs: T0 + HOUR_MS }],
    });
    await campaign.complete(task, T0 + 2 * MINUTE_MS);
    const after = await campaign.explain(child!, T0 + 3 * MINUTE_MS);
    expect(after?.reasons).toMatchObject([
      { code: 'outside.allowed.time', layer: 'entry', untilMs: at('2026-12-01T15:00:00-05:00') },
    ]);
    expect(after?.reasons[0]?.message).toContain('the hours of the redial');
  });

  it('answers undefined for an unknown job, moves time on, and rejects a bad now (§12, §9)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: NY } });
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect(await campaign.explain('7', T0 + HOUR_MS)).toBeUndefined();
    expect(await campaign.latestMs()).toBe(T0 + HOUR_MS);
    await rejects(campaign, () => campaign.explain('1', Number.NaN), 'invalid.option');
  });

  it('explains a restored job from its policy key (§12, §9)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: NY } });
    await campaign.addPhones([{ phone: '100', allowedTime: hours('18:00', '20:00') }], { now: T0 });
    const restored = await restoreCampaign(await campaign.snapshot());
    expect((await restored.explain('1', T0))?.reasons).toMatchObject([
      { code: 'outside.allowed.time', layer: 'entry', untilMs: at('2026-12-01T18:00:00-05:00') },
    ]);
  });
});
