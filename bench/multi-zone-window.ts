import { pathToFileURL } from 'node:url';
import type { CallSchedule } from '../src/schedule/call-schedule.js';
import { zoneRulesOf } from '../src/schedule/gmt-zone.js';
import { scheduleOfParts } from '../src/schedule/schedule-cache.js';
import { weeklyWindowsOfRules } from '../src/schedule/weekly-windows.js';
import { Random } from '../src/sim/random.js';
import { cycling, measure } from './harness.js';

const FROM_MS = Date.parse('2024-01-01T00:00:00Z');
const TO_MS = Date.parse('2031-01-01T00:00:00Z');

/** Figures of the multi-zone window scenario, ns per `nextWindow`. */
export interface MultiZoneWindowFigures {
  readonly queries: number;
  /** Baseline: 09:00-17:00 on weekdays in America/Chicago alone. */
  readonly oneZoneNsPerOp: number;
  /** The same in America/Chicago and America/Denver (spec section 12: allowed in each). */
  readonly twoZonesNsPerOp: number;
  /** The same in America/Adak, America/Anchorage and America/Juneau. */
  readonly threeZonesNsPerOp: number;
}

/**
 * `CallSchedule.nextWindow` of a schedule read in one, two and three zones, from `count` random instants
 * in 2024..2030, in one tinybench run.
 */
export async function benchMultiZoneWindow(count = 100_000, timeMs = 1500): Promise<MultiZoneWindowFigures> {
  const weekdays = [0, 1, 2, 3, 4, 5, 6].map((day) => (day < 5 ? [{ fromMinute: 540, toMinute: 1020 }] : []));
  const weekly = weeklyWindowsOfRules(weekdays);
  const of = (zones: string[]): CallSchedule =>
    scheduleOfParts(
      zones.map((zone) => zoneRulesOf(zone)),
      weekly,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    );
  const one = of(['America/Chicago']);
  const two = of(['America/Chicago', 'America/Denver']);
  const three = of(['America/Adak', 'America/Anchorage', 'America/Juneau']);
  const random = new Random(5);
  const instants: number[] = [];
  for (let i = 0; i < count; i++) instants.push(FROM_MS + Math.floor(random.next() * (TO_MS - FROM_MS)));
  // Warm-up: builds the zones' offset tables.
  for (const t of instants) for (const s of [one, two, three]) s.nextWindow(t);
  const figures = await measure(
    [
      {
        name: 'one zone',
        opsPerBatch: 1000,
        batch: cycling(count, 1000, (i) => one.nextWindow(instants[i]!)),
      },
      {
        name: 'two zones',
        opsPerBatch: 1000,
        batch: cycling(count, 1000, (i) => two.nextWindow(instants[i]!)),
      },
      {
        name: 'three zones',
        opsPerBatch: 1000,
        batch: cycling(count, 1000, (i) => three.nextWindow(instants[i]!)),
      },
    ],
    timeMs,
  );
  return {
    queries: count,
    oneZoneNsPerOp: figures['one zone']!,
    twoZonesNsPerOp: figures['two zones']!,
    threeZonesNsPerOp: figures['three zones']!,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchMultiZoneWindow();
  console.log(
    `nextWindow: one zone ${figures.oneZoneNsPerOp.toFixed(0)} ns, two zones ${figures.twoZonesNsPerOp.toFixed(0)} ns, ` +
      `three zones ${figures.threeZonesNsPerOp.toFixed(0)} ns (${figures.queries} queries)`,
  );
}
