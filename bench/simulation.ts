import { simulate } from '../src/sim/simulation.js';
import { syntheticDefaults, syntheticEntries } from '../src/sim/synthetic-campaign.js';

/** The CLI's default `--start` (src/sim/cli.ts DEFAULT_START, not exported) and `--seed`. */
const START_MS = Date.parse('2024-03-09T00:00:00Z');
const SEED = 1;

/** Figures of a whole simulation run. */
export interface SimulationFigures {
  readonly numbers: number;
  readonly days: number;
  readonly lines: number;
  /** Wall seconds of `simulate`, generating and adding the body included. */
  readonly seconds: number;
  readonly dials: number;
  /** Dials the independent checker found outside their window (must be 0). */
  readonly dialsOutsideWindow: number;
}

/**
 * `dialer-sim run --numbers <numbers> --days <days> --lines <lines> --quiet` without its output: the
 * CLI's synthetic body and campaign defaults, start instant and seed, no call log or report, timed
 * around `simulate` as the CLI calls it.
 */
export async function benchSimulation(
  numbers = 1_000_000,
  days = 3,
  lines = 500,
): Promise<SimulationFigures> {
  const t0 = performance.now();
  const result = await simulate({
    body: syntheticEntries({ numbers, seed: SEED, startMs: START_MS }),
    bodySize: numbers,
    defaults: syntheticDefaults(START_MS),
    lines,
    days,
    startMs: START_MS,
    seed: SEED,
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    numbers,
    days,
    lines,
    seconds,
    dials: result.dials,
    dialsOutsideWindow: result.dialsOutsideWindow,
  };
}
