import { KeyHeap } from '../queue/key-heap.js';
import { MonotoneQueue } from '../queue/monotone-queue.js';
import { DIALING, READY, WAITING } from './job-state.js';
import { type JobStore, PARKED } from './job-store.js';

const PRIORITIES = 5;

/** What an entry of each queue stands for, so that a stale one can be told (see `#matches`). */
const READY_ENTRY = 0;
const WAITING_ENTRY = 1;
const CLOSING_ENTRY = 2;
const LEASE_ENTRY = 3;
type EntryKind = typeof READY_ENTRY | typeof WAITING_ENTRY | typeof CLOSING_ENTRY | typeof LEASE_ENTRY;

/**
 * The queues of a campaign, over job numbers (so ties go by job ID, spec section 5) with the job
 * store's fields as keys. Entries are never removed from the middle: an entry is valid while its job
 * is retained and its state and fields still match the keys, and invalid ones are dropped when they
 * reach the top (lazy deletion). Heaps are O(log n); leases and forgetting, whose instants are pushed
 * in time order, are FIFOs.
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
  readonly #leases = new MonotoneQueue();
  /** Jobs being dialed right now (the lease queue also holds stale entries). */
  dialingCount = 0;
  /**
   * Jobs being dialed, by when a job of their phone would become ready if the lease expired, for
   * `nextReadyAt`. Entries are pushed with the lease deadline as a lower bound (second key 0) and made
   * exact (second key 1) only when they reach the top; stale ones are dropped there. So serving costs no
   * window math here.
   */
  readonly #afterLease = new KeyHeap(2);
  /** Job numbers of leases started since the last `peekReadyAfterLease`: moved into `#afterLease` then, so serving pushes no heap. */
  #newLeases = new Int32Array(1024);
  #newLeaseCount = 0;
  /** Final jobs, by when they are forgotten. */
  readonly #forget = new MonotoneQueue();

  constructor(jobs: JobStore) {
    this.#jobs = jobs;
  }

  /** Queues a waiting job by its `readyAtMs`. */
  pushWaiting(slot: number): void {
    this.#waiting.push(this.#jobs.number[slot]!, this.#jobs.readyAtMs[slot]!);
  }

  /** Queues a ready job for serving and by its window's end. */
  pushReady(slot: number): void {
    this.pushServing(slot);
    const windowEndMs = this.#jobs.windowEndMs[slot]!;
    // A window that never closes needs no closing entry.
    if (windowEndMs !== Number.POSITIVE_INFINITY) this.#closing.push(this.#jobs.number[slot]!, windowEndMs);
  }

  /** Queues a ready job for serving only (its closing entry is still queued). */
  pushServing(slot: number): void {
    const jobs = this.#jobs;
    this.#ready[jobs.priority[slot]! - 1]!.push(
      jobs.number[slot]!,
      jobs.windowEndMs[slot]!,
      jobs.readyAtMs[slot]!,
    );
  }

  /** Queues a job being dialed by its `leaseUntilMs`. */
  pushLease(slot: number): void {
    const jobs = this.#jobs;
    const n = jobs.number[slot]!;
    const deadline = jobs.leaseUntilMs[slot]!;
    this.#leases.push(n, deadline);
    this.dialingCount++;
    if (this.#newLeaseCount === this.#newLeases.length) this.#compactNewLeases();
    this.#newLeases[this.#newLeaseCount++] = n;
    // Stale entries go only when they reach the top: compact when they outnumber the calls in progress.
    if (this.#leases.length > 2 * this.dialingCount + 1024) this.#compactLeases();
  }

  /** Queues a final job by the instant it is forgotten. */
  pushForget(slot: number, atMs: number): void {
    this.#forget.push(this.#jobs.number[slot]!, atMs);
  }

  /**
   * The first ready job in serving order (its slot), or -1. Ready jobs of a phone being dialed are
   * parked on the way (`park`), so the answer is a job that may be served now.
   */
  peekReady(isBlocked: (slot: number) => boolean, park: (slot: number) => void): number {
    for (const heap of this.#ready) {
      const slot = this.#top(heap, READY_ENTRY, isBlocked, park);
      if (slot >= 0) return slot;
    }
    return -1;
  }

  /** Removes the job `peekReady` returned (its slot) from the ready queue. */
  popReady(slot: number): void {
    this.#ready[this.#jobs.priority[slot]! - 1]!.pop();
  }

  /** The first waiting job (its slot), or -1; with `isBlocked`, jobs of phones being dialed are parked. */
  peekWaiting(isBlocked?: (slot: number) => boolean, park?: (slot: number) => void): number {
    return this.#top(this.#waiting, WAITING_ENTRY, isBlocked, park);
  }

  /** The first ready job whose window closes (its slot), or -1. */
  peekClosing(): number {
    return this.#top(this.#closing, CLOSING_ENTRY);
  }

  /** The job whose lease expires first (its slot), or -1. */
  peekLease(): number {
    // Its own loop: the FIFO is another class than the heaps, and `#top` stays monomorphic.
    const jobs = this.#jobs;
    const queue = this.#leases;
    while (queue.length > 0) {
      const slot = jobs.slotOf(queue.peekId());
      if (slot >= 0 && this.#matches(slot, LEASE_ENTRY, queue.peekKey(), 0)) return slot;
      queue.pop();
    }
    return -1;
  }

  /**
   * The first entry of a queue whose job still matches it (its slot), or -1; stale entries on the way
   * are dropped, and with `isBlocked` so are the jobs it names blocked, after `park` took them.
   */
  #top(
    queue: KeyHeap,
    kind: EntryKind,
    isBlocked?: (slot: number) => boolean,
    park?: (slot: number) => void,
  ): number {
    const jobs = this.#jobs;
    while (queue.length > 0) {
      const slot = jobs.slotOf(queue.peekId());
      if (slot >= 0 && this.#matches(slot, kind, queue.peekPrimary(), queue.peekSecondary())) {
        if (isBlocked === undefined || !isBlocked(slot)) return slot;
        queue.pop();
        park!(slot);
        continue;
      }
      queue.pop();
    }
    return -1;
  }

  /** Whether job `slot` is still what a queue entry of `kind` with these keys says it is. */
  #matches(slot: number, kind: EntryKind, primary: number, secondary: number): boolean {
    const jobs = this.#jobs;
    const state = jobs.state[slot];
    switch (kind) {
      case READY_ENTRY:
        return (
          state === READY &&
          (jobs.flags[slot]! & PARKED) === 0 &&
          jobs.windowEndMs[slot] === primary &&
          jobs.readyAtMs[slot] === secondary
        );
      case WAITING_ENTRY:
        return state === WAITING && (jobs.flags[slot]! & PARKED) === 0 && jobs.readyAtMs[slot] === primary;
      case CLOSING_ENTRY:
        return state === READY && jobs.windowEndMs[slot] === primary;
      default:
        return state === DIALING && jobs.leaseUntilMs[slot] === primary;
    }
  }

  /** The final job forgotten first (its slot) if that is at or before `atMs`, else -1. */
  popForgettable(atMs: number): number {
    const queue = this.#forget;
    while (queue.length > 0 && queue.peekKey() <= atMs) {
      const slot = this.#jobs.slotOf(queue.pop());
      if (slot >= 0) return slot;
    }
    return -1;
  }

  /** Removes the top of a queue after its peek. */
  popWaiting(): void {
    this.#waiting.pop();
  }

  popClosing(): void {
    this.#closing.pop();
  }

  popLease(): void {
    this.#leases.pop();
  }

  /** Notes that a lease ended (its queue entry is now stale). */
  endLease(): void {
    this.dialingCount--;
  }

  /**
   * The earliest instant at which a call in progress would lead to a ready job if its lease expired;
   * `readyAfterLease(slot)` gives that instant for one job being dialed (`Infinity` when none).
   */
  peekReadyAfterLease(readyAfterLease: (slot: number) => number): number {
    const jobs = this.#jobs;
    const heap = this.#afterLease;
    for (let k = 0; k < this.#newLeaseCount; k++) {
      const n = this.#newLeases[k]!;
      const slot = jobs.slotOf(n);
      if (slot >= 0 && jobs.state[slot] === DIALING) heap.push(n, jobs.leaseUntilMs[slot]!, 0);
    }
    this.#newLeaseCount = 0;
    if (heap.length > 2 * this.dialingCount + 1024) this.#rebuildAfterLease();
    while (heap.length > 0) {
      const n = heap.peekId();
      const slot = jobs.slotOf(n);
      const at = heap.peekPrimary();
      const isExact = heap.peekSecondary() === 1;
      if (slot >= 0 && jobs.state[slot] === DIALING) {
        const exact = readyAfterLease(slot);
        if (isExact && exact === at) return at;
        heap.pop();
        if (!isExact && exact !== Number.POSITIVE_INFINITY) heap.push(n, exact, 1);
      } else heap.pop();
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Notes that dialing job `slot`'s ready-after-lease instant may have changed (a redial, say). */
  noteAfterLease(slot: number): void {
    this.#afterLease.push(this.#jobs.number[slot]!, this.#jobs.leaseUntilMs[slot]!, 0);
  }

  /** Refills every queue from the job states (after a restore); `forgetAtMs(slot)` for final jobs. */
  rebuild(forgetAtMs: (slot: number) => number | undefined): void {
    const jobs = this.#jobs;
    const leases: number[] = [];
    const forgets: [number, number][] = [];
    jobs.forEachInOrder((slot) => {
      const code = jobs.state[slot]!;
      if (code === WAITING) this.pushWaiting(slot);
      else if (code === READY) this.pushReady(slot);
      else if (code === DIALING) leases.push(slot);
      else {
        const at = forgetAtMs(slot);
        if (at !== undefined) forgets.push([slot, at]);
      }
    });
    // FIFOs take their entries in time order.
    leases.sort((a, b) => jobs.leaseUntilMs[a]! - jobs.leaseUntilMs[b]! || jobs.number[a]! - jobs.number[b]!);
    for (const slot of leases) this.pushLease(slot);
    forgets.sort((a, b) => a[1] - b[1]);
    for (const [slot, at] of forgets) this.pushForget(slot, at);
  }

  /** Keeps the new leases still being dialed, growing the list when most are. */
  #compactNewLeases(): void {
    const jobs = this.#jobs;
    let kept = 0;
    for (let k = 0; k < this.#newLeaseCount; k++) {
      const n = this.#newLeases[k]!;
      const slot = jobs.slotOf(n);
      if (slot >= 0 && jobs.state[slot] === DIALING) this.#newLeases[kept++] = n;
    }
    this.#newLeaseCount = kept;
    if (kept * 2 > this.#newLeases.length) {
      const grown = new Int32Array(this.#newLeases.length * 2);
      grown.set(this.#newLeases);
      this.#newLeases = grown;
    }
  }

  #compactLeases(): void {
    const jobs = this.#jobs;
    this.#leases.compact((n, key) => {
      const slot = jobs.slotOf(n);
      return slot >= 0 && this.#matches(slot, LEASE_ENTRY, key, 0);
    });
  }

  #rebuildAfterLease(): void {
    const jobs = this.#jobs;
    const live = new Set<number>();
    const heap = this.#afterLease;
    while (heap.length > 0) {
      const n = heap.pop();
      const slot = jobs.slotOf(n);
      if (slot >= 0 && jobs.state[slot] === DIALING) live.add(n);
    }
    for (const n of live) heap.push(n, jobs.leaseUntilMs[jobs.slotOf(n)]!, 0);
  }
}
