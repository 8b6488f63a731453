/**
 * Values shared by many jobs (compiled schedules, policy keys), each stored once under a small integer
 * and counted: a value no job refers to any more is dropped and its integer reused, so the table
 * follows the jobs retained.
 */
export class Interner<T> {
  readonly #values: (T | undefined)[] = [];
  readonly #ids = new Map<T, number>();
  readonly #refs: number[] = [];
  readonly #free: number[] = [];

  /** The value of `id` (which must be in use). */
  get(id: number): T {
    return this.#values[id] as T;
  }

  /** The id of `value`, or -1 when it is not held. */
  idOf(value: T): number {
    return this.#ids.get(value) ?? -1;
  }

  /** The id of `value`, added when new, with one more reference. */
  acquire(value: T): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.#free.pop() ?? this.#values.length;
      this.#values[id] = value;
      this.#refs[id] = 0;
      this.#ids.set(value, id);
    }
    this.#refs[id]!++;
    return id;
  }

  /** Drops one reference to `id`; the value goes when none is left. */
  release(id: number): void {
    if (--this.#refs[id]! > 0) return;
    this.#ids.delete(this.#values[id] as T);
    this.#values[id] = undefined;
    this.#free.push(id);
  }

  /** Number of values held. */
  get size(): number {
    return this.#ids.size;
  }
}
