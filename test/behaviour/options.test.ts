import { describe, expect, it } from 'vitest';
import type { CampaignOptions, Issue } from '../../src/index.js';
import { openCampaign } from './backend.js';
import { at, DAY_MS, HOUR_MS, MINUTE_MS, record, rejected } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');

/** The issues opening a campaign with `options` rejects with (those `new Campaign(options)` throws). */
const constructionIssues = async (options: unknown): Promise<readonly Issue[]> =>
  (await rejected(openCampaign(options as CampaignOptions))).issues;

describe('option defaults (§10)', () => {
  it('replaces a bad dialerPriority with a warning when strictPriority is not set (§10)', async () => {
    const campaign = await openCampaign({ defaults: { gmtZone: 'Z' } });
    const result = await campaign.addPhones([{ phone: '100', dialerPriority: 7 }], { now: T0 });
    expect(result.warnings.map((issue) => issue.code)).toEqual(['invalid.dialer_priority']);
    expect((await campaign.job('1'))?.dialerPriority).toBe(5);
  });

  it('leases a call for one hour by default (§10)', async () => {
    const campaign = await openCampaign();
    const events = record(campaign, ['leaseExpired']);
    await campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
    await campaign.next(T0);
    await campaign.next(T0);
    await campaign.complete('1', T0 + HOUR_MS - 1);
    expect((await campaign.job('1'))?.state).toBe('completed');
    await campaign.nextReadyAt(T0 + 2 * HOUR_MS);
    expect(events).toEqual([{ type: 'leaseExpired', jobId: '2', atMs: T0 + HOUR_MS, attempt: 1 }]);
  });

  it('remembers entries for the duplicate check for 24 hours by default (§10)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones([{ phone: '100' }], { now: T0 });
    expect((await campaign.addPhones([{ phone: '100' }], { now: T0 + DAY_MS - 1 })).jobIds).toEqual(['1']);
    expect((await campaign.addPhones([{ phone: '100' }], { now: T0 + DAY_MS })).jobIds).toEqual(['2']);
  });

  it('accepts a payload of 65536 bytes and rejects one of 65537 by default (§10, §2)', async () => {
    const campaign = await openCampaign();
    // A JSON string is its characters plus two quotes.
    const fits = 'x'.repeat(65_534);
    expect((await campaign.addPhones([{ phone: '100', payload: fits }], { now: T0 })).jobIds).toEqual(['1']);
    const error = await rejected(campaign.addPhones([{ phone: '200', payload: `${fits}x` }], { now: T0 }));
    expect(error.issues.map((issue) => [issue.code, issue.path])).toEqual([
      ['payload.bad.format', ['payload']],
    ]);
  });

  it('applies maxPayloadBytes when given (§10)', async () => {
    const campaign = await openCampaign({ maxPayloadBytes: 10 });
    expect((await campaign.addPhones([{ phone: '100', payload: '12345678' }], { now: T0 })).jobIds).toEqual([
      '1',
    ]);
    expect(
      (await rejected(campaign.addPhones([{ phone: '100', payload: '123456789' }], { now: T0 }))).issues[0]
        ?.code,
    ).toBe('payload.bad.format');
  });

  it('puts a number with no zone anywhere in UTC when there is no zoneResolver (§10, §4)', async () => {
    const campaign = await openCampaign();
    await campaign.addPhones(
      [{ phone: '100', allowedTime: { default: [{ localTimeFrom: '10:00', localTimeTo: '11:00' }] } }],
      {
        now: T0,
      },
    );
    expect(await campaign.job('1')).toMatchObject({
      gmtZone: '+00:00',
      nextAttemptAt: at('2024-06-03T10:00:00Z'),
    });
  });

  it('asks zoneResolver for the zone of a number only when the entry and defaults give none (§10, §4)', async () => {
    const asked: string[] = [];
    const zoneResolver = (phone: string) => {
      asked.push(phone);
      return phone.startsWith('81') ? 'Asia/Tokyo' : undefined;
    };
    const campaign = await openCampaign({ zoneResolver });
    await campaign.addPhones(
      [{ phone: '+81 3 0000 0000' }, { phone: '100' }, { phone: '+81 3 0000 0001', gmtZone: 'Europe/Paris' }],
      { now: T0 },
    );
    expect((await campaign.job('1'))?.gmtZone).toBe('Asia/Tokyo');
    expect((await campaign.job('2'))?.gmtZone).toBe('+00:00');
    expect((await campaign.job('3'))?.gmtZone).toBe('Europe/Paris');
    expect(asked).toContain('81300000000');
    expect(asked).not.toContain('81300000001');

    const withDefaults = await openCampaign({ zoneResolver, defaults: { gmtZone: 'Europe/Moscow' } });
    await withDefaults.addPhones([{ phone: '+81 3 0000 0000' }], { now: T0 });
    expect((await withDefaults.job('1'))?.gmtZone).toBe('Europe/Moscow');
  });

  it('reads the clock when a call passes no now (§10)', async () => {
    let clockMs = T0;
    const campaign = await openCampaign({ clock: () => clockMs });
    await campaign.addPhones([{ phone: '100', maxAttempts: 2, retryIntervalInMinutes: 10 }]);
    expect((await campaign.next())?.jobId).toBe('1');
    clockMs = T0 + MINUTE_MS;
    await campaign.fail('1');
    expect((await campaign.job('1'))?.nextAttemptAt).toBe(T0 + 11 * MINUTE_MS);
    clockMs = T0 + 11 * MINUTE_MS;
    expect(await campaign.nextReadyAt()).toBe(clockMs);
  });

  it('rejects a clock that returns something other than a finite number with invalid.option (§10)', async () => {
    const campaign = await openCampaign({ clock: () => Number.NaN });
    expect((await rejected(campaign.next())).issues[0]?.code).toBe('invalid.option');
  });
});

