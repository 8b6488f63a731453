import type { ZoneRules } from './zone-rules.js';

const DAY_MS = 86_400_000;

/**
 * The instant of a wall-clock time in a zone, as java.time resolves it: in a DST gap it moves forward by
 * the length of the gap; in a fold it takes the earlier instant.
 * `localMs` is the wall-clock time written as if it were UTC (epoch ms).
 */
export function instantOfLocal(zone: ZoneRules, localMs: number): number {
  // Offsets a day before and after bracket any one transition (none are closer than two days apart).
  const offsetBefore = zone.offsetMsAt(localMs - DAY_MS);
  const offsetAfter = zone.offsetMsAt(localMs + DAY_MS);
  const early = localMs - offsetBefore;
  const late = localMs - offsetAfter;
  const earlyFits = early + zone.offsetMsAt(early) === localMs;
  const lateFits = late + zone.offsetMsAt(late) === localMs;
  if (earlyFits && lateFits) return Math.min(early, late);
  if (earlyFits) return early;
  if (lateFits) return late;
  // A gap: the wall-clock time plus the gap, read with the offset after it.
  return localMs - offsetBefore;
}
