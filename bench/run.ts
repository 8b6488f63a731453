import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchIngest } from './ingest.js';
import { benchMemory } from './memory.js';
import { benchNextCallWindow } from './next-call-window.js';
import { benchServe } from './serve.js';

/**
 * Runs every scenario, each against its baseline in the same run, prints one table and writes
 * bench/results.json. `--quick` runs tiny sizes and writes nothing (a smoke run).
 */
const quick = process.argv.includes('--quick');

const memory = benchMemory(quick ? 20_000 : 1_000_000);
const nextCallWindow = await benchNextCallWindow(quick ? 200 : 10_000, quick ? 50 : 1500);
const ingest = benchIngest(quick ? 2_000 : 100_000, quick ? 2 : 7);
const sizes = quick ? [1_000, 10_000] : [10_000, 100_000, 1_000_000];
const serve = benchServe(sizes, quick ? 20_000 : 300_000);

const ns = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ns`;
const ratio = (ours: number, base: number) => `${(ours / base).toFixed(2)}x`;
const rows = [
  {
    scenario: `nextCallWindow, ${nextCallWindow.policies} policies (median)`,
    ours: ns(nextCallWindow.nsPerOp),
    baseline: `naive luxon scan ${ns(nextCallWindow.luxonNsPerOp)}`,
    'ours / baseline': `1/${(nextCallWindow.luxonNsPerOp / nextCallWindow.nsPerOp).toFixed(0)}`,
  },
  {
    scenario: 'isCallAllowed (median)',
    ours: ns(nextCallWindow.isCallAllowedNsPerOp),
    baseline: '',
    'ours / baseline': '',
  },
  {
    scenario: `addPhones, ${ingest.entries} entries (per entry)`,
    ours: ns(ingest.nsPerEntry),
    baseline: `JSON.parse ${ns(ingest.jsonParseNsPerEntry)}`,
    'ours / baseline': ratio(ingest.nsPerEntry, ingest.jsonParseNsPerEntry),
  },
  ...sizes.map((size) => ({
    scenario: `serve cycle, ${size} jobs (next + fail)`,
    ours: ns(serve.nsPerCycle[size]!),
    baseline: `typed heap ${ns(serve.typedHeapFloorNsPerCycle[size]!)}, tinyqueue ${ns(serve.tinyqueueNsPerCycle[size]!)}`,
    'ours / baseline': ratio(serve.nsPerCycle[size]!, serve.typedHeapFloorNsPerCycle[size]!),
  })),
  {
    scenario: `memory, ${memory.jobs} jobs without payload`,
    ours: `${memory.bytesPerJob.toFixed(0)} bytes/job`,
    baseline: 'target 150',
    'ours / baseline': ratio(memory.bytesPerJob, 150),
  },
];
console.table(rows);

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}`,
  nextCallWindow,
  ingest,
  serve,
  memory,
};
if (!quick) {
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results.json');
}
