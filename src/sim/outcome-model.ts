import type { Random } from './random.js';

/**
 * How a simulated call ended: `answered` (the goal was reached: complete), `callback` (answered, and the
 * callee asked to be called later: redial, then complete), `busy` and `noAnswer` (fail), `lost` (the
 * dialer never reported it: the lease recovers the attempt).
 */
export type CallOutcome = 'answered' | 'callback' | 'busy' | 'noAnswer' | 'lost';

/** One drawn call: its outcome, how long it holds the line, and for a callback when to call again. */
export interface DrawnCall {
  readonly outcome: CallOutcome;
  /** From dial to hang-up, whole milliseconds. */
  readonly durationMs: number;
  /** For `callback`: how long after the hang-up the callee wants the call. */
  readonly callbackAfterMs: number;
  /** For `callback`: whether the callee also asked for evening hours. */
  readonly callbackEvenings: boolean;
}

/** The rates of the model; every one can be overridden. */
export interface OutcomeRates {
  /** Chance that someone answers, by the callee's local hour 0..23. */
  readonly answerByLocalHour: readonly number[];
  /** Chance of a busy signal when nobody answers. */
  readonly busy: number;
  /** Share of answered calls that ask to be called back later. */
  readonly callback: number;
  /** Share of calls whose report the dialer loses. */
  readonly lostReport: number;
  /** Median talk time of an answered call, ms. */
  readonly talkMedianMs: number;
  /** Longest talk time, ms; keep it under the campaign's lease. */
  readonly talkMaxMs: number;
}

/** Rates from outbound-calling folklore: people answer least in the morning and most early in the evening. */
export const DEFAULT_OUTCOME_RATES: OutcomeRates = {
  answerByLocalHour: [
    0.04, 0.03, 0.03, 0.03, 0.03, 0.05, 0.08, 0.14, 0.22, 0.27, 0.3, 0.31, 0.28, 0.27, 0.3, 0.31, 0.33, 0.38,
    0.42, 0.44, 0.4, 0.33, 0.2, 0.1,
  ],
  busy: 0.15,
  callback: 0.12,
  lostReport: 0.01,
  talkMedianMs: 95_000,
  talkMaxMs: 25 * 60_000,
};

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;

/** A seeded model of call outcomes and durations. */
export class OutcomeModel {
  readonly #random: Random;
  readonly #rates: OutcomeRates;

  constructor(random: Random, rates: Partial<OutcomeRates> = {}) {
    this.#random = random;
    this.#rates = { ...DEFAULT_OUTCOME_RATES, ...rates };
  }

  /** Draws the call placed when the callee's wall clock reads `localHour` (0..23). */
  draw(localHour: number): DrawnCall {
    const r = this.#random;
    const rates = this.#rates;
    const lost = r.chance(rates.lostReport);
    let outcome: CallOutcome;
    let durationMs: number;
    let callbackAfterMs = 0;
    let callbackEvenings = false;
    if (r.chance(rates.answerByLocalHour[localHour] ?? 0)) {
      const ringMs = r.uniform(4, 18) * SECOND_MS;
      if (r.chance(rates.callback)) {
        outcome = 'callback';
        durationMs = ringMs + Math.min(r.logNormal(40 * SECOND_MS, 0.5), rates.talkMaxMs);
        callbackAfterMs = r.pick([1, 2, 4, 20, 26]) * HOUR_MS;
        callbackEvenings = r.chance(0.4);
      } else {
        outcome = 'answered';
        const talkMs = Math.max(10 * SECOND_MS, r.logNormal(rates.talkMedianMs, 0.85));
        durationMs = ringMs + Math.min(talkMs, rates.talkMaxMs);
      }
    } else if (r.chance(rates.busy)) {
      outcome = 'busy';
      durationMs = r.uniform(2, 6) * SECOND_MS;
    } else {
      outcome = 'noAnswer';
      durationMs = r.uniform(20, 35) * SECOND_MS;
    }
    return {
      outcome: lost ? 'lost' : outcome,
      durationMs: Math.round(durationMs),
      callbackAfterMs,
      callbackEvenings,
    };
  }
}
