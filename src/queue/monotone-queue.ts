import { KeyHeap } from './key-heap.js';

/**
 * A min-queue of integer ids by one numeric key, for keys that are mostly pushed in non-decreasing
 * order (a lease deadline is `now + leaseTimeoutMs`, and `now` never goes back): those go to a FIFO
 * ring in O(1); a key smaller than the last one pushed goes to a heap. `peek` and `pop` take the
 * smaller head of the two; ties on the key go by id.
 *
 * Like `KeyHeap`, entries are not removed from the middle: owners check the head against their own
 * state and pop stale entries, and may `compact` away the stale ones in bulk.
 */
export class MonotoneQueue {
  #ids: Int32Array;
  #keys: Float64Array;
  /** Ring buffer: entries live at `(#head + k) & (capacity - 1)` for `k < #size`. */
  #head = 0;
  #size = 0;
  #lastKey = Number.NEGATIVE_INFINITY;
  #lastId = -1;
  readonly #outOfOrder = new KeyHeap(1, 16);

  /** `initialCapacity` is rounded up to a power of two. */
  constructor(initialCapacity = 64) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.#ids = new Int32Array(capacity);
    this.#keys = new Float64Array(capacity);
  }

  /** Number of entries, stale ones included. */
  get length(): number {
    return this.#size + this.#outOfOrder.length;
  }

  /** Adds an entry; ties on the key go by id, as in `KeyHeap`. */
  push(id: number, key: number): void {
    if (key < this.#lastKey || (key === this.#lastKey && id < this.#lastId)) {
      this.#outOfOrder.push(id, key);
      return;
    }
    if (this.#size === this.#ids.length) this.#grow();
    const slot = (this.#head + this.#size) & (this.#ids.length - 1);
    this.#ids[slot] = id;
    this.#keys[slot] = key;
    this.#size++;
    this.#lastKey = key;
    this.#lastId = id;
  }

  /** Key of the first entry, or `Infinity` when empty. */
  peekKey(): number {
    const ringKey = this.#size === 0 ? Number.POSITIVE_INFINITY : this.#keys[this.#head]!;
    return Math.min(ringKey, this.#outOfOrder.peekPrimary());
  }

  /** `peekKey`, under the name `KeyHeap` uses. */
  peekPrimary(): number {
    return this.peekKey();
  }

  /** 0: one key only (as a one-key `KeyHeap`). */
  peekSecondary(): number {
    return 0;
  }

  /** Id of the first entry, or -1 when empty. */
  peekId(): number {
    return this.#fromRing() ? this.#ids[this.#head]! : this.#outOfOrder.peekId();
  }

  /** Removes the first entry and returns its id, or -1 when empty. */
  pop(): number {
    if (!this.#fromRing()) return this.#outOfOrder.pop();
    const id = this.#ids[this.#head]!;
    this.#head = (this.#head + 1) & (this.#ids.length - 1);
    this.#size--;
    return id;
  }

  /** Keeps only the entries for which `isLive(id, key)` holds, in order. */
  compact(isLive: (id: number, key: number) => boolean): void {
    const mask = this.#ids.length - 1;
    let kept = 0;
    for (let k = 0; k < this.#size; k++) {
      const from = (this.#head + k) & mask;
      const id = this.#ids[from]!;
      const key = this.#keys[from]!;
      if (!isLive(id, key)) continue;
      const to = (this.#head + kept) & mask;
      this.#ids[to] = id;
      this.#keys[to] = key;
      kept++;
    }
    this.#size = kept;
    const heap = this.#outOfOrder;
    const live: [number, number][] = [];
    while (heap.length > 0) {
      const key = heap.peekPrimary();
      const id = heap.pop();
      if (isLive(id, key)) live.push([id, key]);
    }
    for (const [id, key] of live) heap.push(id, key);
  }

  /** Removes every entry. */
  clear(): void {
    this.#head = 0;
    this.#size = 0;
    this.#lastKey = Number.NEGATIVE_INFINITY;
    this.#lastId = -1;
    this.#outOfOrder.clear();
  }

  /** Whether the first entry is the ring's (ties by id, as in the heap). */
  #fromRing(): boolean {
    if (this.#size === 0) return false;
    const heap = this.#outOfOrder;
    if (heap.length === 0) return true;
    const ringKey = this.#keys[this.#head]!;
    const heapKey = heap.peekPrimary();
    return ringKey < heapKey || (ringKey === heapKey && this.#ids[this.#head]! <= heap.peekId());
  }

  #grow(): void {
    const capacity = this.#ids.length * 2;
    const mask = this.#ids.length - 1;
    const ids = new Int32Array(capacity);
    const keys = new Float64Array(capacity);
    for (let k = 0; k < this.#size; k++) {
      const from = (this.#head + k) & mask;
      ids[k] = this.#ids[from]!;
      keys[k] = this.#keys[from]!;
    }
    this.#ids = ids;
    this.#keys = keys;
    this.#head = 0;
  }
}
