import type { CampaignStats } from '../index.js';
import type { LocalHourRow } from './local-hours.js';
import type { CallOutcome } from './outcome-model.js';

const HOUR_MS = 3_600_000;

/** Campaign counts sampled at one instant of the simulation. */
export interface QueueSample {
  readonly atMs: number;
  readonly waiting: number;
  readonly ready: number;
  readonly dialing: number;
  readonly completed: number;
  readonly exhausted: number;
  readonly expired: number;
  readonly redialed: number;
}

/** The time series of a run, per simulated hour (UTC hours from the start) and per sample. */
export interface SimulationSeries {
  readonly startMs: number;
  readonly endMs: number;
  readonly lines: number;
  /** Start of each hour bucket, epoch ms. */
  readonly hourStartsMs: readonly number[];
  /** Region labels, in order of dials (most first). */
  readonly regions: readonly string[];
  /** Dials per hour for each region of `regions`. */
  readonly dialsByRegion: readonly (readonly number[])[];
  /** Answered calls (callbacks included) per hour. */
  readonly connectsByHour: readonly number[];
  /** Length of a slot of `utilisationBySlot`, ms (the sample interval). */
  readonly slotMs: number;
  /** Share of line time busy per slot from the start, 0..1. */
  readonly utilisationBySlot: readonly number[];
  /** Wait from ready to dial per hour, seconds: median and 95th percentile (null in an hour without dials). */
  readonly waitP50ByHour: readonly (number | null)[];
  readonly waitP95ByHour: readonly (number | null)[];
  readonly samples: readonly QueueSample[];
  /** `attemptsPerNumber[k]`: phones dialed `k` times over the run (all their jobs together). */
  readonly attemptsPerNumber: readonly number[];
  /** The zones of the dialed numbers, as `parseGmtZone(…).id` gives them (IANA IDs or `±hh:mm`), sorted. */
  readonly zones: readonly string[];
  /** Dials by the callee's local hour, per place and zone (the heat map). */
  readonly localHours: readonly LocalHourRow[];
}

/** Collects what a run does, hour by hour; cheap enough to call on every dial. */
export class SimulationMetrics {
  readonly #startMs: number;
  readonly #endMs: number;
  readonly #lines: number;
  readonly #hours: number;
  readonly #regionIds = new Map<string, number>();
  readonly #regions: string[] = [];
  readonly #dialsByRegion: Float64Array[] = [];
  readonly #connects: Float64Array;
  readonly #slotMs: number;
  readonly #busyMs: Float64Array;
  readonly #waitsByHour: number[][];
  readonly #waits: number[] = [];
  readonly #samples: QueueSample[] = [];
  readonly #zones = new Set<string>();
  readonly outcomes: Record<CallOutcome, number> = {
    answered: 0,
    callback: 0,
    busy: 0,
    noAnswer: 0,
    lost: 0,
  };
  dials = 0;

  /** A run from `startMs` to `endMs` on `lines` lines; line time is summed per `slotMs`. */
  constructor(startMs: number, endMs: number, lines: number, slotMs: number) {
    this.#startMs = startMs;
    this.#endMs = endMs;
    this.#lines = lines;
    this.#hours = Math.max(1, Math.ceil((endMs - startMs) / HOUR_MS));
    this.#connects = new Float64Array(this.#hours);
    this.#slotMs = slotMs;
    this.#busyMs = new Float64Array(Math.max(1, Math.ceil((endMs - startMs) / slotMs)));
    this.#waitsByHour = Array.from({ length: this.#hours }, () => []);
  }

  /** The index of a region label, for `dial`. */
  regionId(label: string): number {
    let id = this.#regionIds.get(label);
    if (id === undefined) {
      id = this.#regions.length;
      this.#regions.push(label);
      this.#regionIds.set(label, id);
      this.#dialsByRegion.push(new Float64Array(this.#hours));
    }
    return id;
  }

  /** Notes the zone of a dialed number (`parseGmtZone(…).id`); the same zone again is ignored. */
  zone(id: string): void {
    this.#zones.add(id);
  }

