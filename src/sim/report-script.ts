/**
 * The script of the HTML report, run by the browser after uPlot: it reads the run's data from the
 * `<script id="data" type="application/json">` element and draws the charts (a chart whose element
 * is absent was replaced by a "no data" note). Times are UTC, 24-hour; every time chart spans the
 * simulated range and marks the DST changes of the dialed zones with dashed lines. Kept as plain browser
 * JavaScript text (not a TypeScript function turned into text), so what a transpiler adds cannot
 * leak into the page.
 */
export const REPORT_SCRIPT = `
'use strict';
(function () {
  const data = JSON.parse(document.getElementById('data').textContent);
  const s = data.series;
  const bands = data.bands;
  const utc = (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');
  const hours = s.hourStartsMs.map((ms) => ms / 1000);
  const sampleTimes = s.samples.map((x) => x.atMs / 1000);
  const range = [s.startMs / 1000, s.endMs / 1000];
  const fmt = (v) => (v == null ? '-' : Math.round(v).toLocaleString('en-US'));
  const fmt1 = (v) => (v == null ? '-' : (Math.round(v * 10) / 10).toLocaleString('en-US'));
  const pad = (n) => String(n).padStart(2, '0');
  const hhmm = (ts) => { const d = new Date(ts * 1000); return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()); };
  const ymd = (ts) => new Date(ts * 1000).toISOString().slice(0, 10);
  const stamp = (ts) => (ts == null ? '-' : ymd(ts) + ' ' + hhmm(ts) + ' UTC');
  const DST_COLOUR = '#7b3fb5';
  const charts = [];

  function widthOf(el) {
    return Math.max(320, el.clientWidth - 4);
  }

  // 24-hour UTC tick labels; the date under the first tick and under each midnight.
  function timeTicks(u, splits) {
    let lastDay = null;
    return splits.map((ts) => {
      const day = ymd(ts);
      const label = day !== lastDay ? hhmm(ts) + '\\n' + day : hhmm(ts);
      lastDay = day;
      return label;
    });
  }

  // Dashed vertical lines at the DST changes of the dialed zones, labelled where there is room.
  function drawDst(u) {
    if (data.dst.length === 0) return;
    const ctx = u.ctx;
    const dpr = window.devicePixelRatio || 1;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.strokeStyle = DST_COLOUR;
    ctx.fillStyle = DST_COLOUR;
    ctx.lineWidth = dpr;
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.font = 11 * dpr + 'px system-ui, sans-serif';
    let lastLabel = -Infinity;
    for (const change of data.dst) {
      const x = Math.round(u.valToPos(change.atMs / 1000, 'x', true)) + 0.5;
      if (x < left || x > left + width) continue;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      if (x - lastLabel > 40 * dpr) {
        ctx.fillText('DST', x + 3 * dpr, top + 11 * dpr);
        lastLabel = x;
      }
    }
    ctx.restore();
  }

  function chart(id, opts, series) {
    const el = document.getElementById(id);
    if (el == null) return null;
    const u = new uPlot(Object.assign({ width: widthOf(el), height: 280, tzDate: utc }, opts), series, el);
    charts.push([u, el]);
    return u;
  }

  // A chart over time: x spans the simulated range, 24-hour UTC labels, DST lines.
  function timeChart(id, opts, series) {
    if (document.getElementById(id) == null) return null;
    const o = Object.assign({}, opts);
    o.scales = Object.assign({}, opts.scales, { x: { time: true, range: range } });
    o.axes = [{ label: 'time (UTC)', values: timeTicks, space: 60, size: 56 }].concat(opts.axes.slice(1));
    o.series = [Object.assign({ value: (u, v) => stamp(v) }, opts.series[0])].concat(opts.series.slice(1));
    o.hooks = Object.assign({}, opts.hooks, { draw: [drawDst] });
    // Room for the date under the last tick when no right axis gives it.
    if (!opts.axes.some((a) => a.side === 1)) o.padding = [null, 40, null, null];
    return chart(id, o, series);
  }

  // align 1: a bar starts at its x (an hour's start) and spans the hour; 0: centred on it (a count),
  // at most 60 px wide.
  function bars(size, align) {
    return uPlot.paths.bars({ size: [size, align === 1 ? Infinity : 60], align: align });
  }

  // Dials per hour, stacked by the callee's region: series k draws the sum of the bands up to k, the
  // tallest first, so each visible band is one region; the legend shows the region's own count.
  const perRegion = bands.dials;
  const stackOrder = bands.labels.map((_, i) => i).reverse();
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
  const shown = bands.labels.map(() => true);
  timeChart(
    'dials',
    {
      series: [{ label: 'hour' }]
        .concat(stackOrder.map((i) => ({
          label: bands.labels[i],
          fill: bands.colours[i],
          stroke: bands.colours[i],
          width: 0,
          points: { show: false },
          paths: bars(0.9, 1),
          value: (u, v, si, di) => (di == null ? '-' : fmt(perRegion[i][di])),
        })))
        .concat([{ label: 'all zones', stroke: '#222', width: 1, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }), value: (u, v) => fmt(v) }]),
      axes: [{}, { label: 'dials per hour', size: 70 }],
      hooks: {
        setSeries: [
          (u, si) => {
            if (si == null || si > bands.labels.length) return;
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

  // No dialing series: the calls in progress are the busy lines of the line utilisation chart.
  timeChart(
    'queue',
    {
      series: [
        { label: 'time' },
        { label: 'ready', stroke: '#e15759', width: 2, fill: 'rgba(225,87,89,0.08)', value: (u, v) => fmt(v) },
        { label: 'waiting', stroke: '#4e79a7', width: 2, value: (u, v) => fmt(v) },
      ],
      axes: [{}, { label: 'jobs', size: 80 }],
    },
    [sampleTimes, s.samples.map((x) => x.ready), s.samples.map((x) => x.waiting)],
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
  timeChart(
    'lines',
    {
      series: [
        { label: 'time' },
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

  timeChart(
    'wait',
    {
      series: [
        { label: 'hour' },
        { label: 'median', stroke: '#59a14f', width: 2, value: (u, v) => (v == null ? '-' : fmt1(v) + ' min') },
        { label: '95th percentile', stroke: '#e15759', width: 2, value: (u, v) => (v == null ? '-' : fmt1(v) + ' min') },
      ],
      axes: [{}, { label: 'minutes from ready to dial', size: 70 }],
    },
    [hours, s.waitP50ByHour.map((v) => (v == null ? null : v / 60)), s.waitP95ByHour.map((v) => (v == null ? null : v / 60))],
  );

  // Log scale: a count of 0 has no place on it and is left out (the legend shows 0); the axis starts
  // below 1 so that a single phone still shows as a bar.
  const attempts = s.attemptsPerNumber.map((_, k) => k);
  const maxPhones = Math.max(1, ...s.attemptsPerNumber);
  const topPhones = Math.pow(10, Math.ceil(Math.log10(maxPhones * 1.5)));
  const decades = [];
  for (let p = 1; p <= topPhones; p *= 10) decades.push(p);
  // Each bar's count over it: a log axis is hard to read off for the tail.
  function countsOverBars(u) {
    const ctx = u.ctx;
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.fillStyle = '#1d2330';
    ctx.font = 11 * dpr + 'px system-ui, sans-serif';
    ctx.textAlign = 'center';
    s.attemptsPerNumber.forEach((v, k) => {
      const x = u.valToPos(k, 'x', true);
      const y = v > 0 ? u.valToPos(v, 'y', true) : u.bbox.top + u.bbox.height;
      ctx.fillText(fmt(v), x, y - 4 * dpr);
    });
    ctx.restore();
  }
  chart(
    'attempts',
    {
      scales: {
        x: { time: false, range: [-0.5, Math.max(1, attempts.length) - 0.5] },
        y: { distr: 3, log: 10, range: [0.5, topPhones] },
      },
      series: [
        { label: 'dials to the number', value: (u, v) => (v == null ? '-' : String(v)) },
        { label: 'phones', fill: '#76b7b2', stroke: '#3d7f7a', width: 1, paths: bars(0.7, 0), points: { show: false }, value: (u, v, si, di) => (di == null ? '-' : fmt(s.attemptsPerNumber[di])) },
      ],
      axes: [
        { label: 'dials to one phone over the run (all its jobs)', values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : '')) },
        { label: 'phones (log scale)', size: 70, splits: () => decades, values: (u, ticks) => ticks.map((t) => fmt(t)) },
      ],
      hooks: { draw: [countsOverBars] },
    },
    [attempts, s.attemptsPerNumber.map((v) => (v > 0 ? v : null))],
  );

  timeChart(
    'completion',
    {
      series: [
        { label: 'time' },
        { label: 'completed', stroke: '#59a14f', width: 2, value: (u, v) => fmt(v) },
        { label: 'exhausted', stroke: '#e15759', width: 2, value: (u, v) => fmt(v) },
        { label: 'redialed (callbacks)', stroke: '#b07aa1', width: 2, value: (u, v) => fmt(v) },
        { label: 'expired (right axis)', scale: 'expired', stroke: '#9c755f', width: 2, dash: [6, 3], value: (u, v) => fmt(v) },
      ],
      scales: { expired: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
      axes: [
        {},
        { label: 'jobs, cumulative', size: 80 },
        { label: 'expired jobs, cumulative', scale: 'expired', side: 1, grid: { show: false }, size: 60, stroke: '#7a5a48' },
      ],
    },
    [
      sampleTimes,
      s.samples.map((x) => x.completed),
      s.samples.map((x) => x.exhausted),
      s.samples.map((x) => x.redialed),
      s.samples.map((x) => x.expired),
    ],
  );

  window.addEventListener('resize', () => {
    for (const [u, el] of charts) u.setSize({ width: widthOf(el), height: 280 });
  });
})();
`;
