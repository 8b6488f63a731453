/**
 * The phones of a campaign, each with its attempts over all series, its jobs and whether it is being
 * dialed: typed arrays and an open-addressing hash on the phone's value, about 35 bytes a phone (a Map
 * of strings costs about 70). A phone is its digit string: 3 to 15 digits, so its value is an exact
 * double, and the digit count keeps leading zeros apart (`0123` is not `123`). A phone without jobs is
 * removed and its row reused.
 */
export class PhoneTable {
  /** Phones in the table. */
  size = 0;
  /** Attempts started for each phone, over all its series. */
  attempts = new Int32Array(0);
  /** Slot of the phone's most recently created job; the rest follow through the job store's `nextOfPhone`. */
  firstJob = new Int32Array(0);
  /**
   * Slot of the phone's job being dialed, or -1 (spec section 5: one line per phone), or `CAP_HELD`
   * (-2) while its 24-hour cap holds it (phone-caps.ts).
   */
  dialing = new Int32Array(0);
  /** The phone's jobs in state `ready` (a phone being dialed has them counted as waiting). */
  readyCount = new Int32Array(0);
  /** Job numbers parked while the phone is being dialed, by phone row (only phones that have some). */
  readonly parked = new Map<number, number[]>();
  /**
   * For `PhoneCaps` (after `trackCaps`, else empty): the phone's `maxAttemptsPer24h` + 1 as the rules
   * give it for its number, -1 for none, 0 while not looked up; reset when the row is reused.
   */
  capCode = new Int16Array(0);
  #tracksCaps = false;
  #values = new Float64Array(0);
  #digitCounts = new Uint8Array(0);
  #rows = 0;
  #freeRows: number[] = [];
  /** Hash slots holding row + 1 (0 is empty); the capacity is a power of two, at most half full. */
  #slots = new Int32Array(16);

  /** The row of a phone (digits only), or -1 when unknown. */
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

  /** The row of a phone, added (with no attempts and no job) when new. */
  add(digits: string): number {
    const known = this.find(digits);
    if (known >= 0) return known;
    let i: number;
    if (this.#freeRows.length > 0) i = this.#freeRows.pop()!;
    else {
      if (this.#rows === this.#values.length) this.#growRows(Math.max(1024, this.#rows * 2));
      i = this.#rows++;
    }
    if ((this.size + 1) * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
    this.size++;
    this.#values[i] = Number(digits);
    this.#digitCounts[i] = digits.length;
    this.attempts[i] = 0;
    this.firstJob[i] = -1;
    this.dialing[i] = -1;
    this.readyCount[i] = 0;
    if (this.#tracksCaps) this.capCode[i] = 0;
    this.#insert(i);
    return i;
  }

  /** Removes phone row `i` (which must have no jobs left); the row is reused. */
  remove(i: number): void {
    const mask = this.#slots.length - 1;
    let slot = hashOf(this.#values[i]!) & mask;
    while (this.#slots[slot] !== i + 1) slot = (slot + 1) & mask;
    // Backward-shift deletion: move later entries of the probe run into the hole.
    let hole = slot;
    for (let next = (hole + 1) & mask; this.#slots[next] !== 0; next = (next + 1) & mask) {
      const home = hashOf(this.#values[this.#slots[next]! - 1]!) & mask;
      // The entry at `next` may fill the hole if its home is not cyclically within (hole, next].
      const fits = hole <= next ? home <= hole || home > next : home <= hole && home > next;
      if (fits) {
        this.#slots[hole] = this.#slots[next]!;
        hole = next;
      }
    }
    this.#slots[hole] = 0;
    this.parked.delete(i);
    this.#freeRows.push(i);
    this.size--;
  }

  /** Keeps `capCode` for every row from now on. */
  trackCaps(): void {
    this.#tracksCaps = true;
    if (this.capCode.length < this.#values.length) {
      const next = new Int16Array(this.#values.length);
      next.set(this.capCode);
      this.capCode = next;
    }
  }

  /** The digit string of phone row `i`. */
  digitsOf(i: number): string {
    const text = integerText(this.#values[i]!);
    const count = this.#digitCounts[i]!;
    return text.length === count ? text : text.padStart(count, '0');
  }

  /** Calls `visit(row)` for every phone. */
  forEach(visit: (row: number) => void): void {
    const free = new Set(this.#freeRows);
    for (let i = 0; i < this.#rows; i++) if (!free.has(i)) visit(i);
  }

  #insert(i: number): void {
    const mask = this.#slots.length - 1;
    let slot = hashOf(this.#values[i]!) & mask;
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
    this.#slots[slot] = i + 1;
  }

  #rehash(capacity: number): void {
    const old = this.#slots;
    this.#slots = new Int32Array(capacity);
    for (const entry of old) if (entry !== 0) this.#insert(entry - 1);
  }

  #growRows(capacity: number): void {
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.#values = grow(this.#values, (n) => new Float64Array(n));
    this.#digitCounts = grow(this.#digitCounts, (n) => new Uint8Array(n));
    this.attempts = grow(this.attempts, (n) => new Int32Array(n));
    this.firstJob = grow(this.firstJob, (n) => new Int32Array(n));
    this.dialing = grow(this.dialing, (n) => new Int32Array(n));
    this.readyCount = grow(this.readyCount, (n) => new Int32Array(n));
    if (this.#tracksCaps) {
      const capCode = new Int16Array(capacity);
      capCode.set(this.capCode);
      this.capCode = capCode;
    }
  }
}

/**
 * The decimal text of a non-negative integer below 2^53: above 9 digits as two parts that are small
 * integers, which V8 turns into text about twice as fast as the whole double (a task carries its phone).
 */
function integerText(value: number): string {
  if (value < 1e9) return String(value);
  const high = Math.floor(value / 1e8);
  const low = String(value - high * 1e8);
  return String(high) + (low.length === 8 ? low : '00000000'.slice(low.length) + low);
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
