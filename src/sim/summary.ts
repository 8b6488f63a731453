import type { SimulationResult } from './simulation.js';

/** The machine-readable summary of a run (`dialer-sim run --json`). */
export interface SimulationSummary {
  readonly seed: number;
  /** Simulated start and end, ISO 8601. */
  readonly start: string;
  readonly end: string;
  readonly lines: number;
  /** Entries in the body, duplicates included. */
  readonly numbers: number;
  readonly duplicates: number;
  readonly warnings: number;
  /** Distinct phones. */
  readonly phones: number;
  /** Jobs at the end: one per accepted entry, plus redials. */
  readonly jobs: number;
  readonly dials: number;
  /** Answered calls, callbacks included. */
  readonly connects: number;
  readonly outcomes: SimulationResult['outcomes'];
  readonly completed: number;
  readonly exhausted: number;
  readonly expired: number;
  /** Jobs that ended `redialed`, and redial jobs created (callbacks). */
  readonly redialed: number;
  readonly redials: number;
  /** Jobs still waiting, ready or dialing at the end. */
  readonly open: number;
  readonly leaseRecoveries: number;
  readonly lateReports: number;
  /** Dials outside the job's calling window, by the independent checker: must be 0. */
  readonly dialsOutsideWindow: number;
  /** Wait from the instant a job became ready to its dial, seconds. */
  readonly waitP50Seconds: number;
  readonly waitP95Seconds: number;
  /** Busy line time over all line time, percent. */
  readonly lineUtilisationPercent: number;
  readonly dialsPerHour: number;
  readonly peakDialsPerHour: number;
  /** Wall-clock time of the run, seconds. */
  readonly wallSeconds: number;
}

const HOUR_MS = 3_600_000;

/** The summary of a run. */
export function summarize(result: SimulationResult): SimulationSummary {
  const { final, outcomes } = result;
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    seed: result.seed,
    start: new Date(result.startMs).toISOString(),
    end: new Date(result.endMs).toISOString(),
    lines: result.lines,
    numbers: result.numbers,
    duplicates: result.duplicates,
    warnings: result.warnings,
    phones: result.phones,
    jobs: final.total,
    dials: result.dials,
    connects: outcomes.answered + outcomes.callback,
    outcomes,
    completed: final.completed,
    exhausted: final.exhausted,
    expired: final.expired,
    redialed: final.redialed,
    redials: result.redials,
    open: final.waiting + final.ready + final.dialing,
    leaseRecoveries: result.leaseRecoveries,
    lateReports: result.lateReports,
    dialsOutsideWindow: result.dialsOutsideWindow,
    waitP50Seconds: round1(result.waitP50Ms / 1000),
    waitP95Seconds: round1(result.waitP95Ms / 1000),
    lineUtilisationPercent: round1(result.lineUtilisation * 100),
    dialsPerHour: round1(result.dials / ((result.endMs - result.startMs) / HOUR_MS)),
    peakDialsPerHour: result.peakDialsPerHour,
    wallSeconds: Math.round(result.wallMs) / 1000,
  };
}

/** The summary for a person: aligned label/value lines. */
export function formatSummary(s: SimulationSummary): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const pct = (part: number, whole: number) =>
    whole === 0 ? '' : ` (${((100 * part) / whole).toFixed(1)}%)`;
  const rows: [string, string][] = [
    ['simulated', `${s.start} .. ${s.end}, ${s.lines} lines, seed ${s.seed}`],
    [
      'numbers',
      `${n(s.numbers)} entries, ${n(s.duplicates)} duplicates ignored, ${n(s.phones)} phones, ${n(s.warnings)} warnings`,
    ],
    ['jobs', `${n(s.jobs)} (${n(s.redials)} of them redials for callbacks)`],
    [
      'dials',
      `${n(s.dials)}: ${n(s.connects)} connects${pct(s.connects, s.dials)}, ${n(s.outcomes.busy)} busy, ${n(s.outcomes.noAnswer)} no answer, ${n(s.outcomes.lost)} reports lost`,
    ],
    ['completed', `${n(s.completed)}${pct(s.completed, s.jobs)}`],
    ['exhausted', `${n(s.exhausted)}${pct(s.exhausted, s.jobs)}`],
    ['expired', `${n(s.expired)}${pct(s.expired, s.jobs)}`],
    ['redialed', `${n(s.redialed)}`],
    ['still open', `${n(s.open)} waiting, ready or dialing at the end`],
    [
      'lease recoveries',
      `${n(s.leaseRecoveries)}${s.lateReports > 0 ? `, ${n(s.lateReports)} late reports` : ''}`,
    ],
    [
      'outside a window',
      `${n(s.dialsOutsideWindow)} dials${s.dialsOutsideWindow === 0 ? ' (checked per dial with luxon)' : '  <-- MUST BE 0'}`,
    ],
    ['wait ready->dial', `p50 ${duration(s.waitP50Seconds)}, p95 ${duration(s.waitP95Seconds)}`],
    ['line utilisation', `${s.lineUtilisationPercent}%`],
    ['dials per hour', `${n(s.dialsPerHour)} on average, ${n(s.peakDialsPerHour)} at the peak`],
    ['wall time', `${s.wallSeconds.toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/** Seconds for a person: `24 s`, `93.2 min`, `7.8 h`. */
export function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
