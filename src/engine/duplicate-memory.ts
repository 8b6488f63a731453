import type { AcceptedEntry } from '../policy/parse-entries.js';
import type { JsonValue } from '../policy/types.js';
import { DedupIndex, samePayload } from './dedup.js';
import { Interner } from './interner.js';
import type { JobStore } from './job-store.js';
import type { PhoneTable } from './phone-table.js';

/**
 * The duplicate memory (spec section 8): the jobs added by `addPhones` keep their entry's own fields as
 * a key (phone, interned policy key, own-field code, payload hash) in the job store's columns, indexed
 * by a hash of it, so a check costs one probe however many jobs the phone has.
 */
export class DuplicateMemory {
  /** Interned policy keys (`scheduleKey` of an entry's own fields) of the jobs remembered. */
  readonly policyKeys = new Interner<string>();
  readonly #index = new DedupIndex((n) => {
    const jobs = this.#jobs;
    const slot = jobs.slotOf(n);
    return hashOf(jobs.phone[slot]!, jobs.policyKey[slot]!, jobs.ownFields[slot]!, jobs.payloadHash[slot]!);
  });
  readonly #jobs: JobStore;
  readonly #phones: PhoneTable;
  readonly #windowMs: number;
  #askPhone = -1;
  #askKey = -1;
  #askOwnFields = 0;
  #askPayloadKey = 0;
  #askPayload: JsonValue | undefined;
  #askAddedAfterMs = 0;

  constructor(jobs: JobStore, phones: PhoneTable, windowMs: number) {
    this.#jobs = jobs;
    this.#phones = phones;
    this.#windowMs = windowMs;
  }

  /**
   * The job number of the job an identical entry created less than `dedupWindowMs` before `t`, or -1.
   * `payloadKey` is `payloadHash(entry.payload)`.
   */
  find(entry: AcceptedEntry, payloadKey: number, t: number): number {
    const keyId = this.policyKeys.idOf(entry.scheduleKey);
    const phone = this.#phones.find(entry.phone);
    if (keyId < 0 || phone < 0) return -1;
    this.#ask(phone, keyId, entry.ownFields, payloadKey, entry.payload, t - this.#windowMs);
    return this.#index.find(hashOf(phone, keyId, entry.ownFields, payloadKey), this.#isDuplicate);
  }

  /** Remembers job `slot` (just created from `entry`) under its entry's key. */
  remember(slot: number, entry: AcceptedEntry, payloadKey: number): void {
    const jobs = this.#jobs;
    jobs.policyKey[slot] = this.policyKeys.acquire(entry.scheduleKey);
    jobs.ownFields[slot] = entry.ownFields;
    jobs.payloadHash[slot] = payloadKey;
    this.index(slot);
  }

  /** Indexes job `slot` under the key in its columns (a later job with the same key replaces it). */
  index(slot: number): void {
    const jobs = this.#jobs;
    const keyId = jobs.policyKey[slot]!;
    if (keyId < 0) return;
    const phone = jobs.phone[slot]!;
    const own = jobs.ownFields[slot]!;
    const payloadKey = jobs.payloadHash[slot]!;
    this.#ask(phone, keyId, own, payloadKey, jobs.payloads[slot], Number.NEGATIVE_INFINITY);
    this.#index.set(hashOf(phone, keyId, own, payloadKey), jobs.number[slot]!, this.#isDuplicate);
  }

  /** Forgets job `slot` (about to leave the store). */
  forget(slot: number): void {
    const jobs = this.#jobs;
    const keyId = jobs.policyKey[slot]!;
    if (keyId < 0) return;
    this.#index.delete(
      hashOf(jobs.phone[slot]!, keyId, jobs.ownFields[slot]!, jobs.payloadHash[slot]!),
      jobs.number[slot]!,
    );
    this.policyKeys.release(keyId);
  }

  /** Sets the key the index's comparisons look for (fields, so that no closure is made per lookup). */
  #ask(
    phone: number,
    keyId: number,
    ownFields: number,
    payloadKey: number,
    payload: JsonValue | undefined,
    addedAfterMs: number,
  ): void {
    this.#askPhone = phone;
    this.#askKey = keyId;
    this.#askOwnFields = ownFields;
    this.#askPayloadKey = payloadKey;
    this.#askPayload = payload;
    this.#askAddedAfterMs = addedAfterMs;
  }

  /** Whether job number `n` has the key asked for and was added after the instant asked for. */
  readonly #isDuplicate = (n: number): boolean => {
    const jobs = this.#jobs;
    const slot = jobs.slotOf(n);
    return (
      slot >= 0 &&
      jobs.phone[slot] === this.#askPhone &&
      jobs.policyKey[slot] === this.#askKey &&
      jobs.ownFields[slot] === this.#askOwnFields &&
      jobs.payloadHash[slot] === this.#askPayloadKey &&
      jobs.addedAtMs[slot]! > this.#askAddedAfterMs &&
      samePayload(jobs.payloads[slot], this.#askPayload)
    );
  };
}

/** The hash of a duplicate key: phone row, policy key, own fields, payload hash. */
function hashOf(phone: number, keyId: number, ownFields: number, payloadKey: number): number {
  const h = Math.imul(phone, 0x9e3779b1) ^ Math.imul(keyId + 1, 0x85ebca6b);
  return (Math.imul(h ^ ownFields, 0xc2b2ae35) ^ payloadKey) | 0;
}
