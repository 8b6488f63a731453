import { formatIssue, type Issue } from '../index.js';
import { countText } from './count-text.js';
import type { RuleFigures } from './rule-watch.js';
import type { SimulationResult } from './simulation.js';

/** Warnings listed in the summary for a person; the JSON summary lists them all. */
export const WARNINGS_SHOWN = 20;

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
  /** Warnings of the body (replaced priorities): their count, and all of them (`index` in the body). */
  readonly warnings: number;
  readonly warningList: readonly Issue[];
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
  /** The calling rules of the run: `us` (US_RULES), `none`, a file's path, or why none were applied. */
  readonly rules: string;
  /** Per rule: jobs and dials of the phones it applies to, jobs it held back, dials over its 24-hour cap. */
  readonly ruleFigures: readonly RuleFigures[];
  /** Jobs of phones at least one rule applies to. */
  readonly jobsRuled: number;
  /** Jobs whose own policy first allowed a call at an instant a rule forbids (their first call moved later). */
  readonly jobsHeldBack: number;
  /** Of those, jobs the rules leave no allowed instant at all. */
  readonly jobsWithoutInstant: number;
  /**
   * Dials outside the rules of their phone (a rule forbids their instant, or the phone was over its
   * 24-hour cap), by the independent rule checker: must be 0.
   */
  readonly dialsOutsideRules: number;
  /** Of those, dials over a `maxAttemptsPer24h` cap of their phone's rules. */
  readonly dialsOverCap: number;
  /** Wait from the instant a job became ready to its dial, seconds. */
  readonly waitP50Seconds: number;
  readonly waitP95Seconds: number;
  /** Busy line time over all line time, percent. */
  readonly lineUtilisationPercent: number;
  /** Dials per UTC hour from the start, a partial last hour counted as an hour: the average and the most. */
  readonly dialsPerHour: number;
  readonly peakDialsPerHour: number;
  /** Wall-clock time of the run, seconds. */
  readonly wallSeconds: number;
}

/**
 * The summary of a run; `rules` names its calling rules (`us`, `none`, a file).
 * @default rules: `none` when the run had none, else `<n> rules`
 */
export function summarize(result: SimulationResult, rules?: string): SimulationSummary {
  const { final, outcomes, ruleFigures } = result;
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    seed: result.seed,
    start: new Date(result.startMs).toISOString(),
    end: new Date(result.endMs).toISOString(),
    lines: result.lines,
    numbers: result.numbers,
    duplicates: result.duplicates,
    warnings: result.warnings.length,
    warningList: result.warnings,
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
    rules: rules ?? (ruleFigures.rules.length === 0 ? 'none' : countText(ruleFigures.rules.length, 'rule')),
    ruleFigures: ruleFigures.rules,
    jobsRuled: ruleFigures.jobsRuled,
    jobsHeldBack: ruleFigures.jobsHeldBack,
    jobsWithoutInstant: ruleFigures.jobsWithoutInstant,
    dialsOutsideRules: ruleFigures.dialsOutsideRules,
    dialsOverCap: ruleFigures.dialsOverCap,
    waitP50Seconds: round1(result.waitP50Ms / 1000),
    waitP95Seconds: round1(result.waitP95Ms / 1000),
    lineUtilisationPercent: round1(result.lineUtilisation * 100),
    dialsPerHour: round1(result.averageDialsPerHour),
    peakDialsPerHour: result.peakDialsPerHour,
    wallSeconds: Math.round(result.wallMs) / 1000,
  };
}

/**
 * The summary for a person: aligned label/value lines, then the first {@link WARNINGS_SHOWN} warnings
 * of the body (`[index] path: message (code)`) and how many more there are.
 */
