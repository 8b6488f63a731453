import { IANAZone } from 'luxon';
import type { SimulationSeries } from './metrics.js';

/**
 * Colours of the regions of the dials chart, tallest band first: Tableau 10 without its grey, which
 * is kept for "other". Nine colours a reader can tell apart, beside each other in a stack too.
 */
export const REGION_COLOURS: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];
export const OTHER_COLOUR = '#bab0ac';

/** The bands of the dials chart: one per region shown, the smallest regions grouped as "other". */
export interface RegionBands {
  readonly labels: readonly string[];
  /** One distinct colour per label. */
  readonly colours: readonly string[];
  /** Dials per hour of each band, as `SimulationSeries.dialsByRegion`. */
  readonly dials: readonly (readonly number[])[];
}

/**
 * The regions with the most dials, one colour each of {@link REGION_COLOURS}; when there are more
 * regions than colours, the nine with the most dials keep theirs and the rest are summed as "other"
 * (grey). Ten bands at most.
 */
export function regionBands(series: SimulationSeries): RegionBands {
  const { regions, dialsByRegion } = series;
  const kept = REGION_COLOURS.length;
  if (regions.length <= kept + 1) {
    // One region more than colours: it takes the grey under its own name.
    const colours = [...REGION_COLOURS, OTHER_COLOUR].slice(0, regions.length);
    return { labels: regions, colours, dials: dialsByRegion };
  }
  const rest = dialsByRegion.slice(kept);
  const other = series.hourStartsMs.map((_, h) => rest.reduce((sum, dials) => sum + dials[h]!, 0));
  return {
    labels: [...regions.slice(0, kept), `other (${rest.length} regions)`],
    colours: [...REGION_COLOURS.slice(0, kept), OTHER_COLOUR],
    dials: [...dialsByRegion.slice(0, kept), other],
  };
}

/** One instant at which some zones of the run change their offset (a DST change, or a new rule). */
export interface OffsetChange {
  /** The first instant of the new offset, epoch ms. */
  readonly atMs: number;
  /** The zones changing then, with their offsets before and after, minutes east of UTC. */
  readonly zones: readonly { zone: string; fromMinutes: number; toMinutes: number }[];
}

const DAY_MS = 86_400_000;

/**
 * The offset changes of `zones` (IANA IDs; fixed offsets and unknown IDs are skipped) in the half-open
 * range [`startMs`, `endMs`), by instant, found by luxon: offsets compared a day apart, then the
 * instant found by binary search to the millisecond. Two changes within one day that cancel out
 * (which no current zone has) would be missed.
 *
 * @example offsetChanges(['America/New_York'], Date.parse('2024-03-09T00:00Z'), Date.parse('2024-03-12T00:00Z'))
 * // [{ atMs: Date.parse('2024-03-10T07:00Z'), zones: [{ zone: 'America/New_York', fromMinutes: -300, toMinutes: -240 }] }]
 */
export function offsetChanges(zones: readonly string[], startMs: number, endMs: number): OffsetChange[] {
  const byInstant = new Map<number, { zone: string; fromMinutes: number; toMinutes: number }[]>();
  for (const id of zones) {
    if (/^[+-]/.test(id)) continue;
    const zone = IANAZone.create(id);
    if (!zone.isValid) continue;
    // From the millisecond before the start: a change at the start itself is in the range.
    for (let from = startMs - 1; from < endMs; ) {
      const to = Math.min(from + DAY_MS, endMs - 1);
      const before = zone.offset(from);
      if (to > from && zone.offset(to) !== before) {
        // Invariant: offset(lo) is `before`, offset(hi) is not.
        let lo = from;
        let hi = to;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (zone.offset(mid) === before) lo = mid;
          else hi = mid;
        }
        const list = byInstant.get(hi) ?? [];
        list.push({ zone: id, fromMinutes: before, toMinutes: zone.offset(hi) });
        byInstant.set(hi, list);
        from = hi;
      } else {
        from = to > from ? to : endMs;
      }
    }
  }
  return [...byInstant]
    .sort(([a], [b]) => a - b)
    .map(([atMs, list]) => ({ atMs, zones: list.sort((a, b) => a.zone.localeCompare(b.zone)) }));
}

/** `UTC-05:00` from minutes east of UTC. */
export function utcOffsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `UTC${minutes < 0 ? '-' : '+'}${hh}:${mm}`;
}
