import { KeyHeap } from '../queue/key-heap.js';
import { DIALING, READY, WAITING } from './job-state.js';
import type { JobStore } from './job-store.js';

const PRIORITIES = 5;

/**
 * The queues of a campaign, as heaps of job numbers over the job store's fields. Entries are never
 * removed from the middle: an entry is valid while the job's state and fields still match its keys, and
 * invalid ones are dropped when they reach the top (lazy deletion). Every operation is O(log n).
 */
export class JobQueues {
  readonly #jobs: JobStore;
  /** Waiting jobs, by the instant they become ready (`readyAtMs`). */
  readonly #waiting = new KeyHeap(1);
  /** Ready jobs, one heap per priority, by (window end, ready instant, job number): spec section 5. */
  readonly #ready = Array.from({ length: PRIORITIES }, () => new KeyHeap(2));
  /** Ready jobs by the end of their window. */
  readonly #closing = new KeyHeap(1);
  /** Jobs being dialed, by lease deadline. */
  readonly #leases = new KeyHeap(1);
  /**
   * Jobs being dialed, by when their next attempt (or redial) would become ready if the lease expired,
   * for `nextReadyAt`. Entries are pushed with the lease deadline as a lower bound (second key 0) when
   * that instant may change, and made exact (second key 1) only when they reach the top; stale ones are
   * dropped there. So serving costs no window math here.
   */
  readonly #afterLease = new KeyHeap(2);

  constructor(jobs: JobStore) {
    this.#jobs = jobs;
  }

  /** Queues a waiting job by its `readyAtMs`. */
  pushWaiting(i: number): void {
    this.#waiting.push(i, this.#jobs.readyAtMs[i]!);
  }

  /** Queues a ready job by priority, window end and ready instant, and by its window's end. */
  pushReady(i: number): void {
    const jobs = this.#jobs;
    const windowEndMs = jobs.windowEndMs[i]!;
    this.#ready[jobs.priority[i]! - 1]!.push(i, windowEndMs, jobs.readyAtMs[i]!);
    // A window that never closes needs no closing entry.
    if (windowEndMs !== Number.POSITIVE_INFINITY) this.#closing.push(i, windowEndMs);
  }

  /** Queues a job being dialed by its `leaseUntilMs`. */
  pushLease(i: number): void {
    this.#leases.push(i, this.#jobs.leaseUntilMs[i]!);
    this.noteAfterLease(i);
  }

  /** The first ready job in serving order, or -1. */
  peekReady(): number {
    const jobs = this.#jobs;
    for (const heap of this.#ready) {
      while (heap.length > 0) {
        const i = heap.peekId();
        if (
          jobs.state[i] === READY &&
          jobs.windowEndMs[i] === heap.peekPrimary() &&
          jobs.readyAtMs[i] === heap.peekSecondary()
        ) {
          return i;
        }
        heap.pop();
      }
    }
    return -1;
  }

  /** Removes and returns the first ready job, or -1. */
  popReady(): number {
    const i = this.peekReady();
    if (i >= 0) this.#ready[this.#jobs.priority[i]! - 1]!.pop();
    return i;
  }

  /** When the first waiting job becomes ready, or `Infinity`. */
  peekWaiting(): number {
    const jobs = this.#jobs;
    const heap = this.#waiting;
    while (heap.length > 0) {
      const i = heap.peekId();
      if (jobs.state[i] === WAITING && jobs.readyAtMs[i] === heap.peekPrimary()) return heap.peekPrimary();
      heap.pop();
    }
    return Number.POSITIVE_INFINITY;
  }

  /** When the first ready job's window closes, or `Infinity`. */
  peekClosing(): number {
    const jobs = this.#jobs;
    const heap = this.#closing;
    while (heap.length > 0) {
      const i = heap.peekId();
      if (jobs.state[i] === READY && jobs.windowEndMs[i] === heap.peekPrimary()) return heap.peekPrimary();
      heap.pop();
    }
    return Number.POSITIVE_INFINITY;
  }

  /** When the first lease expires, or `Infinity`. */
  peekLease(): number {
    const jobs = this.#jobs;
    const heap = this.#leases;
    while (heap.length > 0) {
      const i = heap.peekId();
      if (jobs.state[i] === DIALING && jobs.leaseUntilMs[i] === heap.peekPrimary()) return heap.peekPrimary();
      heap.pop();
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Removes the top of a queue after its peek: the job it names. */
  popWaiting(): number {
    return this.#waiting.pop();
  }

  popClosing(): number {
    return this.#closing.pop();
  }

  popLease(): number {
    return this.#leases.pop();
  }

  /**
   * The earliest instant at which a call in progress would lead to a ready job if its lease expired;
   * `readyAfterLease(i)` gives that instant for one job being dialed (`Infinity` when none).
   */
  peekReadyAfterLease(readyAfterLease: (i: number) => number): number {
    const jobs = this.#jobs;
    const heap = this.#afterLease;
    while (heap.length > 0) {
      const i = heap.peekId();
      const at = heap.peekPrimary();
      const isExact = heap.peekSecondary() === 1;
      if (jobs.state[i] === DIALING) {
        const exact = readyAfterLease(i);
        if (isExact && exact === at) return at;
        heap.pop();
        if (!isExact && exact !== Number.POSITIVE_INFINITY) heap.push(i, exact, 1);
      } else heap.pop();
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Notes that dialing job `i`'s ready-after-lease instant may have changed (a redial, say). */
  noteAfterLease(i: number): void {
    this.#afterLease.push(i, this.#jobs.leaseUntilMs[i]!, 0);
    // Stale entries go only when they reach the top: rebuild from the lease heap (which holds every call
    // in progress) when this one grows past twice its size, so rebuilds cost O(1) per serve.
    if (this.#afterLease.length > 2 * this.#leases.length + 1024) this.#rebuildAfterLease();
  }

  /** Refills every queue from the job states (after a restore). */
  rebuild(): void {
    const jobs = this.#jobs;
    for (let i = 0; i < jobs.length; i++) {
      const code = jobs.state[i]!;
      if (code === WAITING) this.pushWaiting(i);
      else if (code === READY) this.pushReady(i);
      else if (code === DIALING) this.#leases.push(i, jobs.leaseUntilMs[i]!);
    }
    this.#rebuildAfterLease();
  }

  #rebuildAfterLease(): void {
    const jobs = this.#jobs;
    const leases = this.#leases;
    this.#afterLease.clear();
    for (let slot = 0; slot < leases.length; slot++) {
      const i = leases.idAt(slot);
      if (jobs.state[i] === DIALING && jobs.leaseUntilMs[i] === leases.primaryAt(slot)) {
        this.#afterLease.push(i, jobs.leaseUntilMs[i]!, 0);
      }
    }
  }
}
