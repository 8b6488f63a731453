/**
 * The phones of a campaign, each with its attempts over all series and its most recent job: typed
 * arrays and an open-addressing hash on the phone's value, about 25 bytes a phone (a Map of strings
 * costs about 70). A phone is its digit string: 3 to 15 digits, so its value is an exact double, and
 * the digit count keeps leading zeros apart (`0123` is not `123`).
 */
export class PhoneTable {
  /** Number of phones. */
  length = 0;
  /** Attempts started for each phone, over all its series. */
  attempts = new Int32Array(0);
  /** The phone's most recently created job; the rest follow through the job store's `nextOfPhone`. */
  firstJob = new Int32Array(0);
  #values = new Float64Array(0);
  #digitCounts = new Uint8Array(0);
  /** Hash slots holding phone index + 1 (0 is empty); the capacity is a power of two, at most half full. */
  #slots = new Int32Array(16);

  /** The index of a phone (digits only), or -1 when unknown. */
  find(digits: string): number {
    const value = Number(digits);
    const mask = this.#slots.length - 1;
    for (let slot = hashOf(value) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot]!;
      if (entry === 0) return -1;
      const i = entry - 1;
      if (this.#values[i] === value && this.#digitCounts[i] === digits.length) return i;
    }
  }

  /** The index of a phone, added (with no attempts and no job) when new. */
  add(digits: string): number {
    const known = this.find(digits);
    if (known >= 0) return known;
    if (this.length === this.#values.length) this.#growRows(Math.max(1024, this.length * 2));
    if ((this.length + 1) * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
    const i = this.length++;
    this.#values[i] = Number(digits);
    this.#digitCounts[i] = digits.length;
    this.attempts[i] = 0;
    this.firstJob[i] = -1;
    this.#insert(i);
    return i;
  }

  /** The digit string of phone `i`. */
  digitsOf(i: number): string {
    return String(this.#values[i]!).padStart(this.#digitCounts[i]!, '0');
  }

  #insert(i: number): void {
    const mask = this.#slots.length - 1;
    let slot = hashOf(this.#values[i]!) & mask;
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
    this.#slots[slot] = i + 1;
  }

  #rehash(capacity: number): void {
    this.#slots = new Int32Array(capacity);
    for (let i = 0; i < this.length; i++) this.#insert(i);
  }

  #growRows(capacity: number): void {
    const values = new Float64Array(capacity);
    values.set(this.#values);
    this.#values = values;
    const counts = new Uint8Array(capacity);
    counts.set(this.#digitCounts);
    this.#digitCounts = counts;
    const attempts = new Int32Array(capacity);
    attempts.set(this.attempts);
    this.attempts = attempts;
    const firstJob = new Int32Array(capacity);
    firstJob.set(this.firstJob);
    this.firstJob = firstJob;
  }
}

/** A 32-bit mix of a phone value (at most 15 digits, below 2^50). */
function hashOf(value: number): number {
  const low = (value % 4_294_967_296) | 0;
  const high = Math.floor(value / 4_294_967_296) | 0;
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
