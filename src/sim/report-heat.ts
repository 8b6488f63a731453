import type { LocalHourRow } from './local-hours.js';

/** The band the heat map outlines: 08:00 to 21:00 on the callee's wall clock (the US federal hours). */
export const BAND_FROM_HOUR = 8;
export const BAND_TO_HOUR = 21;

const HOURS = Array.from({ length: 24 }, (_, h) => h);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const isInBand = (hour: number) => hour >= BAND_FROM_HOUR && hour < BAND_TO_HOUR;

/** Dials to numbers under calling rules, and those of them outside the band. */
export function bandFigures(rows: readonly LocalHourRow[]): { ruledDials: number; outsideBand: number } {
  let ruledDials = 0;
  let outsideBand = 0;
  for (const row of rows) {
    if (!row.ruled) continue;
    row.dials.forEach((dials, hour) => {
      ruledDials += dials;
      if (!isInBand(hour)) outsideBand += dials;
    });
  }
  return { ruledDials, outsideBand };
}

/** A cell's background: white to dark blue by the square root of its share of the busiest cell. */
function shade(dials: number, most: number): string {
  if (dials === 0) return '';
  const share = Math.sqrt(dials / most);
  const lightness = Math.round(96 - share * 62);
  return `background:hsl(212 62% ${lightness}%);${lightness < 58 ? 'color:#fff;' : ''}`;
}

function row(r: LocalHourRow, most: number): string {
  const total = r.dials.reduce((a, b) => a + b, 0);
  const cells = HOURS.map((hour) => {
    const dials = r.dials[hour]!;
    const classes = [isInBand(hour) ? 'in' : 'off'];
    if (hour === BAND_FROM_HOUR) classes.push('band-start');
    if (hour === BAND_TO_HOUR - 1) classes.push('band-end');
    // A dial outside the band to a number under a rule: what a compliance officer looks for.
    if (r.ruled && !isInBand(hour) && dials > 0) classes.push('breach');
    const title = `${r.place}, ${r.zone}: ${dials.toLocaleString('en-US')} dials at ${String(hour).padStart(2, '0')}:00-${String(hour).padStart(2, '0')}:59 local`;
    return `<td class="${classes.join(' ')}" style="${shade(dials, most)}" title="${escapeHtml(title)}">${dials === 0 ? '' : dials.toLocaleString('en-US')}</td>`;
  }).join('');
  return `<tr><th class="row"><b>${escapeHtml(r.place)}</b> ${escapeHtml(r.zone)}</th>${cells}<td class="total">${total.toLocaleString('en-US')}</td></tr>`;
}

/**
 * The heat map of dials by the callee's local hour as an HTML table (no script needed): one row per
 * place and zone, rows under calling rules first, columns 00 to 23 on the callee's wall clock, the
 * 08:00-21:00 band outlined and the hours outside it hatched; a dial outside the band to a number under
 * a rule is marked red.
 */
export function heatMapHtml(rows: readonly LocalHourRow[]): string {
  const most = Math.max(1, ...rows.flatMap((r) => r.dials));
  const head = HOURS.map(
    (hour) =>
      `<th class="${isInBand(hour) ? 'in' : 'off'}${hour === BAND_FROM_HOUR ? ' band-start' : ''}${hour === BAND_TO_HOUR - 1 ? ' band-end' : ''}">${String(hour).padStart(2, '0')}</th>`,
  ).join('');
  const ruled = rows.filter((r) => r.ruled);
  const free = rows.filter((r) => !r.ruled);
  const group = (label: string, list: readonly LocalHourRow[]) =>
    list.length === 0
      ? ''
      : `<tr class="group"><th class="row">${escapeHtml(label)}</th><td colspan="25"></td></tr>${list.map((r) => row(r, most)).join('')}`;
  return `<div class="heat-wrap"><table class="heat">
<thead><tr><th class="row">place, zone</th>${head}<th class="total">dials</th></tr></thead>
<tbody>${group('Numbers under calling rules', ruled)}${group('Numbers no calling rule applies to', free)}</tbody>
</table></div>`;
}

/** The stylesheet of {@link heatMapHtml}. */
export const HEAT_MAP_CSS = `
  .heat-wrap { overflow-x: auto; margin-bottom: 8px; }
  .heat { border-collapse: collapse; font-size: 11px; font-variant-numeric: tabular-nums; width: 100%; }
  .heat th, .heat td { padding: 2px 3px; border: 1px solid #eef0f4; }
  .heat td { min-width: 28px; text-align: right; height: 16px; }
  .heat thead th { position: sticky; top: 0; background: #fff; font-weight: 600; text-align: center; }
  .heat thead th.in { background: #e3f4e8; color: #1d5e35; }
  .heat th.row { position: sticky; left: 0; z-index: 1; text-align: left; white-space: nowrap; font-weight: 400; background: #fff; }
  .heat th.row b { display: inline-block; min-width: 44px; font-weight: 600; }
  .heat td.off:not([style*="background"]) { background: repeating-linear-gradient(135deg, #f4f5f7 0 4px, #fff 4px 8px); }
  .heat .band-start { border-left: 2px solid #2f8f4e; }
  .heat .band-end { border-right: 2px solid #2f8f4e; }
  .heat td.breach { outline: 2px solid #e15759; outline-offset: -2px; font-weight: 700; }
  .heat td.total { color: #5b6475; padding-left: 8px; }
  .heat tr.group th, .heat tr.group td { background: #f6f7f9; color: #5b6475; font-weight: 600; padding-top: 6px; }
`;
