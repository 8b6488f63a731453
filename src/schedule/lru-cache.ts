/**
 * A map that keeps at most `capacity` entries, evicting the least recently used one when a new key
 * would exceed it. Bounds the module-level caches of compiled schedules, weekly windows, zones and zone
 * chunks whatever the input, while a working set below the capacity keeps hitting.
 *
 * Recency is kept cheaply: a `get` moves its entry to the back of the order only when the entry is in
 * the older half (half the capacity or more moves happened since it was last moved), so a hit in the
 * recent half is a single map lookup. Hence an entry is evicted only after at least
 * `capacity / 2 - 1` other keys were inserted or moved since its last use: a working set of up to
 * `capacity / 2` keys never misses once loaded, and the next to go is the least recently moved entry.
 */
export class LruCache<K, V> {
  /** The most entries kept. */
  readonly capacity: number;
  readonly #half: number;
  /** Insertion order is recency order: the first key is the least recently moved. */
  readonly #entries = new Map<K, Slot<V>>();
  /** Moves to the back so far; a slot's `moved` is this count when it was last moved. */
  #moves = 0;

  /** @param capacity The most entries kept, an integer >= 1. */
  constructor(capacity: number) {
    if (!(Number.isSafeInteger(capacity) && capacity >= 1))
      throw new RangeError(`LruCache capacity ${capacity} is not an integer >= 1.`);
    this.capacity = capacity;
    this.#half = Math.max(1, Math.floor(capacity / 2));
  }

  /** Entries kept now, at most `capacity`. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value of `key`, counted as a use, or `undefined` when it is not kept. */
  get(key: K): V | undefined {
    const slot = this.#entries.get(key);
    if (slot === undefined) return undefined;
    if (this.#moves - slot.moved >= this.#half) {
      // Older half: move it to the back, so that it is not the next evicted.
      this.#entries.delete(key);
      slot.moved = ++this.#moves;
      this.#entries.set(key, slot);
    }
    return slot.value;
  }

  /** Keeps `value` for `key` as the most recently used, evicting the least recently used when full. */
  set(key: K, value: V): void {
    const entries = this.#entries;
    if (!entries.delete(key) && entries.size >= this.capacity) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) entries.delete(oldest.value);
    }
    entries.set(key, { value, moved: ++this.#moves });
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.clear();
  }
}

interface Slot<V> {
  readonly value: V;
  moved: number;
}
