/**
 * A virtual clock for running a dialer loop without real waiting: `now()` reads the virtual time and
 * `sleep(ms, signal)` resolves when the virtual time reaches `now() + ms` (or at once when `signal` is
 * aborted). Time moves only when every promise chain has settled: then the clock jumps to the earliest
 * pending sleep and resolves it. So a campaign of a virtual day runs in milliseconds, and the same code
 * gives the same run every time.
 *
 * Time advances from a `setImmediate` callback, after the microtask queue has drained. Real I/O (a file
 * write) is not a promise chain the clock can see: pass it through `track` so the clock waits for it.
 */
export class VirtualClock {
  #nowMs: number;
  #sequence = 0;
  #ticking = false;
  #holds = 0;
  readonly #sleepers: { atMs: number; sequence: number; wake: () => void }[] = [];

  constructor(startMs: number) {
    this.#nowMs = startMs;
  }

  /** The virtual time, epoch ms. */
  readonly now = (): number => this.#nowMs;

  /** Resolves when `ms` of virtual time have passed, or when `signal` aborts; never rejects. */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      if (signal?.aborted === true) {
        resolve();
        return;
      }
      const sleeper = {
        atMs: this.#nowMs + Math.max(0, ms),
        sequence: this.#sequence++,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.#sleepers.indexOf(sleeper);
        if (index >= 0) this.#sleepers.splice(index, 1);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(sleeper);
      this.#scheduleTick();
    });

  /** Sleeps pending: virtual timers not yet fired. */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  /** Returns `work`, holding the clock still until it settles (virtual time does not run ahead of I/O). */
  track<T>(work: Promise<T>): Promise<T> {
    this.#holds++;
    return work.finally(() => {
      this.#holds--;
      this.#scheduleTick();
    });
  }

  #scheduleTick(): void {
    if (this.#ticking || this.#holds > 0 || this.#sleepers.length === 0) return;
    this.#ticking = true;
    setImmediate(() => {
      this.#ticking = false;
      if (this.#holds === 0) this.#fireEarliest();
      this.#scheduleTick();
    });
  }

  #fireEarliest(): void {
    let earliest = -1;
    for (let i = 0; i < this.#sleepers.length; i++) {
      const s = this.#sleepers[i]!;
      const e = this.#sleepers[earliest];
      if (e === undefined || s.atMs < e.atMs || (s.atMs === e.atMs && s.sequence < e.sequence)) earliest = i;
    }
    if (earliest < 0) return;
    const [sleeper] = this.#sleepers.splice(earliest, 1);
    this.#nowMs = Math.max(this.#nowMs, sleeper!.atMs);
    sleeper!.wake();
  }
}
