/**
 * A binary min-heap of integer ids ordered by one or two numeric keys, then by id: a total order, so
 * entries with equal keys come out in id order. Keys and ids live in typed arrays (no object per entry),
 * which keeps a heap of a million entries small and fast.
 *
 * Entries are not removed from the middle: owners check the top against their own state and pop stale
 * entries (lazy deletion).
 */
export class KeyHeap {
  readonly #twoKeys: boolean;
  #primary: Float64Array;
  #secondary: Float64Array;
  #ids: Int32Array;
  #length = 0;

  /** `keyCount` is 1 or 2; the second key breaks ties of the first. */
  constructor(keyCount: 1 | 2 = 1, initialCapacity = 64) {
    this.#twoKeys = keyCount === 2;
    this.#primary = new Float64Array(initialCapacity);
    this.#secondary = new Float64Array(this.#twoKeys ? initialCapacity : 0);
    this.#ids = new Int32Array(initialCapacity);
  }

  /** Number of entries, stale ones included. */
  get length(): number {
    return this.#length;
  }

  /** Adds an entry. Keys may be `±Infinity`, never NaN; `secondary` is ignored by one-key heaps. */
  push(id: number, primary: number, secondary = 0): void {
    if (this.#length === this.#ids.length) this.#grow();
    const p = this.#primary;
    const s = this.#secondary;
    const ids = this.#ids;
    const two = this.#twoKeys;
    if (!two) secondary = 0;
    let pos = this.#length++;
    // Sift up: move parents down while the new entry is smaller.
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pp = p[parent]!;
      if (pp < primary) break;
      if (pp === primary) {
        const ps = two ? s[parent]! : 0;
        if (ps < secondary || (ps === secondary && ids[parent]! < id)) break;
      }
      p[pos] = pp;
      if (two) s[pos] = s[parent]!;
      ids[pos] = ids[parent]!;
      pos = parent;
    }
    p[pos] = primary;
    if (two) s[pos] = secondary;
    ids[pos] = id;
  }

  /** Id of the smallest entry, or -1 when empty. */
  peekId(): number {
    return this.#length === 0 ? -1 : this.#ids[0]!;
  }

  /** Primary key of the smallest entry, or `Infinity` when empty. */
  peekPrimary(): number {
    return this.#length === 0 ? Number.POSITIVE_INFINITY : this.#primary[0]!;
  }

  /** Secondary key of the smallest entry (0 for one-key heaps), or `Infinity` when empty. */
  peekSecondary(): number {
    return this.#length === 0 ? Number.POSITIVE_INFINITY : this.#twoKeys ? this.#secondary[0]! : 0;
  }

  /** Id of the entry in heap slot `slot` (0 <= slot < length), in no particular order: for scans. */
  idAt(slot: number): number {
    return this.#ids[slot]!;
  }

  /** Primary key of the entry in heap slot `slot`. */
  primaryAt(slot: number): number {
    return this.#primary[slot]!;
  }

  /** Removes the smallest entry and returns its id, or -1 when empty. */
  pop(): number {
    if (this.#length === 0) return -1;
    const p = this.#primary;
    const s = this.#secondary;
    const ids = this.#ids;
    const two = this.#twoKeys;
    const top = ids[0]!;
    const last = --this.#length;
    if (last === 0) return top;
    const primary = p[last]!;
    const secondary = two ? s[last]! : 0;
    const id = ids[last]!;
    let pos = 0;
    const half = last >> 1;
    // Sift down: move the smaller child up while it is smaller than the moving entry.
    while (pos < half) {
      let child = 2 * pos + 1;
      const right = child + 1;
      if (right < last && this.#less(right, child)) child = right;
      const cp = p[child]!;
      if (cp > primary) break;
      if (cp === primary) {
        const cs = two ? s[child]! : 0;
        if (cs > secondary || (cs === secondary && ids[child]! > id)) break;
      }
      p[pos] = cp;
      if (two) s[pos] = s[child]!;
      ids[pos] = ids[child]!;
      pos = child;
    }
    p[pos] = primary;
    if (two) s[pos] = secondary;
    ids[pos] = id;
    return top;
  }

  /** Removes every entry. */
  clear(): void {
    this.#length = 0;
  }

  /** Whether the entry at slot `a` comes before the one at slot `b`. */
  #less(a: number, b: number): boolean {
    const p = this.#primary;
    if (p[a]! !== p[b]!) return p[a]! < p[b]!;
    if (this.#twoKeys) {
      const s = this.#secondary;
      if (s[a]! !== s[b]!) return s[a]! < s[b]!;
    }
    return this.#ids[a]! < this.#ids[b]!;
  }

  #grow(): void {
    // A heap made with capacity 0 must still grow.
    const capacity = Math.max(16, this.#ids.length * 2);
    const grow = (old: Float64Array, isUsed: boolean) => {
      const next = new Float64Array(isUsed ? capacity : 0);
      next.set(old);
      return next;
    };
    this.#primary = grow(this.#primary, true);
    this.#secondary = grow(this.#secondary, this.#twoKeys);
    const ids = new Int32Array(capacity);
    ids.set(this.#ids);
    this.#ids = ids;
  }
}
