import type { JsonValue } from '../policy/types.js';

/**
 * Whether two payloads are the same for the duplicate check (spec section 8): both absent, or deep-equal
 * as JSON values, key order aside. Compares in place: no canonical text is built.
 */
export function samePayload(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return jsonEqual(a, b);
}

function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (isArray) {
    const x = a as readonly JsonValue[];
    const y = b as readonly JsonValue[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i]!, y[i]!)) return false;
    return true;
  }
  const x = a as { readonly [key: string]: JsonValue };
  const y = b as { readonly [key: string]: JsonValue };
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(y, key) || !jsonEqual(x[key]!, y[key]!)) return false;
  }
  return true;
}

/**
 * A 32-bit hash of a payload that is equal for deep-equal JSON values whatever their key order (object
 * members are combined by addition, which does not depend on order); 0 for no payload.
 */
export function payloadHash(value: JsonValue | undefined): number {
  return value === undefined ? 0 : hashJson(value) | 1;
}

function hashJson(value: JsonValue): number {
  switch (typeof value) {
    case 'string':
      return hashString(value, 0x9e3779b9);
    case 'number':
      return hashString(String(value), 0x85ebca6b);
    case 'boolean':
      return value ? 0x27d4eb2f : 0x165667b1;
    default: {
      if (value === null) return 0x61c88647;
      if (Array.isArray(value)) {
        let h = 0x7feb352d;
        for (const item of value as readonly JsonValue[]) h = mix(Math.imul(h, 31) + hashJson(item));
        return mix(h + (value as readonly JsonValue[]).length);
      }
      let sum = 0x846ca68b;
      const record = value as { readonly [key: string]: JsonValue };
      for (const key of Object.keys(record)) {
        sum = (sum + mix(hashString(key, 0x3c6ef372) ^ Math.imul(hashJson(record[key]!), 0x2c1b3c6d))) | 0;
      }
      return mix(sum);
    }
  }
}

function hashString(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h ^ text.length);
}

function mix(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/**
 * The duplicate memory's index (spec section 8): job numbers by a 32-bit key hash (phone, own policy,
 * payload), in an open-addressing table with backward-shift deletion. One entry per key: the latest job
 * added with it. Only the job numbers are stored (4 bytes a slot): an entry's hash is recomputed from its
 * job when the table is rehashed or an entry moves (`hashOf`), and lookups confirm a candidate through
 * `matches`, so a hash collision costs a comparison, never a wrong answer.
 */
export class DedupIndex {
  /** Job number + 1; 0 is empty. The capacity is a power of two, at most half full. */
  #values = new Int32Array(16);
  #size = 0;
  readonly #hashOf: (jobNumber: number) => number;

  /** `hashOf(jobNumber)` gives the hash an indexed job was stored under. */
  constructor(hashOf: (jobNumber: number) => number) {
    this.#hashOf = hashOf;
  }

  get size(): number {
    return this.#size;
  }

  /** The job number stored under `hash` that `matches`, or -1. */
  find(hash: number, matches: (jobNumber: number) => boolean): number {
    const mask = this.#values.length - 1;
    for (let slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
      const value = this.#values[slot]!;
      if (value === 0) return -1;
      if (matches(value - 1)) return value - 1;
    }
  }

  /** Stores `jobNumber` under `hash`, replacing the entry that `matches` if there is one. */
  set(hash: number, jobNumber: number, matches: (jobNumber: number) => boolean): void {
    const mask = this.#values.length - 1;
    let slot = mix(hash) & mask;
    for (; this.#values[slot] !== 0; slot = (slot + 1) & mask) {
      if (matches(this.#values[slot]! - 1)) {
        this.#values[slot] = jobNumber + 1;
        return;
      }
    }
    if ((this.#size + 1) * 2 > this.#values.length) {
      this.#rehash(this.#values.length * 2);
      this.set(hash, jobNumber, () => false);
      return;
    }
    this.#values[slot] = jobNumber + 1;
    this.#size++;
  }

  /** Removes the entry of `jobNumber` under `hash`, if it is there. */
  delete(hash: number, jobNumber: number): void {
    const mask = this.#values.length - 1;
    let slot = mix(hash) & mask;
    for (; this.#values[slot] !== jobNumber + 1; slot = (slot + 1) & mask) {
      if (this.#values[slot] === 0) return;
    }
    let hole = slot;
    for (let next = (hole + 1) & mask; this.#values[next] !== 0; next = (next + 1) & mask) {
      const home = mix(this.#hashOf(this.#values[next]! - 1)) & mask;
      const fits = hole <= next ? home <= hole || home > next : home <= hole && home > next;
      if (fits) {
        this.#values[hole] = this.#values[next]!;
        hole = next;
      }
    }
    this.#values[hole] = 0;
    this.#size--;
  }

  #rehash(capacity: number): void {
    const values = this.#values;
    this.#values = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let k = 0; k < values.length; k++) {
      if (values[k] === 0) continue;
      let slot = mix(this.#hashOf(values[k]! - 1)) & mask;
      while (this.#values[slot] !== 0) slot = (slot + 1) & mask;
      this.#values[slot] = values[k]!;
    }
  }
}
