const DAY_MS = 86_400_000;

/**
 * An independent check of `maxAttemptsPer24h` (spec section 12): at most that many attempt starts to
 * one phone, over all its jobs, in any rolling 24 hours. A start at `s` counts against the starts in
 * `[s, s + 24 h)`; so a dial at `t` is over the cap when the phone already had `cap` starts in
 * `(t - 24 h, t]`. Dials must be told in time order (as a simulation makes them and its log lists them).
 */
export class CapCheck {
  readonly #startsByPhone = new Map<string, number[]>();

  /** Notes a dial of `phone` at `atMs` under `cap` (none: `undefined`); whether it was over the cap. */
  dial(phone: string, atMs: number, cap: number | undefined): boolean {
    if (cap === undefined) return false;
    let starts = this.#startsByPhone.get(phone);
    if (starts === undefined) {
      starts = [];
      this.#startsByPhone.set(phone, starts);
    }
    let expired = 0;
    while (expired < starts.length && starts[expired]! <= atMs - DAY_MS) expired++;
    if (expired > 0) starts.splice(0, expired);
    const isOver = starts.length >= cap;
    starts.push(atMs);
    return isOver;
  }
}