describe('bad options (§10)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['leaseTimeoutMs', { leaseTimeoutMs: 0 }, '0'],
    ['leaseTimeoutMs', { leaseTimeoutMs: -5 }, '-5'],
    ['leaseTimeoutMs', { leaseTimeoutMs: Number.NaN }, 'NaN'],
    ['leaseTimeoutMs', { leaseTimeoutMs: Number.POSITIVE_INFINITY }, 'Infinity'],
    ['leaseTimeoutMs', { leaseTimeoutMs: '5' }, '5'],
    ['dedupWindowMs', { dedupWindowMs: -1 }, '-1'],
    ['dedupWindowMs', { dedupWindowMs: 'day' }, 'day'],
    ['maxTotalAttempts', { maxTotalAttempts: 0 }, '0'],
    ['maxTotalAttempts', { maxTotalAttempts: 1.5 }, '1.5'],
    ['maxTotalAttempts', { maxTotalAttempts: '3' }, '3'],
    ['maxPayloadBytes', { maxPayloadBytes: 1.5 }, '1.5'],
    ['maxPayloadBytes', { maxPayloadBytes: 'big' }, 'big'],
    ['strictPriority', { strictPriority: 'yes' }, 'yes'],
    ['strictPriority', { strictPriority: 1 }, '1'],
    ['zoneResolver', { zoneResolver: 'UTC' }, 'UTC'],
    ['clock', { clock: 5 }, '5'],
  ])('rejects %s in %j with invalid.option quoting the value (§10)', async (name, options, shown) => {
    const issues = await constructionIssues(options);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'invalid.option', path: [name] });
    expect(issues[0]?.index).toBeUndefined();
    expect(issues[0]?.message).toContain(shown);
  });

  it('rejects an unknown option with invalid.option naming it (§10)', async () => {
    const issues = await constructionIssues({ leaseTimeout: 1000 });
    expect(issues).toEqual([expect.objectContaining({ code: 'invalid.option', path: ['leaseTimeout'] })]);
    expect(issues[0]?.message).toContain('leaseTimeout');
  });

  it('reports every bad option at once (§10, §2)', async () => {
    const issues = await constructionIssues({ leaseTimeoutMs: -1, dedupWindowMs: -1, clock: 'now' });
    expect(issues.map((issue) => issue.path[0]).sort()).toEqual(['clock', 'dedupWindowMs', 'leaseTimeoutMs']);
  });
});

