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
  readonly #index = new DedupIndex();
  readonly #jobs: JobStore;
  readonly #phones: PhoneTable;
  readonly #windowMs: number;

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
    const jobs = this.#jobs;
    return this.#index.find(hashOf(phone, keyId, entry.ownFields, payloadKey), (candidate) => {
      const slot = jobs.slotOf(candidate);
      return (
        this.#sameKey(slot, phone, keyId, entry.ownFields, payloadKey, entry.payload) &&
        t - jobs.addedAtMs[slot]! < this.#windowMs
      );
    });
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
    const payload = jobs.payloads[slot];
    this.#index.set(hashOf(phone, keyId, own, payloadKey), jobs.number[slot]!, (n) =>
      this.#sameKey(jobs.slotOf(n), phone, keyId, own, payloadKey, payload),
    );
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

  /** Whether job `slot` was added from an entry with this key. */
  #sameKey(
    slot: number,
    phone: number,
    keyId: number,
    ownFields: number,
    payloadKey: number,
    payload: JsonValue | undefined,
  ): boolean {
    const jobs = this.#jobs;
    return (
      slot >= 0 &&
      jobs.phone[slot] === phone &&
      jobs.policyKey[slot] === keyId &&
      jobs.ownFields[slot] === ownFields &&
      jobs.payloadHash[slot] === payloadKey &&
      samePayload(jobs.payloads[slot], payload)
    );
  }
}

/** The hash of a duplicate key: phone row, policy key, own fields, payload hash. */
function hashOf(phone: number, keyId: number, ownFields: number, payloadKey: number): number {
  const h = Math.imul(phone, 0x9e3779b1) ^ Math.imul(keyId + 1, 0x85ebca6b);
  return (Math.imul(h ^ ownFields, 0xc2b2ae35) ^ payloadKey) | 0;
}
