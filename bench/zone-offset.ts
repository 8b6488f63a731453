import { IANAZone } from 'luxon';
import { zoneRulesOf } from '../src/schedule/gmt-zone.js';
import { Random } from '../src/sim/random.js';
import { SYNTHETIC_CALLEE_ZONES } from '../src/sim/synthetic-zones.js';
import { cycling, measure } from './harness.js';

const FROM_MS = Date.parse('2024-01-01T00:00:00Z');
const TO_MS = Date.parse('2031-01-01T00:00:00Z');

/** Figures of the zone offset scenario, ns per lookup. */
export interface ZoneOffsetFigures {
  /** Region zones of the synthetic campaigns (fixed offsets left out: luxon's IANAZone has none). */
  readonly zones: number;
  readonly queries: number;
  readonly nsPerOp: number;
  readonly luxonNsPerOp: number;
  /** Queries where the two offsets differ (should be 0). */
  readonly mismatches: number;
}

/**
 * The UTC offset of a region zone at an instant: our `zoneRulesOf(id).offsetMsAt(t)` (a cached
 * transition table) against luxon's `IANAZone.create(id).offset(t)` (Intl formatToParts per call), each
 * with its own zone cache lookup, over `count` random (zone, instant) pairs in 2024..2030 and the region
 * zones of the synthetic campaigns, in one tinybench run.
 */
export async function benchZoneOffset(count = 100_000, timeMs = 1500): Promise<ZoneOffsetFigures> {
  const zones = SYNTHETIC_CALLEE_ZONES.map((z) => z.gmtZone).filter((id) => !zoneRulesOf(id).isFixed);
  const random = new Random(7);
  const ids: string[] = [];
  const instants: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(zones[random.int(0, zones.length - 1)]!);
    instants.push(FROM_MS + Math.floor(random.next() * (TO_MS - FROM_MS)));
  }
  // Warm-up and check: builds the offset tables the queries touch (luxon's formatters too).
  let mismatches = 0;
  for (let i = 0; i < count; i++) {
    if (
      zoneRulesOf(ids[i]!).offsetMsAt(instants[i]!) !==
      IANAZone.create(ids[i]!).offset(instants[i]!) * 60_000
    )
      mismatches++;
  }
  const figures = await measure(
    [
      {
        name: 'zoneRulesOf',
        opsPerBatch: 1000,
        batch: cycling(count, 1000, (i) => zoneRulesOf(ids[i]!).offsetMsAt(instants[i]!)),
      },
      {
        name: 'luxon IANAZone',
        opsPerBatch: 50,
        batch: cycling(count, 50, (i) => IANAZone.create(ids[i]!).offset(instants[i]!)),
      },
    ],
    timeMs,
  );
  return {
    zones: zones.length,
    queries: count,
    nsPerOp: figures.zoneRulesOf!,
    luxonNsPerOp: figures['luxon IANAZone']!,
    mismatches,
  };
}
