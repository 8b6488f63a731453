import { describe, expect, it } from 'vitest';
import { type CallingRule, DialerError, explainCall, type PolicyInput } from '../../src/index.js';

const NY = 'America/New_York';
const at = (iso: string) => Date.parse(iso);
const hours = (from: string, to: string) => [{ localTimeFrom: from, localTimeTo: to }];

describe('explainCall', () => {
  it('names the entry when its own hours alone block, until they open (§12)', () => {
    const policy: PolicyInput = { gmtZone: NY, allowedTime: { default: hours('09:00', '17:00') } };
    const explanation = explainCall(policy, at('2026-12-01T20:30:00-05:00'));
    expect(explanation).toEqual({
      callable: false,
      nextAttemptAt: at('2026-12-02T09:00:00-05:00'),
      reasons: [
        {
          code: 'outside.allowed.time',
          layer: 'entry',
          message:
            '20:30 on tue in America/New_York is outside the hours of the entry for tue (09:00-17:00); it next allows a call at 2026-12-02T09:00:00-05:00.',
          untilMs: at('2026-12-02T09:00:00-05:00'),
        },
      ],
    });
  });

  it('names the entry when its own allowedDays leave the local weekday out (§12)', () => {
    const policy: PolicyInput = { gmtZone: NY, allowedDays: ['mon', 'tue'] };
    const [reason] = explainCall(policy, at('2026-12-05T12:00:00-05:00')).reasons;
    expect(reason).toMatchObject({
      code: 'outside.allowed.days',
      layer: 'entry',
      untilMs: at('2026-12-07T00:00:00-05:00'),
    });
    expect(reason?.message).toMatchInlineSnapshot(
      `"sat in America/New_York is not one of the allowedDays of the entry (mon, tue); it next allows a call at 2026-12-07T00:00:00-05:00."`,
    );
  });

  it('gives before.start until the start and after.finish with no untilMs (§12)', () => {
    const policy: PolicyInput = {
      gmtZone: NY,
      startDateTime: '2026-12-03T10:00:00',
      finishDateTime: '2026-12-10T18:00:00',
    };
    expect(explainCall(policy, at('2026-12-01T12:00:00-05:00')).reasons).toMatchObject([
      { code: 'before.start', layer: 'entry', untilMs: at('2026-12-03T10:00:00-05:00') },
    ]);
    expect(explainCall(policy, at('2026-12-10T18:00:00-05:00'))).toMatchObject({
      callable: false,
      nextAttemptAt: null,
      reasons: [{ code: 'after.finish', layer: 'entry', untilMs: null }],
    });
  });

  it('names the defaults for inherited hours, opening at 03:00 on the day DST skips 02:00-03:00 (§12, §3)', () => {
    const defaults: PolicyInput = { gmtZone: NY, allowedTime: { default: hours('02:30', '04:00') } };
    const explanation = explainCall({ allowedDays: ['sun'] }, at('2024-03-10T06:00:00Z'), { defaults });
    expect(explanation.reasons).toMatchObject([
      { code: 'outside.allowed.time', layer: 'defaults', untilMs: at('2024-03-10T07:00:00Z') },
    ]);
    expect(explanation.nextAttemptAt).toBe(at('2024-03-10T07:00:00Z'));
  });

  it('names the defaults for an inherited finish and their allowedDays, each until it allows (§12)', () => {
    const defaults: PolicyInput = {
      gmtZone: NY,
      allowedDays: ['mon'],
      finishDateTime: '2026-12-31T00:00:00',
    };
    expect(explainCall({}, at('2026-12-01T12:00:00-05:00'), { defaults }).reasons).toMatchObject([
      { code: 'outside.allowed.days', layer: 'defaults', untilMs: at('2026-12-07T00:00:00-05:00') },
    ]);
    expect(explainCall({}, at('2027-01-04T12:00:00-05:00'), { defaults }).reasons).toMatchObject([
      { code: 'after.finish', layer: 'defaults', untilMs: null },
    ]);
  });

  it('names a holiday rule on Mardi Gras in Louisiana, until the next morning (§12)', () => {
    const rules: CallingRule[] = [
      {
        name: 'la',
        allowedTime: { default: hours('08:00', '20:00') },
        holidays: { country: 'US', region: 'US-LA' },
      },
    ];
    const explanation = explainCall({ gmtZone: 'America/Chicago' }, at('2024-02-13T12:00:00-06:00'), {
      rules,
    });
    expect(explanation.reasons).toEqual([
      {
        code: 'holiday',
        layer: 'rule:la',
        message:
          '2024-02-13 in America/Chicago is a public holiday in US-LA, which rule "la" blacks out; it next allows a call at 2024-02-14T08:00:00-06:00.',
        untilMs: at('2024-02-14T08:00:00-06:00'),
      },
    ]);
  });

  it('names a rule for its blackout dates and its hours, each layer on its own (§12)', () => {
    const rules: CallingRule[] = [
      { name: 'quiet', blackoutDates: ['2026-12-24', '2026-12-25'] },
      { name: 'hours', allowedTime: { default: hours('10:00', '20:00') } },
    ];
    const explanation = explainCall({ gmtZone: NY }, at('2026-12-24T08:00:00-05:00'), { rules });
    expect(explanation.reasons).toMatchObject([
      { code: 'blackout.date', layer: 'rule:quiet', untilMs: at('2026-12-26T00:00:00-05:00') },
      { code: 'outside.allowed.time', layer: 'rule:hours', untilMs: at('2026-12-24T10:00:00-05:00') },
    ]);
    expect(explanation.nextAttemptAt).toBe(at('2026-12-26T10:00:00-05:00'));
  });

  it('blames no one for the after-midnight part of an inherited overnight interval (§12, §3)', () => {
    const defaults: PolicyInput = { gmtZone: NY, allowedTime: { default: hours('20:00', '03:00') } };
    const policy: PolicyInput = { allowedTime: { tue: hours('09:00', '17:00') } };
    // Monday's 20:00-03:00 allows Tuesday 02:00, whatever Tuesday's own hours.
    expect(explainCall(policy, at('2026-12-01T02:00:00-05:00'), { defaults })).toEqual({
      callable: true,
      nextAttemptAt: at('2026-12-01T02:00:00-05:00'),
      reasons: [],
    });
    expect(explainCall(policy, at('2026-12-01T04:00:00-05:00'), { defaults }).reasons).toMatchObject([
      { code: 'outside.allowed.time', layer: 'entry', untilMs: at('2026-12-01T09:00:00-05:00') },
    ]);
  });

  it('lists no reasons when a call is allowed, with nextAttemptAt the instant itself (§12)', () => {
    const t = at('2026-12-01T12:00:00-05:00');
    expect(explainCall({ gmtZone: NY }, t, { rules: [{ name: 'day', allowedDays: ['tue'] }] })).toEqual({
      callable: true,
      nextAttemptAt: t,
      reasons: [],
    });
  });

  it('throws invalid.option for an instant that is not one, and the entry codes for a bad policy (§2)', () => {
    expect(() => explainCall({}, Number.NaN)).toThrow(DialerError);
    expect(() => explainCall({ allowedDays: ['monday'] } as unknown as PolicyInput, 0)).toThrow(
      /invalid\.allowed\.days/,
    );
  });
});
