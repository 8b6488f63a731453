import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { SimulationSeries } from '../../src/sim/metrics.js';
import { OTHER_COLOUR, offsetChanges, REGION_COLOURS, regionBands } from '../../src/sim/report-data.js';
import { reportHtml } from '../../src/sim/report-html.js';
import { REPORT_SCRIPT } from '../../src/sim/report-script.js';
import { type SimulationOptions, simulate } from '../../src/sim/simulation.js';
import { summarize } from '../../src/sim/summary.js';
import { syntheticDefaults, syntheticEntries } from '../../src/sim/synthetic-campaign.js';

const START_MS = Date.parse('2024-03-09T00:00:00Z');
const at = (iso: string) => Date.parse(iso);

async function report(body: SimulationOptions['body'], days: number) {
  const result = await simulate({
    body,
    defaults: Array.isArray(body) ? {} : syntheticDefaults(START_MS),
    lines: 4,
    days,
    startMs: START_MS,
    seed: 1,
  });
  return { result, html: reportHtml(summarize(result), result.series) };
}

describe('offsetChanges', () => {
  it('finds the US DST gap and fold to the minute, by instant', () => {
    const zones = ['America/New_York', 'US/Eastern', 'America/Chicago', 'America/Phoenix'];
    expect(offsetChanges(zones, at('2024-03-09T00:00Z'), at('2024-03-12T00:00Z'))).toEqual([
      {
        atMs: at('2024-03-10T07:00Z'),
        zones: [
          { zone: 'America/New_York', fromMinutes: -300, toMinutes: -240 },
          { zone: 'US/Eastern', fromMinutes: -300, toMinutes: -240 },
        ],
      },
      {
        atMs: at('2024-03-10T08:00Z'),
        zones: [{ zone: 'America/Chicago', fromMinutes: -360, toMinutes: -300 }],
      },
    ]);
    expect(offsetChanges(['America/New_York'], at('2024-10-01T00:00Z'), at('2024-12-01T00:00Z'))).toEqual([
      {
        atMs: at('2024-11-03T06:00Z'),
        zones: [{ zone: 'America/New_York', fromMinutes: -240, toMinutes: -300 }],
      },
    ]);
  });

  it('finds 30-minute changes, several in a long range, and none in zones without DST', () => {
    const changes = offsetChanges(
      ['Australia/Lord_Howe', 'Asia/Kathmandu'],
      at('2024-01-01T00:00Z'),
      at('2025-01-01T00:00Z'),
    );
    expect(changes.map((c) => [new Date(c.atMs).toISOString(), c.zones[0]!.toMinutes])).toEqual([
      ['2024-04-06T15:00:00.000Z', 630],
      ['2024-10-05T15:30:00.000Z', 660],
    ]);
  });

  it('skips fixed offsets and unknown zones, and keeps to the half-open range', () => {
    expect(
      offsetChanges(
        ['-05:00', '+05:30:15', 'Nowhere/Else'],
        at('2024-03-01T00:00Z'),
        at('2024-12-01T00:00Z'),
      ),
    ).toEqual([]);
    expect(
      offsetChanges(['America/New_York'], at('2024-03-10T07:00Z'), at('2024-03-11T00:00Z')),
    ).toHaveLength(1);
    expect(offsetChanges(['America/New_York'], at('2024-03-09T00:00Z'), at('2024-03-10T07:00Z'))).toEqual([]);
  });
});

describe('regionBands', () => {
  const series = (regions: number) =>
    ({
      hourStartsMs: [0, 3_600_000],
      regions: Array.from({ length: regions }, (_, i) => `r${i}`),
      dialsByRegion: Array.from({ length: regions }, (_, i) => [100 - i, 50 - i]),
    }) as unknown as SimulationSeries;

  it('gives every region its own colour when there are ten or fewer', () => {
    for (const n of [1, 9, 10]) {
      const bands = regionBands(series(n));
      expect(bands.labels).toHaveLength(n);
      expect(new Set(bands.colours).size).toBe(n);
    }
  });

  it('keeps the nine largest regions and sums the rest as other, in grey', () => {
    const bands = regionBands(series(12));
    expect(bands.labels).toHaveLength(10);
    expect(bands.labels[9]).toBe('other (3 regions)');
    expect(bands.colours).toEqual([...REGION_COLOURS, OTHER_COLOUR]);
    expect(new Set(bands.colours).size).toBe(10);
    expect(bands.dials[9]).toEqual([91 + 90 + 89, 41 + 40 + 39]);
  });
});

