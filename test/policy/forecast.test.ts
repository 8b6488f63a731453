import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CallingRule,
  DialerError,
  FORECAST_EXAMPLES,
  forecast,
  nextCallWindow,
  type PolicyInput,
} from '../../src/index.js';
import { instantArb, policyArb } from '../oracles/window-arbitraries.js';

const at = (iso: string) => Date.parse(iso);
const hours = (from: string, to: string) => [{ localTimeFrom: from, localTimeTo: to }];
const span = { from: at('2026-12-01T00:00:00-05:00'), to: at('2026-12-08T00:00:00-05:00') };

describe('forecast', () => {
  it('counts the entries with no allowed instant in the span by the layers that block them throughout (§12)', () => {
    const rules: CallingRule[] = [{ name: 'evenings', allowedTime: { default: hours('18:00', '21:00') } }];
    const body = [
      { phone: '16500000001' },
      { phone: '16500000002', finishDateTime: '2026-11-30T00:00:00' },
      { phone: '16500000003', allowedTime: { default: hours('09:00', '12:00') } },
      { phone: '16500000004', startDateTime: '2026-12-20T09:00:00', allowedDays: ['sun'] },
      { phone: '16500000005', finishDateTime: '2026-11-29T00:00:00' },
    ];
    const result = forecast(body, { ...span, defaults: { gmtZone: 'America/New_York' }, rules });
    expect(result).toEqual({
      total: 5,
      callable: 1,
      uncallable: 4,
      byReason: [
        { layer: 'entry', code: 'after.finish', count: 2, examples: [1, 4] },
        { layer: 'combined', code: 'no.common.window', count: 1, examples: [2] },
        { layer: 'entry', code: 'before.start', count: 1, examples: [3] },
      ],
      rejectedEntries: 0,
      rejected: [],
      warnings: [],
    });
  });

  it('reports entries with errors in rejected, as addPhones with partial does, and counts the rest (§12, §2)', () => {
    const body = [{ phone: '12' }, { phone: '16500000001', allowedDay: ['mon'] }, { phone: '16500000002' }];
    const result = forecast(body, span);
    expect(result).toMatchObject({ total: 3, callable: 1, uncallable: 0, rejectedEntries: 2 });
    expect(result.rejected.map(({ index, code }) => ({ index, code }))).toEqual([
      { index: 0, code: 'phone.bad.format' },
      { index: 1, code: 'unknown.field' },
    ]);
  });

  it('applies the rules by the phone place, as a campaign does (§12)', () => {
    // Florida blacks out the whole week; other numbers are untouched.
    const rules: CallingRule[] = [
      {
        name: 'fl-closed',
        appliesTo: { regions: ['US-FL'] },
        allowedDays: ['sun'],
        allowedTime: { sun: hours('10:00', '11:00') },
      },
    ];
    const result = forecast([{ phone: '13055550123' }, { phone: '12125550123' }], {
      from: at('2026-12-01T00:00:00-05:00'),
      to: at('2026-12-05T00:00:00-05:00'),
      defaults: { gmtZone: 'America/New_York' },
      rules,
    });
    expect(result).toMatchObject({
      callable: 1,
      uncallable: 1,
      byReason: [{ layer: 'rule:fl-closed', code: 'outside.allowed.days', count: 1, examples: [0] }],
    });
  });

  it('names a holiday rule and the defaults for a span they block throughout (§12)', () => {
    const rules: CallingRule[] = [{ name: 'la', holidays: { country: 'US', region: 'US-LA' } }];
    const defaults: PolicyInput = { gmtZone: 'America/Chicago', allowedDays: ['mon', 'tue', 'wed'] };
    const body = [{ phone: '16500000001' }, { phone: '16500000002', allowedDays: ['tue'] }];
    const result = forecast(body, {
      from: at('2024-02-13T00:00:00-06:00'),
      to: at('2024-02-14T00:00:00-06:00'),
      defaults,
      rules,
    });
    expect(result.byReason).toEqual([{ layer: 'rule:la', code: 'holiday', count: 2, examples: [0, 1] }]);
    const thursday = forecast(body, {
      from: at('2024-02-15T00:00:00-06:00'),
      to: at('2024-02-16T00:00:00-06:00'),
      defaults,
      rules,
    });
    expect(thursday.byReason).toEqual([
      { layer: 'defaults', code: 'outside.allowed.days', count: 1, examples: [0] },
      { layer: 'entry', code: 'outside.allowed.days', count: 1, examples: [1] },
    ]);
  });

  it(`keeps the first ${FORECAST_EXAMPLES} indexes of a reason as examples (§12)`, () => {
    const body = Array.from({ length: 25 }, (_, i) => ({ phone: 16500000000 + i, finishDateTime: 0 }));
    const [reason] = forecast(body, span).byReason;
    expect(reason).toEqual({
      layer: 'entry',
      code: 'after.finish',
      count: 25,
      examples: Array.from({ length: FORECAST_EXAMPLES }, (_, i) => i),
    });
  });

  it('throws invalid.option for a span that is not one and for unknown options (§12, §2)', () => {
    const issuesOf = (options: unknown) => {
      try {
        forecast([], options as never);
      } catch (error) {
        if (error instanceof DialerError) return error.issues.map(({ path, code }) => ({ path, code }));
      }
      return [];
    };
    expect(issuesOf({ from: 10, to: 10 })).toEqual([{ path: ['to'], code: 'invalid.option' }]);
    expect(issuesOf({ from: 'now', to: 10, form: 1 })).toEqual([
      { path: ['form'], code: 'invalid.option' },
      { path: ['from'], code: 'invalid.option' },
    ]);
    expect(issuesOf({ ...span, rules: [{ name: '' }] })[0]).toMatchObject({ path: ['rules', 0, 'name'] });
    expect(issuesOf({ ...span, defaults: { allowedDays: [] } })[0]).toMatchObject({
      path: ['defaults', 'allowedDays'],
      code: 'invalid.allowed.days',
    });
  });

  it('counts as callable exactly the entries nextCallWindow finds a window for in the span (§12)', () => {
    fc.assert(
      fc.property(
        instantArb.chain((from) =>
          fc.record({
            from: fc.constant(from),
            lengthMs: fc.integer({ min: 1, max: 5 * 86_400_000 }),
            policies: fc.array(policyArb(from), { minLength: 1, maxLength: 5 }),
          }),
        ),
        ({ from, lengthMs, policies }) => {
          const valid = policies.filter((policy) => {
            try {
              nextCallWindow(policy as PolicyInput, from);
              return true;
            } catch {
              return false;
            }
          });
          const result = forecast(
            // Numbers the time-zone map does not know: UTC, as nextCallWindow reads a policy without a zone.
            valid.map((policy, i) => ({ ...policy, phone: 100 + i })),
            { from, to: from + lengthMs },
          );
          const callable = valid.filter((policy) => {
            const window = nextCallWindow(policy as PolicyInput, from);
            return window !== null && window.start < from + lengthMs;
          }).length;
          expect(result.callable).toBe(callable);
          expect(result.uncallable).toBe(valid.length - callable);
          expect(result.rejectedEntries).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