export function formatSummary(s: SimulationSummary): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const pct = (part: number, whole: number) =>
    whole === 0 ? '' : ` (${((100 * part) / whole).toFixed(1)}%)`;
  const rows: Row[] = [
    ['simulated', `${s.start} .. ${s.end}, ${countText(s.lines, 'line')}, seed ${s.seed}`],
    [
      'numbers',
      `${countText(s.numbers, 'entry', 'entries')}, ${countText(s.duplicates, 'duplicate')} ignored, ${countText(s.phones, 'phone')}, ${countText(s.warnings, 'warning')}`,
    ],
    [
      'jobs',
      `${n(s.jobs)} (${s.redials === 1 ? '1 of them a redial for a callback' : `${n(s.redials)} of them redials for callbacks`})`,
    ],
    [
      'dials',
      `${n(s.dials)}: ${countText(s.connects, 'connect')}${pct(s.connects, s.dials)}, ${n(s.outcomes.busy)} busy, ${n(s.outcomes.noAnswer)} no answer, ${countText(s.outcomes.lost, 'report')} lost`,
    ],
    ['completed', `${n(s.completed)}${pct(s.completed, s.jobs)}`],
    ['exhausted', `${n(s.exhausted)}${pct(s.exhausted, s.jobs)}`],
    ['expired', `${n(s.expired)}${pct(s.expired, s.jobs)}`],
    ['redialed', `${n(s.redialed)}`],
    ['still open', `${n(s.open)} waiting, ready or dialing at the end`],
    [
      'lease recoveries',
      `${n(s.leaseRecoveries)}${s.lateReports > 0 ? `, ${countText(s.lateReports, 'late report')}` : ''}`,
    ],
    [
      'outside a window',
      `${countText(s.dialsOutsideWindow, 'dial')}${s.dialsOutsideWindow === 0 ? ' (checked per dial with luxon)' : '  <-- MUST BE 0'}`,
    ],
    ...ruleRows(s),
    ['wait ready->dial', `p50 ${duration(s.waitP50Seconds)}, p95 ${duration(s.waitP95Seconds)}`],
    ['line utilisation', `${s.lineUtilisationPercent}%`],
    ['dials per hour', `${n(s.dialsPerHour)} on average, ${n(s.peakDialsPerHour)} at the peak`],
    ['wall time', `${s.wallSeconds.toFixed(1)} s`],
  ];
  const shown = s.warningList.slice(0, WARNINGS_SHOWN);
  if (shown.length > 0) {
    rows.push([
      'warnings',
      shown.length < s.warnings ? `${n(s.warnings)}, the first ${shown.length}:` : `${n(s.warnings)}:`,
    ]);
  }
  const width = Math.max(...rows.map((row) => ('raw' in row ? 0 : row[0].length)));
  const lines = rows.map((row) => ('raw' in row ? row.raw : `${row[0].padEnd(width)}  ${row[1]}`));
  for (const warning of shown) lines.push(`  ${formatIssue(warning)}`);
  if (s.warnings > shown.length) lines.push(`  ... and ${n(s.warnings - shown.length)} more`);
  return lines.join('\n');
}

/** A summary line: a label and its value, aligned with the others, or a line of its own. */
type Row = readonly [label: string, value: string] | { readonly raw: string };

/**
 * The summary lines of the calling rules: which, the jobs they held back, one line per rule, the dials
 * outside them. Only the first line when the run had none.
 */
function ruleRows(s: SimulationSummary): Row[] {
  const n = (v: number) => v.toLocaleString('en-US');
  if (s.ruleFigures.length === 0) return [['rules', s.rules]];
  const rows: Row[] = [
    [
      'rules',
      `${s.rules}: ${countText(s.ruleFigures.length, 'rule')}, ${countText(s.jobsRuled, 'job')} under at least one`,
    ],
    [
      'held back',
      `${countText(s.jobsHeldBack, 'job')} (a rule moved the first call later), ${n(s.jobsWithoutInstant)} of them left no allowed instant`,
    ],
  ];
  const nameWidth = Math.max(...s.ruleFigures.map((r) => r.name.length));
  const columns = (pick: (r: RuleFigures) => number) =>
    Math.max(...s.ruleFigures.map((r) => n(pick(r)).length));
  const [jobs, dials, held] = [columns((r) => r.jobs), columns((r) => r.dials), columns((r) => r.heldBack)];
  for (const r of s.ruleFigures) {
    const cap = r.overCap > 0 ? `, ${n(r.overCap)} over its 24-hour cap` : '';
    rows.push({
      raw: `  ${r.name.padEnd(nameWidth)}  ${n(r.jobs).padStart(jobs)} jobs, ${n(r.dials).padStart(dials)} dials, ${n(r.heldBack).padStart(held)} held back${cap}`,
    });
  }
  const overCap = s.dialsOverCap > 0 ? ` (${n(s.dialsOverCap)} of them over a 24-hour cap)` : '';
  rows.push([
    'rule checks',
    `${countText(s.dialsOutsideRules, 'dial')} outside the rules${s.dialsOutsideRules === 0 ? ' (hours, days, holidays and 24-hour caps, checked per dial with luxon and date-holidays)' : `${overCap}  <-- MUST BE 0`}`,
  ]);
  return rows;
}

/** Seconds for a person: `24 s`, `93.2 min`, `7.8 h`. */
export function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
