/** The campaign option `rules` (spec section 12) on every backend: rules narrow each job's windows, by the phone's place. */
import { describe, expect, it } from 'vitest';
import { type AsyncCampaign, type CallingRule, US_RULES } from '../../src/index.js';
import { openCampaign, restoreCampaign } from './backend.js';
import { at, DAY_MS, daily, rejected } from './helpers.js';

/** A Monday, 2024-06-03, in New York (EDT, UTC-4). */
const NY_0700 = at('2024-06-03T11:00:00Z');
const NY_0800 = at('2024-06-03T12:00:00Z');
const NY_2100 = at('2024-06-04T01:00:00Z');
const NEW_YORK = '12125550123';
const MIAMI = '13055550123';
/** New Orleans: US_RULES blacks out Louisiana's holidays (Mardi Gras, 2024-02-13). */
const NEW_ORLEANS = '15045550123';
const JULY_4: CallingRule = { name: 'july-4', blackoutDates: ['2024-07-04'] };

const hours = (name: string, from: string, to: string, where?: CallingRule['appliesTo']): CallingRule => ({
  name,
  ...(where === undefined ? {} : { appliesTo: where }),
  allowedTime: daily(from, to),
});

/** A JSON round trip of a snapshot, as a store would do. */
const throughJson = async (campaign: AsyncCampaign) => JSON.parse(JSON.stringify(await campaign.snapshot()));

/** The local date of an instant in a zone, `YYYY-MM-DD`. */
const localDate = (ms: number, zone: string) => new Date(ms).toLocaleDateString('en-CA', { timeZone: zone });

/** Serves a campaign from `fromMs` for `days` days, failing each call; returns `[jobId, at, windowEnd]` of each. */
async function servedWindows(campaign: AsyncCampaign, fromMs: number, days: number) {
  const served: [string, number, number][] = [];
  let t = fromMs;
  while (t < fromMs + days * DAY_MS) {
    for (let task = await campaign.next(t); task !== undefined; task = await campaign.next(t)) {
      served.push([task.jobId, t, task.windowEnd]);
      await campaign.fail(task, t);
    }
    const readyAt = await campaign.nextReadyAt(t);
    if (readyAt === undefined) break;
    t = Math.max(readyAt, t + 1);
  }
  return served;
}

