import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchNextCallWindow } from './next-call-window.js';

/** Runs every scenario, prints a table and writes bench/results.json. `--quick` runs tiny sizes. */
const quick = process.argv.includes('--quick');
const timeMs = quick ? 50 : 1500;

const nextWindow = await benchNextCallWindow(quick ? 200 : 10_000, timeMs);
const rows = [
  [
    'nextCallWindow, 10k policies',
    `${nextWindow.nsPerOp.toFixed(1)} ns`,
    `luxon scan ${nextWindow.luxonNsPerOp.toFixed(0)} ns`,
    `${(nextWindow.luxonNsPerOp / nextWindow.nsPerOp).toFixed(0)}x`,
  ],
  ['isCallAllowed, 10k policies', `${nextWindow.isCallAllowedNsPerOp.toFixed(1)} ns`, '', ''],
];
console.table(rows.map(([scenario, ours, baseline, ratio]) => ({ scenario, ours, baseline, ratio })));

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  nextCallWindow: nextWindow,
};
if (!quick)
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