/** The parts of uPlot's options the tests read. */
interface ChartOptions {
  scales: { x: { range: unknown } };
  hooks: { draw: unknown[] };
  axes: { label: string; values: (u: null, ticks: number[]) => string[] }[];
  series: { value: (u: null, v: number) => string }[];
}

/** Runs the report's script on a stub of the DOM and of uPlot; returns the options of each chart. */
function chartOptions(html: string): Map<string, ChartOptions> {
  const json = /<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!;
  const ids = [...html.matchAll(/<div id="(\w+)"><\/div>/g)].map((m) => m[1]!);
  const charts = new Map<string, ChartOptions>();
  const elements = new Map<string, unknown>(ids.map((id) => [id, { id, clientWidth: 1000 }]));
  function uPlot(opts: ChartOptions, _data: unknown, el: { id: string }) {
    charts.set(el.id, opts);
    return { setSize() {}, setData() {} };
  }
  uPlot.tzDate = (d: Date) => d;
  uPlot.paths = { bars: () => 'bars', stepped: () => 'stepped' };
  runInNewContext(REPORT_SCRIPT, {
    uPlot,
    window: { addEventListener() {}, devicePixelRatio: 1 },
    document: {
      getElementById: (id: string) => (id === 'data' ? { textContent: json } : (elements.get(id) ?? null)),
    },
  });
  return charts;
}

describe('reportHtml', () => {
  it('lists the DST changes of the default run and marks them on every time chart', async () => {
    const { html } = await report(syntheticEntries({ numbers: 600, seed: 1, startMs: START_MS }), 2);
    expect(html).toContain('2024-03-10 07:00 UTC: America/New_York UTC-05:00 \u2192 UTC-04:00');
    const charts = chartOptions(html);
    expect([...charts.keys()]).toEqual(['dials', 'queue', 'lines', 'wait', 'attempts', 'completion']);
    for (const id of ['dials', 'queue', 'lines', 'wait', 'completion']) {
      const opts = charts.get(id)!;
      expect(opts.scales.x.range, id).toEqual([START_MS / 1000, (START_MS + 2 * 86_400_000) / 1000]);
      expect(opts.hooks.draw, id).toHaveLength(1);
      expect(opts.axes[0]!.label, id).toBe('time (UTC)');
    }
  });

  it('formats times as 24-hour UTC, the date under the first tick and at midnight', async () => {
    const { html } = await report(syntheticEntries({ numbers: 200, seed: 1, startMs: START_MS }), 1);
    const queue = chartOptions(html).get('queue')!;
    const ticks = [
      at('2024-03-09T20:00Z'),
      at('2024-03-09T22:00Z'),
      at('2024-03-10T00:00Z'),
      at('2024-03-10T14:00Z'),
    ];
    expect(
      queue.axes[0]!.values(
        null,
        ticks.map((ms) => ms / 1000),
      ),
    ).toEqual(['20:00\n2024-03-09', '22:00', '00:00\n2024-03-10', '14:00']);
    expect(queue.series[0]!.value(null, at('2024-03-09T13:15Z') / 1000)).toBe('2024-03-09 13:15 UTC');
  });

  it('shows a "no data" note instead of the charts of a run without dials', async () => {
    const body = [{ phone: '+1 212 555 0100', startDateTime: '2024-04-01T00:00:00Z' }];
    const { result, html } = await report(body, 0.5);
    expect(result.dials).toBe(0);
    expect(html).toContain('No data: nothing was dialed in the simulated range.');
    for (const id of ['dials', 'local-hours', 'lines', 'wait', 'attempts', 'completion'])
      expect(html).not.toContain(`id="${id}"`);
    // The heat map of local hours says so too.
    expect(html).toMatch(/Dials by the callee&#39;s local hour<\/h2>.*<div class="nodata">No data: /);
    // The waiting job is still drawn.
    expect(html).toContain('id="queue"');
    expect([...chartOptions(html).keys()]).toEqual(['queue']);
  });
});
