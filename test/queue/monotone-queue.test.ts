import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MonotoneQueue } from '../../src/queue/monotone-queue.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 300);

describe('MonotoneQueue', () => {
  it('pops in the order of a stable sort by (key, id), whatever order the keys come in', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            {
              weight: 4,
              arbitrary: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 50 })),
            },
            { weight: 2, arbitrary: fc.constant('pop' as const) },
            { weight: 1, arbitrary: fc.constant('compact' as const) },
          ),
          { maxLength: 300 },
        ),
        (ops) => {
          const queue = new MonotoneQueue(2);
          let model: { id: number; key: number }[] = [];
          let key = 0;
          for (const op of ops) {
            if (op === 'pop') {
              const expected = model.shift();
              expect(queue.peekKey()).toBe(expected?.key ?? Number.POSITIVE_INFINITY);
              expect(queue.pop()).toBe(expected?.id ?? -1);
            } else if (op === 'compact') {
              // Drop odd ids, as an owner drops stale entries.
              queue.compact((id) => id % 2 === 0);
              model = model.filter((e) => e.id % 2 === 0);
            } else {
              // Mostly non-decreasing keys, sometimes a step back.
              const [step, id] = op;
              key = step === 0 ? key - 1 : key + step - 1;
              queue.push(id, key);
              model.push({ id, key });
              model.sort((a, b) => a.key - b.key || a.id - b.id);
            }
            expect(queue.length).toBe(model.length);
            expect(queue.peekId()).toBe(model[0]?.id ?? -1);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
