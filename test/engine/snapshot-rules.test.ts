/** Snapshots of campaigns with calling rules (spec sections 9 and 12): what the in-memory restore reads. */
import { describe, expect, it } from 'vitest';
import { type CallingRule, Campaign, US_RULES } from '../../src/index.js';
import { at, DAY_MS, daily, HOUR_MS, thrown } from './helpers.js';

const clock = () => {
  throw new Error('the test forgot to pass `now`');
};
/** A JSON round trip of a snapshot, as a store would do. */
const throughJson = (campaign: Campaign) => JSON.parse(JSON.stringify(campaign.snapshot()));

/** New Orleans: US_RULES blacks out Louisiana's holidays (Mardi Gras, 2024-02-13). */
const NEW_ORLEANS = '15045550123';
const NEW_YORK = '12125550123';
const JULY_4: CallingRule = { name: 'july-4', blackoutDates: ['2024-07-04'] };
const EVENINGS: CallingRule = { name: 'evenings', allowedTime: daily('17:00', '20:00') };

/** Every window a campaign's jobs are served in from `fromMs` for `days` days, reporting each call failed. */
function servedWindows(campaign: Campaign, fromMs: number, days: number): [string, number, number][] {
  const served: [string, number, number][] = [];
  let t = fromMs;
  while (t < fromMs + days * DAY_MS) {
    for (let task = campaign.next(t); task !== undefined; task = campaign.next(t)) {
      served.push([task.jobId, t, task.windowEnd]);
      campaign.fail(task, t);
    }
    const readyAt = campaign.nextReadyAt(t);
    if (readyAt === undefined) break;
    t = Math.max(readyAt, t + 1);
  }
  return served;
}

describe('snapshots with calling rules (§9, §12)', () => {
  it('restores the rules and the blackout days of each schedule exactly (§9, §12)', () => {
    const options = {
      rules: [...US_RULES, JULY_4],
      defaults: { maxAttempts: 20, retryIntervalInMinutes: 600 },
      clock,
    };
    const original = new Campaign(options);
    // Monday 2024-02-12, 07:00 in New Orleans: Mardi Gras is the next day.
    const t0 = at('2024-02-12T13:00:00Z');
    original.addPhones(
      [
        { phone: NEW_ORLEANS, gmtZone: 'America/Chicago' },
        { phone: NEW_YORK, gmtZone: 'America/New_York', startDateTime: '2024-07-03T09:00:00' },
      ],
      { now: t0 },
    );
    const snapshot = throughJson(original);
    expect(snapshot.version).toBe(3);
    expect(snapshot.options.rules).toEqual(JSON.parse(JSON.stringify(options.rules)));
    expect(snapshot.blackouts.length).toBeGreaterThan(0);
    const restored = Campaign.restore(snapshot, { clock });
    expect(throughJson(restored)).toEqual(snapshot);
    const expected = servedWindows(original, t0, 160);
    // Louisiana: no call on Mardi Gras (local 2024-02-13) nor on a Sunday; New York: none on 4 July.
    const local = (ms: number, zone: string) => new Date(ms).toLocaleDateString('en-CA', { timeZone: zone });
    expect(expected.some(([id, t]) => id === '1' && local(t, 'America/Chicago') === '2024-02-13')).toBe(
      false,
    );
    expect(expected.some(([id, t]) => id === '2' && local(t, 'America/New_York') === '2024-07-04')).toBe(
      false,
    );
    expect(expected.some(([id]) => id === '2')).toBe(true);
    expect(servedWindows(restored, t0, 160)).toEqual(expected);
    expect(throughJson(restored)).toEqual(throughJson(original));
  });

  it('keeps the stored schedules of jobs when restore is given other rules, and applies those to new entries (§9, §12)', () => {
    const original = new Campaign({ rules: [EVENINGS], defaults: { gmtZone: 'Europe/London' }, clock });
    // 10:00 in London.
    const t0 = at('2024-06-03T09:00:00Z');
    original.addPhones([{ phone: '442070000001' }], { now: t0 });
    const restored = Campaign.restore(throughJson(original), { rules: [JULY_4], clock });
    restored.addPhones([{ phone: '442070000002' }], { now: t0 });
    // The job added before keeps its evenings; the new one has no hours rule.
    expect(restored.job('1')?.nextAttemptAt).toBe(at('2024-06-03T16:00:00Z'));
    expect(restored.job('2')?.state).toBe('ready');
    expect(restored.snapshot().options.rules).toEqual([JULY_4]);
  });

  it('restores a version 2 snapshot, which has no rules (§9)', () => {
    const original = new Campaign({
      defaults: { gmtZone: 'Asia/Tokyo', allowedTime: daily('09:00', '18:00') },
      clock,
    });
    const t0 = at('2024-06-03T00:00:00Z');
    original.addPhones([{ phone: '81300000001' }, { phone: '81300000002', dialerPriority: 1 }], { now: t0 });
    const v3 = throughJson(original);
    const { rules: _rules, ...options } = v3.options;
    const { blackouts: _blackouts, ...rest } = v3;
    const v2 = {
      ...rest,
      version: 2,
      options,
      schedules: v3.schedules.map(({ blackout: _b, ...schedule }: { blackout: null }) => schedule),
    };
    const restored = Campaign.restore(v2, { clock });
    expect(throughJson(restored)).toEqual(v3);
    expect(restored.next(t0 + HOUR_MS)?.jobId).toBe('2');
  });

  it('rejects a version 2 snapshot that carries rules or blackout days with invalid.snapshot (§9)', () => {
    const original = new Campaign({ rules: [JULY_4], clock });
    original.addPhones([{ phone: NEW_YORK }], { now: at('2024-06-03T00:00:00Z') });
    const snapshot = { ...throughJson(original), version: 2 };
    const issues = thrown(() => Campaign.restore(snapshot)).issues;
    expect(issues.map((i) => [i.code, i.path])).toContainEqual(['invalid.snapshot', ['snapshot', 'version']]);
  });

  it('rejects a blackout key that is not canonical, or a schedule naming no set, with invalid.snapshot (§9)', () => {
    const original = new Campaign({ rules: [JULY_4], clock });
    original.addPhones([{ phone: NEW_YORK }], { now: at('2024-06-03T00:00:00Z') });
    const snapshot = throughJson(original);
    snapshot.blackouts[0] = `${snapshot.blackouts[0]}0`;
    snapshot.schedules[0].blackout = 1;
    const paths = thrown(() => Campaign.restore(snapshot)).issues.map((i) => i.path);
    expect(paths).toEqual([
      ['snapshot', 'blackouts', 0],
      ['snapshot', 'schedules', 0, 'blackout'],
    ]);
  });

  it('rejects saved rules that are not valid with invalid.snapshot under options.rules (§9, §12)', () => {
    const original = new Campaign({ rules: [JULY_4], clock });
    const snapshot = throughJson(original);
    snapshot.options.rules = [{ name: 'a' }, { name: 'a' }];
    const issues = thrown(() => Campaign.restore(snapshot)).issues;
    expect(issues.map((i) => [i.code, i.path.slice(0, 4)])).toEqual([
      ['invalid.snapshot', ['snapshot', 'options', 'rules', 1]],
    ]);
  });
});
