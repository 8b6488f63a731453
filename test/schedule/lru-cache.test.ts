import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/schedule/lru-cache.js';

type Op =
  | { readonly kind: 'set'; readonly key: number; readonly value: number }
  | { readonly kind: 'get'; readonly key: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 40 }), value: fc.integer() }),
  fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 40 }) }),
);

describe('LruCache', () => {
  it('evicts the least recently used key when a new key would exceed the capacity', () => {
    const cache = new LruCache<string, number>(4);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) cache.set(key, i);
    cache.set('e', 4);
    expect(cache.size).toBe(4);
    expect(cache.get('a')).toBeUndefined();
    // 'b' is in the older half: reading it makes it the most recently used, so 'c' goes next.
    expect(cache.get('b')).toBe(1);
    cache.set('f', 5);
    expect(cache.get('c')).toBeUndefined();
    expect([cache.get('b'), cache.get('d'), cache.get('e'), cache.get('f')]).toEqual([1, 3, 4, 5]);
  });

  it('replaces the value of a kept key without growing', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('rejects a capacity that is not an integer >= 1', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
    expect(() => new LruCache(1.5)).toThrow(RangeError);
  });

  it('stays within its capacity, returns the last value set, and keeps every recently used key', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(opArb, { maxLength: 300 }), (capacity, ops) => {
        const cache = new LruCache<number, number>(capacity);
        // The model: the last value set per key, and the keys in order of last use (set, or get that hit).
        const values = new Map<number, number>();
        let uses: number[] = [];
        // A key is kept while fewer than capacity - floor(capacity / 2) other keys were used after it.
        const kept = capacity - Math.floor(capacity / 2);
        for (const op of ops) {
          if (op.kind === 'set') {
            cache.set(op.key, op.value);
            values.set(op.key, op.value);
            uses = [...uses.filter((k) => k !== op.key), op.key];
          } else {
            const got = cache.get(op.key);
            if (got !== undefined) {
              expect(got).toBe(values.get(op.key));
              uses = [...uses.filter((k) => k !== op.key), op.key];
            }
          }
          expect(cache.size).toBeLessThanOrEqual(capacity);
          for (const key of uses.slice(-kept)) expect(cache.get(key)).toBe(values.get(key));
        }
      }),
    );
  });
});
