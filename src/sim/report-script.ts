/**
 * The script of the HTML report, run by the browser after uPlot: it reads the run's data from the
 * `<script id="data" type="application/json">` element and draws the charts. Kept as plain browser
 * JavaScript text (not a TypeScript function turned into text), so what a transpiler adds cannot
 * leak into the page.
 */
export const REPORT_SCRIPT = `
'use strict';
(function () {
  const data = JSON.parse(document.getElementById('data').textContent);
  const s = data.series;
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7',
    '#9c755f', '#bab0ac', '#1f77b4', '#8c564b', '#17becf'];
  const utc = (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');
  const hours = s.hourStartsMs.map((ms) => ms / 1000);
  const sampleTimes = s.samples.map((x) => x.atMs / 1000);
  const fmt = (v) => (v == null ? '-' : Math.round(v).toLocaleString('en-US'));
  const fmt1 = (v) => (v == null ? '-' : (Math.round(v * 10) / 10).toLocaleString('en-US'));
  const charts = [];

  function widthOf(el) {
    return Math.max(320, el.clientWidth - 4);
  }

  function chart(id, opts, series) {
    const el = document.getElementById(id);
    const u = new uPlot(Object.assign({ width: widthOf(el), height: 280, tzDate: utc }, opts), series, el);
    charts.push([u, el]);
    return u;
  }

  // align 1: a bar starts at its x (an hour's start); 0: centred on it (a count).
  function bars(size, align) {
    return uPlot.paths.bars({ size: [size, 60], align: align });
  }

  // Dials per hour, stacked by the callee's region: series k draws the sum of the regions up to k, the
  // tallest first, so each visible band is one region; the legend shows the region's own count.
  const MAX_REGIONS = s.regions.length <= 13 ? 13 : 12;
  let regions = s.regions.slice(0, MAX_REGIONS);
  let perRegion = s.dialsByRegion.slice(0, MAX_REGIONS);
  if (s.regions.length > MAX_REGIONS) {
    regions = regions.concat(['other']);
    const rest = hours.map((_, h) => s.dialsByRegion.slice(MAX_REGIONS).reduce((a, d) => a + d[h], 0));
    perRegion = perRegion.concat([rest]);
  }
  const stackOrder = regions.map((_, i) => i).reverse();
  function stacked(shown) {
    const out = [hours];
    for (const i of stackOrder) {
      out.push(hours.map((_, h) => {
        let sum = 0;
        for (let j = 0; j <= i; j++) if (shown[j]) sum += perRegion[j][h];
        return shown[i] ? sum : null;
      }));
    }
    out.push(hours.map((_, h) => perRegion.reduce((a, d) => a + d[h], 0)));
    return out;
  }
  const shown = regions.map(() => true);
  chart(
    'dials',
    {
      series: [{ label: 'hour (UTC)' }]
        .concat(stackOrder.map((i) => ({
          label: regions[i],
          fill: PALETTE[i % PALETTE.length],
          stroke: PALETTE[i % PALETTE.length],
          width: 0,
          points: { show: false },
          paths: bars(0.9, 1),
          value: (u, v, si, di) => (di == null ? '-' : fmt(perRegion[i][di])),
        })))
        .concat([{ label: 'all zones', stroke: '#222', width: 1, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }), value: (u, v) => fmt(v) }]),
      // The last hour's bar runs to the end of the run.
      scales: { x: { time: true, range: [s.startMs / 1000, s.endMs / 1000] } },
      axes: [{}, { label: 'dials per hour', size: 70 }],
      hooks: {
        setSeries: [
          (u, si) => {
            if (si == null || si > regions.length) return;
            const i = stackOrder[si - 1];
            const now = u.series[si].show;
            if (shown[i] === now) return;
            shown[i] = now;
            u.setData(stacked(shown));
          },
        ],
      },
    },
    stacked(shown),
  );

  chart(
    'queue',
    {
      series: [
        { label: 'time (UTC)' },
        { label: 'ready', stroke: '#e15759', width: 2, fill: 'rgba(225,87,89,0.08)', value: (u, v) => fmt(v) },
        { label: 'waiting', stroke: '#4e79a7', width: 2, value: (u, v) => fmt(v) },
        { label: 'dialing', stroke: '#59a14f', width: 1.5, value: (u, v) => fmt(v) },
      ],
      axes: [{}, { label: 'jobs', size: 80 }],
    },
    [sampleTimes, s.samples.map((x) => x.ready), s.samples.map((x) => x.waiting), s.samples.map((x) => x.dialing)],
  );

  // Busy line time per sample slot (faint) and per hour (filled): the same measure at two scales.
  const slotTimes = s.utilisationBySlot.map((_, k) => (s.startMs + k * s.slotMs) / 1000);
  const slotsPerHour = Math.max(1, Math.round(3600000 / s.slotMs));
  const hourly = slotTimes.map((_, k) => {
    const first = k - (k % slotsPerHour);
    const slots = s.utilisationBySlot.slice(first, first + slotsPerHour);
    return (100 * slots.reduce((a, b) => a + b, 0)) / slots.length;
  });
  const lastOf = (xs) => xs[xs.length - 1];
  const percentAndLines = (u, v) => (v == null ? '-' : fmt1(v) + '% (' + fmt1((v * s.lines) / 100) + ' lines)');
  chart(
    'lines',
    {
      series: [
        { label: 'time (UTC)' },
        {
          label: 'hourly',
          scale: '%',
          stroke: '#f28e2b',
          fill: 'rgba(242,142,43,0.3)',
          width: 2,
          points: { show: false },
          paths: uPlot.paths.stepped({ align: 1 }),
          value: percentAndLines,
        },
        {
          label: s.slotMs / 60000 + '-minute',
          scale: '%',
          stroke: 'rgba(78,121,167,0.55)',
          width: 1,
          points: { show: false },
          paths: uPlot.paths.stepped({ align: 1 }),
          value: percentAndLines,
        },
      ],
      scales: { '%': { range: [0, 100] } },
      axes: [
        {},
        { label: 'busy line time', scale: '%', values: (u, ticks) => ticks.map((t) => t + '%'), size: 60 },
        { label: 'busy lines of ' + s.lines, scale: '%', side: 1, grid: { show: false }, size: 60, values: (u, ticks) => ticks.map((t) => fmt1((t * s.lines) / 100)) },
      ],
    },
    [
      slotTimes.concat([s.endMs / 1000]),
      hourly.concat([lastOf(hourly)]),
      s.utilisationBySlot.map((x) => x * 100).concat([lastOf(s.utilisationBySlot) * 100]),
    ],
  );

  chart(
    'wait',
    {
      series: [
        { label: 'hour (UTC)' },
        { label: 'median', stroke: '#59a14f', width: 2, value: (u, v) => (v == null ? '-' : fmt1(v) + ' min') },
        { label: '95th percentile', stroke: '#e15759', width: 2, value: (u, v) => (v == null ? '-' : fmt1(v) + ' min') },
      ],
      axes: [{}, { label: 'minutes from ready to dial', size: 70 }],
    },
    [hours, s.waitP50ByHour.map((v) => (v == null ? null : v / 60)), s.waitP95ByHour.map((v) => (v == null ? null : v / 60))],
  );

  const attempts = s.attemptsPerNumber.map((_, k) => k);
  chart(
    'attempts',
    {
      scales: { x: { time: false, range: [-0.5, Math.max(1, attempts.length) - 0.5] } },
      series: [
        { label: 'dials to the number', value: (u, v) => (v == null ? '-' : String(v)) },
        { label: 'phones', fill: '#76b7b2', stroke: '#3d7f7a', width: 1, paths: bars(0.7, 0), value: (u, v) => fmt(v) },
      ],
      axes: [{ label: 'dials to one phone over the run (all its jobs)', values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : '')) }, { label: 'phones', size: 70 }],
    },
    [attempts, s.attemptsPerNumber],
  );

  chart(
    'completion',
    {
      series: [
        { label: 'time (UTC)' },
        { label: 'completed', stroke: '#59a14f', width: 2, value: (u, v) => fmt(v) },
        { label: 'exhausted', stroke: '#e15759', width: 2, value: (u, v) => fmt(v) },
        { label: 'expired', stroke: '#9c755f', width: 2, value: (u, v) => fmt(v) },
        { label: 'redialed (callbacks)', stroke: '#b07aa1', width: 2, value: (u, v) => fmt(v) },
      ],
      axes: [{}, { label: 'jobs, cumulative', size: 80 }],
    },
    [
      sampleTimes,
      s.samples.map((x) => x.completed),
      s.samples.map((x) => x.exhausted),
      s.samples.map((x) => x.expired),
      s.samples.map((x) => x.redialed),
    ],
  );

  window.addEventListener('resize', () => {
    for (const [u, el] of charts) u.setSize({ width: widthOf(el), height: 280 });
  });
})();
`;
