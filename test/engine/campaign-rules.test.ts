/** The campaign option `rules` (spec section 12): rules narrow each job's windows, by the phone's place. */
import { describe, expect, it } from 'vitest';
import { type CallingRule, Campaign, DialerError, US_RULES } from '../../src/index.js';

const at = (iso: string): number => Date.parse(iso);
/** A Monday, 2024-06-03, in New York (EDT, UTC-4). */
const NY_0700 = at('2024-06-03T11:00:00Z');
const NY_0800 = at('2024-06-03T12:00:00Z');
const NY_2100 = at('2024-06-04T01:00:00Z');
const NEW_YORK = '12125550123';
const MIAMI = '13055550123';

const hours = (name: string, from: string, to: string, where?: CallingRule['appliesTo']): CallingRule => ({
  name,
  ...(where === undefined ? {} : { appliesTo: where }),
  allowedTime: { default: [{ localTimeFrom: from, localTimeTo: to }] },
});

describe('campaign option rules (§12)', () => {
  it('holds a job whose own window is the whole day until the rule allows it (§12: a rule never widens)', () => {
    const campaign = new Campaign({ rules: [hours('federal', '08:00', '21:00')] });
    campaign.addPhones([{ phone: NEW_YORK, gmtZone: 'America/New_York' }], { now: NY_0700 });
    expect(campaign.job('1')?.state).toBe('waiting');
    expect(campaign.nextReadyAt(NY_0700)).toBe(NY_0800);
    expect(campaign.next(NY_0700)).toBeUndefined();
    expect(campaign.next(NY_0800)?.windowEnd).toBe(NY_2100);
  });

  it('keeps the narrower of the entry and the rule, read on the callee wall clock (§12)', () => {
    const campaign = new Campaign({ rules: [hours('federal', '08:00', '21:00')] });
    campaign.addPhones(
      [
        {
          phone: NEW_YORK,
          gmtZone: 'America/New_York',
          allowedTime: { default: [{ localTimeFrom: '06:00', localTimeTo: '09:00' }] },
        },
      ],
      { now: NY_0700 },
    );
    const task = campaign.next(NY_0800);
    expect(task?.readyAt).toBe(NY_0800);
    expect(task?.windowEnd).toBe(NY_0800 + 3_600_000);
  });

  it('applies a rule with appliesTo only to phones of the places it names (§12)', () => {
    const campaign = new Campaign({
      rules: [hours('florida', '08:00', '20:00', { regions: ['US-FL'] })],
      defaults: { gmtZone: 'America/New_York' },
    });
    campaign.addPhones([{ phone: NEW_YORK }, { phone: MIAMI }], { now: NY_0700 });
    expect(campaign.job('1')?.state).toBe('ready');
    expect(campaign.job('2')?.state).toBe('waiting');
    expect(campaign.job('2')?.nextAttemptAt).toBe(NY_0800);
  });

  it('applies a placed rule to a phone whose place its number cannot tell (§12: the safe side)', () => {
    const campaign = new Campaign({
      rules: [hours('florida', '08:00', '20:00', { regions: ['US-FL'] })],
      defaults: { gmtZone: 'America/New_York' },
    });
    campaign.addPhones([{ phone: '100' }], { now: NY_0700 });
    expect(campaign.job('1')?.state).toBe('waiting');
  });

  it('applies the rules to a redial, whose fields come from the defaults (§12, §7)', () => {
    const campaign = new Campaign({
      rules: [hours('federal', '08:00', '21:00')],
      leaseTimeoutMs: 86_400_000,
    });
    campaign.addPhones([{ phone: NEW_YORK, gmtZone: 'America/New_York' }], { now: NY_0800 });
    const task = campaign.next(NY_0800)!;
    // Reported at 21:30 local: the redial (06:00-23:00 of its own) waits for 08:00 the next morning.
    const late = NY_2100 + 1_800_000;
    const redialId = campaign.redial(
      task,
      { allowedTime: { default: [{ localTimeFrom: '06:00', localTimeTo: '23:00' }] } },
      late,
    )!;
    campaign.complete(task, late);
    expect(campaign.job(redialId)?.nextAttemptAt).toBe(NY_0800 + 86_400_000);
    expect(campaign.next(late + 60_000)).toBeUndefined();
  });

  it('accepts the built-in US rules as they are (§12)', () => {
    const campaign = new Campaign({ rules: US_RULES });
    campaign.addPhones([{ phone: MIAMI, gmtZone: 'America/New_York' }], { now: NY_0700 });
    expect(campaign.job('1')?.state).toBe('waiting');
  });

  it('rejects a bad rules option with issues under rules (§12, §2)', () => {
    let error: unknown;
    try {
      new Campaign({ rules: [{ name: 'a', allowedDays: ['funday'] }] as unknown as CallingRule[] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DialerError);
    expect((error as DialerError).issues[0]?.path.slice(0, 2)).toEqual(['rules', 0]);
  });
});
