import type { CallSchedule } from '../schedule/call-schedule.js';
import type { JobQueues } from './job-queues.js';
import { READY, WAITING } from './job-state.js';
import { type JobStore, PARKED } from './job-store.js';
import { CAP_HELD, type PhoneCaps } from './phone-caps.js';
import type { PhoneTable } from './phone-table.js';
import { windowAt } from './window-at.js';

/**
 * One line per phone (spec section 5): while a job of a phone is being dialed, the phone's other jobs
 * are not ready. A ready job of such a phone is parked when it reaches the top of the ready queue (or a
 * waiting one the top of the waiting queue, for `nextReadyAt`) and put back, keys unchanged, when the
 * attempt ends; `blockedReady` counts the ready jobs of phones being dialed, shown as waiting. A phone
 * held by its 24-hour cap (`PhoneCaps`) is blocked the same way until the cap frees it.
 */
export class PhoneLines {
  /** Ready jobs of phones being dialed. */
  blockedReady = 0;
  readonly #jobs: JobStore;
  readonly #phones: PhoneTable;
  readonly #queues: JobQueues;
  readonly #caps: PhoneCaps;

  constructor(jobs: JobStore, phones: PhoneTable, queues: JobQueues, caps: PhoneCaps) {
    this.#jobs = jobs;
    this.#phones = phones;
    this.#queues = queues;
    this.#caps = caps;
  }

  /** Whether job `slot`'s phone is being dialed or held by its cap. */
  readonly isBlocked = (slot: number): boolean => this.#phones.dialing[this.#jobs.phone[slot]!]! !== -1;

  /** Takes job `slot` of a phone being dialed out of its queue until the attempt ends. */
  readonly park = (slot: number): void => {
    const jobs = this.#jobs;
    const phones = this.#phones;
    const phone = jobs.phone[slot]!;
    jobs.flags[slot]! |= PARKED;
    let list = phones.parked.get(phone);
    if (list === undefined) {
      list = [];
      phones.parked.set(phone, list);
    }
    list.push(jobs.number[slot]!);
    const dialing = phones.dialing[phone]!;
    // The dialing job's ready-after-lease instant may now be earlier.
    if (dialing >= 0) this.#queues.noteAfterLease(dialing);
    else this.#caps.noteParked(slot);
  };

  /** Job `slot` starts an attempt: its phone's ready jobs are held from now on. */
  startDialing(slot: number): void {
    const phone = this.#jobs.phone[slot]!;
    if (this.#phones.dialing[phone] === -1) this.blockedReady += this.#phones.readyCount[phone]!;
    this.#phones.dialing[phone] = slot;
  }

  /**
   * The attempt on `phone` ended: its ready jobs are no longer held, unless `capHeld` (the phone's cap
   * holds it on). Call `release` after the job's own change: jobs parked for the line are parked anew
   * for the cap when they reach the top of their queue.
   */
  stopDialing(phone: number, capHeld: boolean): void {
    this.#phones.dialing[phone] = capHeld ? CAP_HELD : -1;
    if (!capHeld) this.blockedReady -= this.#phones.readyCount[phone]!;
  }

  /** The cap of held `phone` frees it (call `release` then). */
  unhold(phone: number): void {
    this.#phones.dialing[phone] = -1;
    this.blockedReady -= this.#phones.readyCount[phone]!;
  }

  /** Puts the parked jobs of `phone` back in line after its attempt ended at `atMs`; whether there were any. */
  release(phone: number, atMs: number): boolean {
    const jobs = this.#jobs;
    const phones = this.#phones;
    // Most phones never hold a job back: skip the lookup while no phone does.
    if (phones.parked.size === 0) return false;
    const list = phones.parked.get(phone);
    if (list === undefined) return false;
    phones.parked.delete(phone);
    for (const n of list) {
      const slot = jobs.slotOf(n);
      if (slot < 0 || (jobs.flags[slot]! & PARKED) === 0) continue;
      jobs.flags[slot]! &= ~PARKED;
      if (jobs.state[slot] === WAITING) this.#queues.pushWaiting(slot);
      else if (jobs.windowEndMs[slot]! > atMs) this.#queues.pushServing(slot);
    }
    return true;
  }

  /** Keeps the counts in step with job `slot` going from state `from` to `to` (and unparks it). */
  changeState(slot: number, from: number, to: number): void {
    const jobs = this.#jobs;
    const phones = this.#phones;
    const phone = jobs.phone[slot]!;
    if (from === READY) {
      phones.readyCount[phone]!--;
      if (phones.dialing[phone]! !== -1) this.blockedReady--;
    }
    if (to === READY) {
      phones.readyCount[phone]!++;
      if (phones.dialing[phone]! !== -1) this.blockedReady++;
    }
    jobs.flags[slot]! &= ~PARKED;
  }

  /**
   * The first instant at or after `deadlineMs` at which a parked job of `phone` may be served, if the
   * attempt holding it ends then (`Infinity` when none).
   */
  earliestAfter(phone: number, deadlineMs: number, scheduleOf: (slot: number) => CallSchedule): number {
    const jobs = this.#jobs;
    let earliest = Number.POSITIVE_INFINITY;
    for (const n of this.#phones.parked.get(phone) ?? []) {
      const slot = jobs.slotOf(n);
      if (slot < 0 || (jobs.flags[slot]! & PARKED) === 0) continue;
      const window = windowAt(scheduleOf(slot), jobs.readyAtMs[slot]!, deadlineMs);
      if (window !== null) earliest = Math.min(earliest, Math.max(window.start, deadlineMs));
    }
    return earliest;
  }

  /** Recounts from the job states (after a restore; nothing is parked then). */
  rebuild(): void {
    const jobs = this.#jobs;
    const phones = this.#phones;
    this.blockedReady = 0;
    jobs.forEachInOrder((slot) => {
      if (jobs.state[slot] !== READY) return;
      const phone = jobs.phone[slot]!;
      phones.readyCount[phone]!++;
      if (phones.dialing[phone]! !== -1) this.blockedReady++;
    });
  }
}
