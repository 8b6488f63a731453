/** The floor: a minimal binary heap of ids by one Float64 key (flatqueue's layout), no validation. */
export class FlatHeap {
  #ids: Int32Array;
  #keys: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.#ids = new Int32Array(capacity);
    this.#keys = new Float64Array(capacity);
  }

  push(id: number, key: number): void {
    let pos = this.length++;
    const ids = this.#ids;
    const keys = this.#keys;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const parentKey = keys[parent]!;
      if (key >= parentKey) break;
      ids[pos] = ids[parent]!;
      keys[pos] = parentKey;
      pos = parent;
    }
    ids[pos] = id;
    keys[pos] = key;
  }

  pop(): number {
    const ids = this.#ids;
    const keys = this.#keys;
    const top = ids[0]!;
    const last = --this.length;
    if (last > 0) {
      const id = ids[last]!;
      const key = keys[last]!;
      let pos = 0;
      const half = last >> 1;
      while (pos < half) {
        let child = 2 * pos + 1;
        if (child + 1 < last && keys[child + 1]! < keys[child]!) child++;
        if (keys[child]! >= key) break;
        ids[pos] = ids[child]!;
        keys[pos] = keys[child]!;
        pos = child;
      }
      ids[pos] = id;
      keys[pos] = key;
    }
    return top;
  }
}
