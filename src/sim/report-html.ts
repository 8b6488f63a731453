import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SimulationSeries } from './metrics.js';
import { offsetChanges, regionBands, utcOffsetText } from './report-data.js';
import { BAND_FROM_HOUR, BAND_TO_HOUR, bandFigures, HEAT_MAP_CSS, heatMapHtml } from './report-heat.js';
import { REPORT_SCRIPT } from './report-script.js';
import { duration, type SimulationSummary } from './summary.js';

const require = createRequire(import.meta.url);

/** uPlot's script and stylesheet, read from the installed package to be inlined. */
function uPlotAssets(): { script: string; css: string } {
  return {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

/** Text safe inside a `<script>` element: no `</script` or `<!--` can end or bend it. */
function scriptText(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CHARTS: readonly (readonly [id: string, title: string, note: string])[] = [
  [
    'dials',
    'Dials per hour, by callee zone',
    "Stacked by the callee's region, the smallest regions summed as other. Click a legend entry to hide or show it; hover for the hour's counts.",
  ],
  [
    'queue',
    'Ready and waiting jobs',
    'Ready: callable now, waiting for a line. Waiting: outside its window, in a retry pause, or not started yet. Dialing jobs are not drawn: they are the busy lines of the next chart.',
  ],
  [
    'lines',
    'Line utilisation',
    'Share of line time spent in calls, per hour and per sample interval; the right axis reads it as busy lines.',
  ],
  [
    'wait',
    'Wait from ready to dial',
    'Per hour of the dial: from the instant the job became ready (window start or retry pause end) to its dial.',
  ],
  [
    'attempts',
    'Attempts per number',
    'Dials to each phone over the whole run, all its jobs together. Log scale, so that the few phones of the tail show.',
  ],
  [
    'completion',
    'Completion over time',
    'Jobs that reached a final state, cumulative. Redialed jobs handed over to a callback job. Expired jobs are few: they read on the right axis.',
  ],
];

/** Why a chart of `id` would be empty for this run, or undefined when it has something to draw. */
function noDataReason(id: string, summary: SimulationSummary, series: SimulationSeries): string | undefined {
  const nothingDialed = 'nothing was dialed in the simulated range';
  switch (id) {
    case 'dials':
    case 'lines':
    case 'wait':
      return summary.dials === 0 ? nothingDialed : undefined;
    case 'attempts':
      return summary.dials === 0 ? `${nothingDialed}: every phone has 0 attempts` : undefined;
    case 'queue':
      return series.samples.some((x) => x.ready + x.waiting > 0)
        ? undefined
        : 'no job was ready or waiting in the simulated range';
    case 'completion':
      return series.samples.some((x) => x.completed + x.exhausted + x.expired + x.redialed > 0)
        ? undefined
        : 'no job reached a final state in the simulated range';
    default:
      return undefined;
  }
}

/**
 * The report of a run as one self-contained HTML page: the summary, and uPlot charts (inlined with its
 * stylesheet; no network needed) of dials per hour by zone, queue depth, line utilisation, waits,
 * attempts per number and completion, with hover values and legends.
 */
export function reportHtml(summary: SimulationSummary, series: SimulationSeries): string {
  const { script, css } = uPlotAssets();
  const n = (v: number) => v.toLocaleString('en-US');
  const figures: [string, string][] = [
    ['numbers', n(summary.numbers)],
    ['dials', n(summary.dials)],
    ['connects', n(summary.connects)],
    ['completed', n(summary.completed)],
    ['exhausted', n(summary.exhausted)],
    ['expired', n(summary.expired)],
    ['redials', n(summary.redials)],
    ['lease recoveries', n(summary.leaseRecoveries)],
    ['dials outside a window', n(summary.dialsOutsideWindow)],
    ['dials outside the rules', n(summary.dialsOutsideRules)],
    ['jobs held back by rules', n(summary.jobsHeldBack)],
    // No-break spaces inside each duration: a narrow box wraps at the slash only.
    [
      'wait p50 / p95',
      `${unbroken(duration(summary.waitP50Seconds))} / ${unbroken(duration(summary.waitP95Seconds))}`,
    ],
    ['line utilisation', `${summary.lineUtilisationPercent}%`],
    ['dials per hour', n(Math.round(summary.dialsPerHour))],
  ];
  const changes = offsetChanges(series.zones, series.startMs, series.endMs);
  const dst = changes.map(({ atMs, zones }) => ({
    atMs,
    text: `${utc(new Date(atMs).toISOString())}: ${zones
      .map((z) => `${z.zone} ${utcOffsetText(z.fromMinutes)} \u2192 ${utcOffsetText(z.toMinutes)}`)
      .join(', ')}`,
  }));
  const noData = new Map(CHARTS.map(([id]) => [id, noDataReason(id, summary, series)]));
  // The warnings are left out: the page does not show them, and a large body has thousands.
  const { warningList: _warnings, ...shownSummary } = summary;
  // JSON inside HTML: every `<` as \u003c, which JSON.parse reads back as `<`.
  const data = JSON.stringify({ summary: shownSummary, series, bands: regionBands(series), dst }).replace(
    /</g,
    '\\u003c',
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dialer-sim report: ${escapeHtml(summary.start.slice(0, 10))}, ${n(summary.numbers)} numbers, ${summary.lines} lines</title>
<style>${css}</style>
<style>
  body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
  main { max-width: 1320px; margin: 0 auto; padding: 20px 24px 40px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .sub { color: #5b6475; margin-bottom: 16px; }
  .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin-bottom: 20px; }
  .figure { background: #fff; border: 1px solid #e1e4ea; border-radius: 6px; padding: 8px 12px; min-width: 0; }
  .figure b { display: block; font-size: 18px; font-weight: 600; overflow-wrap: anywhere; }
  .figure span { color: #5b6475; font-size: 12px; }
  .figure.bad { border-color: #e15759; background: #fff1f1; }
  section { background: #fff; border: 1px solid #e1e4ea; border-radius: 6px; padding: 12px 16px 8px; margin-bottom: 16px; }
  h2 { font-size: 16px; margin: 0; }
  .note { color: #5b6475; font-size: 12px; margin: 2px 0 8px; }
  .uplot { font-family: inherit; }
  .dst { background: #fff; border: 1px solid #e1e4ea; border-left: 3px solid #7b3fb5; border-radius: 6px; padding: 8px 12px; margin-bottom: 16px; font-size: 13px; }
  .dst ul { margin: 4px 0 0; padding-left: 18px; }
${HEAT_MAP_CSS}
  .band-summary { font-size: 13px; margin: 0 0 8px; }
  .band-summary.bad { color: #b3261e; font-weight: 600; }
  .nodata { display: flex; align-items: center; justify-content: center; height: 120px; color: #5b6475; background: #f6f7f9; border-radius: 4px; margin-bottom: 8px; }
</style>
</head>
<body>
<main>
<h1>Simulated campaign</h1>
<div class="sub">${escapeHtml(utc(summary.start))} to ${escapeHtml(utc(summary.end))}, ${summary.lines} lines, seed ${summary.seed}; ${n(summary.phones)} phones, ${n(summary.jobs)} jobs; simulated in ${summary.wallSeconds.toFixed(1)} s.</div>
<div class="figures">
${figures
  .map(
    ([label, value]) =>
      `<div class="figure${label.startsWith('dials outside') && value !== '0' ? ' bad' : ''}"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`,
  )
  .join('\n')}
</div>
<div class="dst">${
    dst.length === 0
      ? 'No DST change in the zones dialed within the simulated range.'
      : `DST changes in the zones dialed, dashed lines on the time charts (all times UTC, 24-hour):<ul>${dst.map((d) => `<li>${escapeHtml(d.text)}</li>`).join('')}</ul>`
  }</div>
${CHARTS.map(([id, title, note]) => {
  const why = noData.get(id);
  const body =
    why === undefined ? `<div id="${id}"></div>` : `<div class="nodata">No data: ${escapeHtml(why)}.</div>`;
  const section = `<section><h2>${escapeHtml(title)}</h2><div class="note">${escapeHtml(note)}</div>${body}</section>`;
  return id === 'dials' ? `${section}\n${heatSection(summary, series)}` : section;
}).join('\n')}
</main>
<script id="data" type="application/json">${data}</script>
<script>${scriptText(script)}</script>
<script>${scriptText(REPORT_SCRIPT)}</script>
</body>
</html>
`;
}

/** The heat map of dials by the callee's local hour, with what it shows in one sentence above it. */
function heatSection(summary: SimulationSummary, series: SimulationSeries): string {
  const title = "Dials by the callee's local hour";
  const band = `${String(BAND_FROM_HOUR).padStart(2, '0')}:00 to ${BAND_TO_HOUR}:00`;
  const note =
    `Rows: the place the number's digits tell (state or province, else country) and the job's zone; columns: the hour on the callee's wall clock when the dial started. ` +
    `Outlined in green: ${band}, the US federal calling hours; the hours outside it are hatched, and a dial there to a number under a calling rule is outlined in red. Hover a cell for its count.`;
  if (summary.dials === 0) {
    return `<section><h2>${escapeHtml(title)}</h2><div class="note">${escapeHtml(note)}</div><div class="nodata">No data: nothing was dialed in the simulated range.</div></section>`;
  }
  const { ruledDials, outsideBand } = bandFigures(series.localHours);
  const n = (v: number) => v.toLocaleString('en-US');
  const verdict =
    summary.ruleFigures.length === 0
      ? `No calling rules in this run (rules: ${summary.rules}): every row is one no rule applies to.`
      : `${n(ruledDials)} dials to numbers under calling rules, ${n(outsideBand)} of them outside ${band} local; ${n(summary.dialsOutsideRules)} dials outside the rules by the independent checker.`;
  const bad = summary.ruleFigures.length > 0 && (outsideBand > 0 || summary.dialsOutsideRules > 0);
  return `<section id="local-hours"><h2>${escapeHtml(title)}</h2><div class="note">${escapeHtml(note)}</div><p class="band-summary${bad ? ' bad' : ''}">${escapeHtml(verdict)}</p>${heatMapHtml(series.localHours)}</section>`;
}

function unbroken(text: string): string {
  return text.replaceAll(' ', '\u00a0');
}

/** `2024-03-09 00:00 UTC` from an ISO instant. */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
