/**
 * Brute-force reference for a number whose area spans several zones (spec section 12, "Zone from the
 * phone"): the policy and rules are read in every zone (one {@link WindowOracle} per zone, each with its
 * own start and finish read in its zone), an instant is allowed when every zone allows it, and windows
 * are found by visiting every local minute boundary of every zone's wall clock (luxon). It shares no
 * code with src/.
 */
import { DateTime } from 'luxon';
import { type OraclePolicy, type OracleRule, WindowOracle } from './window-oracle.js';

const MINUTE = 60_000;

export class MultiZoneOracle {
  readonly oracles: readonly WindowOracle[];

  /** `policy` without a `gmtZone`; it is read in each of `zones`. */
  constructor(policy: OraclePolicy, zones: readonly string[], rules: readonly OracleRule[] = []) {
    this.oracles = zones.map((gmtZone) => new WindowOracle({ ...policy, gmtZone }, {}, { rules }));
  }

  /** Whether every zone allows a call at `t`. */
  isAllowed(t: number): boolean {
    return this.oracles.every((oracle) => oracle.isAllowed(t));
  }

  /**
   * The next instant after `t` at which some zone's wall clock reaches a minute boundary, or some
   * zone's start or finish: between two such instants every zone's wall clock stays inside one minute
   * (offsets in the years tested change at whole minutes of UTC and are whole minutes, or are fixed).
   */
  #nextBoundary(t: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const oracle of this.oracles) {
      const zone = oracle.zone;
      const intoMinute =
        'name' in zone
          ? (() => {
              const dt = DateTime.fromMillis(t, { zone: zone.name });
              return dt.second * 1000 + dt.millisecond;
            })()
          : (((t + zone.fixedSeconds * 1000) % MINUTE) + MINUTE) % MINUTE;
      next = Math.min(next, t + MINUTE - intoMinute);
      if (oracle.startMs > t) next = Math.min(next, oracle.startMs);
      if (oracle.finishMs > t) next = Math.min(next, oracle.finishMs);
    }
    return next;
  }

  /** The maximal allowed intervals that meet `[fromMs, toMs)`, cut to it, in order. */
  windows(fromMs: number, toMs: number): { start: number; end: number }[] {
    const found: { start: number; end: number }[] = [];
    let openedAt: number | undefined;
    for (let t = fromMs; t < toMs; t = this.#nextBoundary(t)) {
      const allowed = this.isAllowed(t);
      if (allowed && openedAt === undefined) openedAt = t;
      if (!allowed && openedAt !== undefined) {
        found.push({ start: openedAt, end: t });
        openedAt = undefined;
      }
    }
    if (openedAt !== undefined) found.push({ start: openedAt, end: toMs });
    return found;
  }
}
