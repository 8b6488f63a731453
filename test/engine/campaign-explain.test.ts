import { describe, expect, it } from 'vitest';
import { type CallingRule, Campaign, US_RULES } from '../../src/index.js';

const at = (iso: string) => Date.parse(iso);

describe('Campaign.explain with rules', () => {
  it('names the rules that apply to the phone by its place, and only those (§12)', () => {
    const campaign = new Campaign({ rules: US_RULES, defaults: { gmtZone: 'America/New_York' } });
    const now = at('2026-12-01T20:30:00-05:00');
    const { jobIds } = campaign.addPhones([{ phone: '13055550123' }, { phone: '12125550123' }], { now });
    // Florida allows 08:00-20:00; New York only has the federal 08:00-21:00.
    expect(campaign.explain(jobIds[0]!, now)).toMatchObject({
      state: 'waiting',
      callable: false,
      nextAttemptAt: at('2026-12-02T08:00:00-05:00'),
      reasons: [
        {
          code: 'outside.allowed.time',
          layer: 'rule:us-fl-calling-hours',
          untilMs: at('2026-12-02T08:00:00-05:00'),
        },
      ],
    });
    expect(campaign.explain(jobIds[1]!, now)).toMatchObject({ state: 'ready', callable: true, reasons: [] });
  });

  it('names a holiday rule for a redial and a test phone, as for an entry (§12)', () => {
    const rules: CallingRule[] = [{ name: 'xmas', blackoutDates: ['2026-12-25'] }];
    const campaign = new Campaign({ rules, defaults: { gmtZone: 'America/New_York' } });
    const now = at('2026-12-24T12:00:00-05:00');
    const test = campaign.addTestPhone({ phone: '100', startDateTime: '2026-12-25T00:00:00' }, { now });
    campaign.addPhones([{ phone: '200' }], { now });
    const task = campaign.next(now)!;
    const redial = campaign.redial(task, { startDateTime: '2026-12-25T10:00:00' }, now)!;
    campaign.complete(task, now);
    for (const id of [test, redial]) {
      expect(campaign.explain(id, at('2026-12-25T11:00:00-05:00'))?.reasons).toMatchObject([
        { code: 'blackout.date', layer: 'rule:xmas', untilMs: at('2026-12-26T00:00:00-05:00') },
      ]);
    }
  });
});