describe('campaign option rules (§12)', () => {
  it('holds a job whose own window is the whole day until the rule allows it (§12: a rule never widens)', async () => {
    const campaign = await openCampaign({ rules: [hours('federal', '08:00', '21:00')] });
    await campaign.addPhones([{ phone: NEW_YORK, gmtZone: 'America/New_York' }], { now: NY_0700 });
    expect((await campaign.job('1'))?.state).toBe('waiting');
    expect(await campaign.nextReadyAt(NY_0700)).toBe(NY_0800);
    expect(await campaign.next(NY_0700)).toBeUndefined();
    expect((await campaign.next(NY_0800))?.windowEnd).toBe(NY_2100);
  });

  it('keeps the narrower of the entry and the rule, read on the callee wall clock (§12)', async () => {
    const campaign = await openCampaign({ rules: [hours('federal', '08:00', '21:00')] });
    await campaign.addPhones(
      [{ phone: NEW_YORK, gmtZone: 'America/New_York', allowedTime: daily('06:00', '09:00') }],
      { now: NY_0700 },
    );
    const task = await campaign.next(NY_0800);
    expect(task?.readyAt).toBe(NY_0800);
    expect(task?.windowEnd).toBe(NY_0800 + 3_600_000);
  });

  it('applies a rule with appliesTo only to phones of the places it names (§12)', async () => {
    const campaign = await openCampaign({
      rules: [hours('florida', '08:00', '20:00', { regions: ['US-FL'] })],
      defaults: { gmtZone: 'America/New_York' },
    });
    await campaign.addPhones([{ phone: NEW_YORK }, { phone: MIAMI }], { now: NY_0700 });
    expect((await campaign.job('1'))?.state).toBe('ready');
    expect((await campaign.job('2'))?.state).toBe('waiting');
    expect((await campaign.job('2'))?.nextAttemptAt).toBe(NY_0800);
  });

  it('applies a placed rule to a phone whose place its number cannot tell (§12: the safe side)', async () => {
    const campaign = await openCampaign({
      rules: [hours('florida', '08:00', '20:00', { regions: ['US-FL'] })],
      defaults: { gmtZone: 'America/New_York' },
    });
    await campaign.addPhones([{ phone: '100' }], { now: NY_0700 });
    expect((await campaign.job('1'))?.state).toBe('waiting');
  });

  it('applies the rules of the number to a redial, whose fields come from the defaults (§12, §7)', async () => {
    const campaign = await openCampaign({
      rules: [hours('florida', '08:00', '21:00', { regions: ['US-FL'] })],
      leaseTimeoutMs: 86_400_000,
    });
    await campaign.addPhones([{ phone: MIAMI, gmtZone: 'America/New_York' }], { now: NY_0800 });
    const task = (await campaign.next(NY_0800))!;
    // Reported at 21:30 local: the redial (06:00-23:00 of its own) waits for 08:00 the next morning.
    const late = NY_2100 + 1_800_000;
    const redialId = (await campaign.redial(task, { allowedTime: daily('06:00', '23:00') }, late))!;
    await campaign.complete(task, late);
    expect((await campaign.job(redialId))?.nextAttemptAt).toBe(NY_0800 + 86_400_000);
    expect(await campaign.next(late + 60_000)).toBeUndefined();
  });

  it('accepts the built-in US rules as they are (§12)', async () => {
    const campaign = await openCampaign({ rules: US_RULES });
    await campaign.addPhones([{ phone: MIAMI, gmtZone: 'America/New_York' }], { now: NY_0700 });
    expect((await campaign.job('1'))?.state).toBe('waiting');
  });

  it('rejects a bad rules option with issues under rules (§12, §2)', async () => {
    const error = await rejected(
      openCampaign({ rules: [{ name: 'a', allowedDays: ['funday'] }] as unknown as CallingRule[] }),
    );
    expect(error.issues[0]?.path.slice(0, 2)).toEqual(['rules', 0]);
    expect(error.issues[0]?.code).toBe('invalid.allowed.days');
  });
});

describe('snapshots with calling rules (§9, §12)', () => {
  it('restores holidays and blackout dates exactly: the same windows and the same next snapshot (§9, §12)', async () => {
    const options = {
      rules: [...US_RULES, JULY_4],
      defaults: { maxAttempts: 20, retryIntervalInMinutes: 600 },
    };
    const original = await openCampaign(options);
    // Monday 2024-02-12, 07:00 in New Orleans: Mardi Gras is the next day.
    const t0 = at('2024-02-12T13:00:00Z');
    await original.addPhones(
      [
        { phone: NEW_ORLEANS, gmtZone: 'America/Chicago' },
        { phone: NEW_YORK, gmtZone: 'America/New_York', startDateTime: '2024-07-03T09:00:00' },
      ],
      { now: t0 },
    );
    const snapshot = await throughJson(original);
    expect(snapshot.options.rules).toEqual(JSON.parse(JSON.stringify(options.rules)));
    const restored = await restoreCampaign(snapshot);
    expect(await throughJson(restored)).toEqual(snapshot);
    const expected = await servedWindows(original, t0, 160);
    // Louisiana: no call on Mardi Gras nor on a Sunday; New York: none on 4 July.
    const louisiana = expected.filter(([id]) => id === '1').map(([, t]) => localDate(t, 'America/Chicago'));
    expect(louisiana).toContain('2024-02-12');
    expect(louisiana).not.toContain('2024-02-13');
    const newYork = expected.filter(([id]) => id === '2').map(([, t]) => localDate(t, 'America/New_York'));
    expect(newYork).toContain('2024-07-03');
    expect(newYork).not.toContain('2024-07-04');
    expect(await servedWindows(restored, t0, 160)).toEqual(expected);
    expect(await throughJson(restored)).toEqual(await throughJson(original));
  });
});
