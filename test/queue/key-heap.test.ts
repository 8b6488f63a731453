import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyHeap } from '../../src/queue/key-heap.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 300);
const keyArb = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double({ noNaN: true }),
);

describe('KeyHeap (spec §5 queue order)', () => {
  it('pops in the order of a stable sort by (primary, secondary, id), across interleaved pushes and pops', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1 as const, 2 as const),
        fc.array(fc.oneof(fc.tuple(keyArb, keyArb), fc.constant('pop' as const)), { maxLength: 300 }),
        (keyCount, ops) => {
          const heap = new KeyHeap(keyCount, 2);
          // The oracle: an array kept in order by a plain sort after each push.
          let model: { id: number; primary: number; secondary: number }[] = [];
          let nextId = 0;
          for (const op of ops) {
            if (op === 'pop') {
              const expected = model.shift();
              expect(heap.pop()).toBe(expected?.id ?? -1);
            } else {
              const [primary, secondary] = op;
              const id = nextId++;
              heap.push(id, primary, secondary);
              model.push({ id, primary, secondary: keyCount === 2 ? secondary : 0 });
              model = model.sort((a, b) =>
                a.primary !== b.primary
                  ? a.primary < b.primary
                    ? -1
                    : 1
                  : a.secondary !== b.secondary
                    ? a.secondary < b.secondary
                      ? -1
                      : 1
                    : a.id - b.id,
              );
            }
            expect(heap.length).toBe(model.length);
            expect(heap.peekId()).toBe(model[0]?.id ?? -1);
            expect(heap.peekPrimary()).toBe(model[0]?.primary ?? Number.POSITIVE_INFINITY);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('breaks ties by id, so equal keys come out in insertion order of ids', () => {
    const heap = new KeyHeap(2);
    for (const id of [5, 3, 9, 1]) heap.push(id, 1, 2);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual([1, 3, 5, 9, -1]);
  });

  it.each([1, 2] as const)('keeps every entry of a heap made with capacity 0 (%i keys)', (keyCount) => {
    const heap = new KeyHeap(keyCount, 0);
    for (let id = 0; id < 100; id++) heap.push(id, 100 - id, 0);
    const popped = Array.from({ length: 101 }, () => heap.pop());
    expect(popped).toEqual([...Array.from({ length: 100 }, (_, k) => 99 - k), -1]);
  });
});