describe('bad defaults (§10)', () => {
  it.each<[Record<string, unknown>, string, (string | number)[]]>([
    [{ maxAttempts: 51 }, 'invalid.max.attempts', ['defaults', 'maxAttempts']],
    [{ retryIntervalInMinutes: 0 }, 'invalid.retry.interval', ['defaults', 'retryIntervalInMinutes']],
    [{ allowedDays: [] }, 'invalid.allowed.days', ['defaults', 'allowedDays']],
    [
      { allowedTime: { mon: [{ localTimeFrom: '09:00', localTimeTo: '25:00' }] } },
      'invalid.call.allowed.time',
      ['defaults', 'allowedTime', 'mon', 0, 'localTimeTo'],
    ],
    [{ gmtZone: 'EST' }, 'phone.gmtZone.bad.format', ['defaults', 'gmtZone']],
    [{ startDateTime: 'soon' }, 'invalid.date.time', ['defaults', 'startDateTime']],
    [{ allowedDay: ['mon'] }, 'unknown.field', ['defaults', 'allowedDay']],
    [{ dialerPriority: 7 }, 'invalid.dialer_priority', ['defaults', 'dialerPriority']],
    [{ dialerPriority: '1' }, 'invalid.dialer_priority', ['defaults', 'dialerPriority']],
  ])(
    'rejects defaults %j with the entry code and a path starting at defaults (§10)',
    async (defaults, code, path) => {
      const issues = await constructionIssues({ defaults });
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code, path });
      expect(issues[0]?.index).toBeUndefined();
    },
  );

  it('reports a bad default together with a bad option (§10)', async () => {
    const issues = await constructionIssues({ defaults: { maxAttempts: -1 }, leaseTimeoutMs: 0 });
    expect(issues.map((issue) => issue.code).sort()).toEqual(['invalid.max.attempts', 'invalid.option']);
  });

  it('checks start before finish on the defaults alone (§10)', async () => {
    const issues = await constructionIssues({
      defaults: { startDateTime: '2024-06-02T00:00:00Z', finishDateTime: '2024-06-01T00:00:00Z' },
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe('invalid.date.time');
    expect(issues[0]?.path[0]).toBe('defaults');
    expect(
      (await rejected(openCampaign({ defaults: { startDateTime: T0, finishDateTime: T0 } }))).issues[0]?.code,
    ).toBe('invalid.date.time');
  });

  it('reads a local date-time of the defaults in the defaults zone, else UTC (§10)', async () => {
    // 10:00 at +05:00 is 05:00Z, before the finish at 06:00Z.
    await expect(
      openCampaign({
        defaults: {
          gmtZone: '+05:00',
          startDateTime: '2024-06-01T10:00:00',
          finishDateTime: '2024-06-01T06:00:00Z',
        },
      }),
    ).resolves.toBeDefined();
    // Without a zone, 10:00 is read as 10:00Z, after the finish.
    const issues = await constructionIssues({
      defaults: { startDateTime: '2024-06-01T10:00:00', finishDateTime: '2024-06-01T06:00:00Z' },
    });
    expect(issues.map((issue) => issue.code)).toEqual(['invalid.date.time']);
    expect(issues[0]?.path[0]).toBe('defaults');
  });

  it('checks start before finish on the effective values of each entry as that entry error (§2, §10)', async () => {
    const campaign = await openCampaign({ defaults: { startDateTime: '2024-06-10T00:00:00Z' } });
    const error = await rejected(
      campaign.addPhones([{ phone: '100', finishDateTime: '2024-06-05T00:00:00Z' }], { now: T0 }),
    );
    expect(error.issues).toEqual([expect.objectContaining({ index: 0, code: 'invalid.date.time' })]);
  });
});
