/**
 * The zone from the phone number (spec section 12): when neither the entry nor the defaults give a
 * `gmtZone` and no `zoneResolver` is set, the zones of the number's area from the time-zone map.
 */
import { describe, expect, it } from 'vitest';
import type { CallingRule } from '../../src/index.js';
import { openCampaign, restoreCampaign } from './backend.js';
import { at, daily } from './helpers.js';

/** North Dakota (area code 701): Mountain time in the west, Central time in the east. */
const NORTH_DAKOTA = '17015550123';
const NORTH_DAKOTA_ZONES = ['America/Denver', 'America/North_Dakota/Center'];
const NEW_YORK = '12125550123';
/** Toll-free: no area, so no zone in the map. */
const TOLL_FREE = '18005550123';
/** Monday 2024-06-03, 05:00 UTC: 01:00 in New York. */
const T0 = at('2024-06-03T05:00:00Z');

describe('zone from the phone number (§12)', () => {
  it('reads the policy in the zone of the number when nothing gives one (§12)', async () => {
    const campaign = await openCampaign({ defaults: { allowedTime: daily('09:00', '17:00') } });
    const result = await campaign.addPhones([{ phone: NEW_YORK }], { now: T0 });
    expect(result.warnings).toEqual([]);
    expect(await campaign.job('1')).toMatchObject({
      gmtZone: 'America/New_York',
      gmtZones: ['America/New_York'],
      nextAttemptAt: at('2024-06-03T13:00:00Z'),
    });
  });

  it('allows a number whose area spans zones only when each zone allows it, and names every zone (§12)', async () => {
    const campaign = await openCampaign({ defaults: { allowedTime: daily('09:00', '17:00') } });
    await campaign.addPhones([{ phone: NORTH_DAKOTA }], { now: T0 });
    // 09:00 in Denver (15:00Z) is the later start; 17:00 in Central time (22:00Z) the earlier end.
    expect(await campaign.job('1')).toMatchObject({
      gmtZone: 'America/Denver',
      gmtZones: NORTH_DAKOTA_ZONES,
      nextAttemptAt: at('2024-06-03T15:00:00Z'),
    });
    const task = await campaign.next(at('2024-06-03T15:00:00Z'));
    expect(task).toMatchObject({
      gmtZone: 'America/Denver',
      gmtZones: NORTH_DAKOTA_ZONES,
      windowEnd: at('2024-06-03T22:00:00Z'),
    });
  });

  it('explains a number whose area spans zones by the zone that blocks it (§12)', async () => {
    const campaign = await openCampaign({ defaults: { allowedTime: daily('09:00', '17:00') } });
    await campaign.addPhones([{ phone: NORTH_DAKOTA }], { now: T0 });
    expect((await campaign.explain('1', at('2024-06-03T16:00:00Z')))?.callable).toBe(true);
    // 22:30Z: 16:30 in Denver, 17:30 in Central time.
    const late = await campaign.explain('1', at('2024-06-03T22:30:00Z'));
    expect(late).toMatchObject({ callable: false, nextAttemptAt: at('2024-06-04T15:00:00Z') });
    expect(late?.reasons.map((r) => [r.layer, r.code, r.untilMs])).toEqual([
      ['defaults', 'outside.allowed.time', at('2024-06-04T14:00:00Z')],
    ]);
  });

  it('reads local dates and calling rules in each zone of the number (§12)', async () => {
    const evenings: CallingRule = { name: 'evenings', allowedTime: daily('18:00', '21:00') };
    const campaign = await openCampaign({ rules: [evenings] });
    await campaign.addPhones([{ phone: NORTH_DAKOTA, startDateTime: '2024-06-04T00:00:00' }], { now: T0 });
    // 18:00 in Denver on the 4th (00:00Z on the 5th) to 21:00 in Central time (02:00Z).
    const task = await campaign.next(at('2024-06-05T00:00:00Z'));
    expect(task?.windowEnd).toBe(at('2024-06-05T02:00:00Z'));
    expect(await campaign.next(at('2024-06-04T01:00:00Z'))).toBeUndefined();
  });

  it('keeps the number’s zones in a redial (§12, §7)', async () => {
    const campaign = await openCampaign({ leaseTimeoutMs: 86_400_000 });
    await campaign.addPhones([{ phone: NORTH_DAKOTA }], { now: T0 });
    const task = (await campaign.next(T0))!;
    const redialId = (await campaign.redial(task, { allowedTime: daily('09:00', '17:00') }, T0))!;
    await campaign.complete(task, T0);
    expect(await campaign.job(redialId)).toMatchObject({
      gmtZones: NORTH_DAKOTA_ZONES,
      nextAttemptAt: at('2024-06-03T15:00:00Z'),
    });
  });

  it('falls back to UTC with a warning phone.gmtZone.unknown for a number the map does not know (§12)', async () => {
    const campaign = await openCampaign({ defaults: { allowedTime: daily('09:00', '17:00') } });
    const result = await campaign.addPhones([{ phone: NEW_YORK }, { phone: TOLL_FREE }], { now: T0 });
    expect(result.warnings).toEqual([
      {
        index: 1,
        path: ['gmtZone'],
        code: 'phone.gmtZone.unknown',
        message:
          'phone 18005550123 has no gmtZone (nor the defaults), and the time-zone map does not know its area: it is called in UTC (+00:00).',
      },
    ]);
    expect(await campaign.job('2')).toMatchObject({
      gmtZone: '+00:00',
      gmtZones: ['+00:00'],
      nextAttemptAt: at('2024-06-03T09:00:00Z'),
    });
  });

  it('takes the zone of the defaults, or of the zoneResolver, before the number’s (§12, §4)', async () => {
    const withDefaults = await openCampaign({ defaults: { gmtZone: 'Europe/Paris' } });
    const added = await withDefaults.addPhones([{ phone: NORTH_DAKOTA }, { phone: TOLL_FREE }], { now: T0 });
    expect(added.warnings).toEqual([]);
    expect((await withDefaults.job('1'))?.gmtZones).toEqual(['Europe/Paris']);
    const withResolver = await openCampaign({ zoneResolver: () => undefined });
    const resolved = await withResolver.addPhones([{ phone: NORTH_DAKOTA }], { now: T0 });
    expect(resolved.warnings).toEqual([]);
    expect((await withResolver.job('1'))?.gmtZones).toEqual(['+00:00']);
  });

  it('restores the zones of every schedule from a snapshot (§12, §9)', async () => {
    const original = await openCampaign({ defaults: { allowedTime: daily('09:00', '17:00') } });
    await original.addPhones([{ phone: NORTH_DAKOTA }, { phone: NEW_YORK }], { now: T0 });
    const snapshot = JSON.parse(JSON.stringify(await original.snapshot()));
    expect(snapshot.schedules.map((s: { zone: string }) => s.zone)).toEqual([
      'America/Denver&America/North_Dakota/Center',
      'America/New_York',
    ]);
    const restored = await restoreCampaign(snapshot);
    expect(await restored.snapshot()).toEqual(snapshot);
    expect(await restored.job('1')).toEqual(await original.job('1'));
    // New York's window closes first (21:00Z), then North Dakota's (22:00Z).
    const t = at('2024-06-03T15:00:00Z');
    for (let k = 0; k < 2; k++) expect(await restored.next(t)).toEqual(await original.next(t));
  });
});