  /** One dial at `atMs` holding a line for `durationMs`, after waiting `waitMs` since the job became ready. */
  dial(atMs: number, regionId: number, waitMs: number, outcome: CallOutcome, durationMs: number): void {
    const hour = this.#hourOf(atMs);
    this.dials++;
    this.outcomes[outcome]++;
    this.#dialsByRegion[regionId]![hour]!++;
    if (outcome === 'answered' || outcome === 'callback') this.#connects[hour]!++;
    this.#waits.push(waitMs);
    this.#waitsByHour[hour]!.push(waitMs);
    // Line time, split over the slots the call spans and cut at the end of the run.
    const endMs = Math.min(atMs + durationMs, this.#endMs);
    for (let t = atMs; t < endMs; ) {
      const slot = Math.floor((t - this.#startMs) / this.#slotMs);
      const slotEndMs = Math.min(this.#startMs + (slot + 1) * this.#slotMs, endMs);
      this.#busyMs[slot]! += slotEndMs - t;
      t = slotEndMs;
    }
  }

  sample(atMs: number, stats: CampaignStats): void {
    this.#samples.push({
      atMs,
      waiting: stats.waiting,
      ready: stats.ready,
      dialing: stats.dialing,
      completed: stats.completed,
      exhausted: stats.exhausted,
      expired: stats.expired,
      redialed: stats.redialed,
    });
  }

  /** Waits from ready to dial, ms: median and 95th percentile (0 when nothing was dialed). */
  waitPercentilesMs(): { p50: number; p95: number } {
    const sorted = Float64Array.from(this.#waits).sort();
    return { p50: percentile(sorted, 0.5) ?? 0, p95: percentile(sorted, 0.95) ?? 0 };
  }

  /** Busy line time over all line time of the run, 0..1. */
  utilisation(): number {
    let busy = 0;
    for (const ms of this.#busyMs) busy += ms;
    return busy / (this.#lines * (this.#endMs - this.#startMs));
  }

  /**
   * The most dials in one hour bin. Bins are UTC hours from the start; the last one may be partial
   * (a run of 90 minutes has two), as for the average.
   */
  peakDialsPerHour(): number {
    let peak = 0;
    for (let h = 0; h < this.#hours; h++) {
      let sum = 0;
      for (const dials of this.#dialsByRegion) sum += dials[h]!;
      if (sum > peak) peak = sum;
    }
    return peak;
  }

  /**
   * Dials over the hour bins of {@link peakDialsPerHour} (a partial last hour counts as one bin), so the
   * average never exceeds the peak.
   */
  averageDialsPerHour(): number {
    return this.dials / this.#hours;
  }

  series(attemptsPerNumber: readonly number[], localHours: readonly LocalHourRow[]): SimulationSeries {
    const hourStartsMs = Array.from({ length: this.#hours }, (_, h) => this.#startMs + h * HOUR_MS);
    const totals = this.#dialsByRegion.map((dials) => dials.reduce((a, b) => a + b, 0));
    const order = this.#regions.map((_, i) => i).sort((a, b) => totals[b]! - totals[a]! || a - b);
    const waitsSorted = this.#waitsByHour.map((waits) => Float64Array.from(waits).sort());
    const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms / 100) / 10);
    return {
      startMs: this.#startMs,
      endMs: this.#endMs,
      lines: this.#lines,
      hourStartsMs,
      regions: order.map((i) => this.#regions[i]!),
      dialsByRegion: order.map((i) => [...this.#dialsByRegion[i]!]),
      connectsByHour: [...this.#connects],
      slotMs: this.#slotMs,
      utilisationBySlot: [...this.#busyMs].map(
        (ms, k) =>
          ms / (this.#lines * Math.min(this.#slotMs, this.#endMs - this.#startMs - k * this.#slotMs)),
      ),
      waitP50ByHour: waitsSorted.map((w) => seconds(percentile(w, 0.5))),
      waitP95ByHour: waitsSorted.map((w) => seconds(percentile(w, 0.95))),
      samples: [...this.#samples],
      attemptsPerNumber,
      zones: [...this.#zones].sort(),
      localHours,
    };
  }

  #hourOf(atMs: number): number {
    return Math.min(this.#hours - 1, Math.floor((atMs - this.#startMs) / HOUR_MS));
  }
}

/** The nearest-rank percentile of sorted values, or undefined when there are none. */
function percentile(sorted: Float64Array, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}
