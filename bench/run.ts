import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchBadBody } from './bad-body.js';
import { benchHostileInput } from './hostile-input.js';
import { benchHttp, httpRows } from './http.js';
import { benchIngest } from './ingest.js';
import { benchLongCampaign } from './long-campaign.js';
import { benchMemory } from './memory.js';
import { benchNextCallWindow } from './next-call-window.js';
import { benchNextCallWindowRules } from './next-call-window-rules.js';
import { benchPostgresCampaign, campaignRows } from './postgres/campaign.js';
import { benchServe } from './serve.js';
import { benchSimulation } from './simulation.js';
import { benchZoneOffset } from './zone-offset.js';

/**
 * Runs every scenario, each against its baseline in the same run, prints one table and writes
 * bench/results.json. `--quick` runs tiny sizes and writes nothing (a smoke run).
 */
const quick = process.argv.includes('--quick');

// The PostgreSQL campaign first, so that its RSS readings are of a process that has done nothing else
// (it starts its own server unless DATABASE_URL is set); then memory, on a fresh heap; the simulation
// late, as it leaves the most garbage behind.
const postgresCampaign = await benchPostgresCampaign({
  ...(quick && {
    jobs: 2_000,
    bodySize: 500,
    seconds: 0.5,
    warmupSeconds: 0.2,
    latencySamples: 50,
    heldJobs: 100,
  }),
  onProgress: (line) => process.stderr.write(`${line}\n`),
});
const memory = benchMemory(quick ? 20_000 : 1_000_000);
const nextCallWindow = await benchNextCallWindow(quick ? 200 : 10_000, quick ? 50 : 1500);
const zoneOffset = await benchZoneOffset(quick ? 2_000 : 100_000, quick ? 50 : 1500);
const ingest = benchIngest(quick ? 2_000 : 100_000, quick ? 2 : 7);
const badBody = benchBadBody(quick ? 5_000 : 1_000_000);
const sizes = quick ? [1_000, 10_000] : [10_000, 100_000, 1_000_000];
const serve = benchServe(sizes, quick ? 20_000 : 300_000);
const hostile = quick ? benchHostileInput(500, 200) : benchHostileInput(20_000, 10_000);
const longCampaign = quick
  ? benchLongCampaign(3, 500, 10, [1, 3])
  : benchLongCampaign(60, 20_000, 60, [10, 30, 60]);
const simulation = quick ? await benchSimulation(2_000, 0.5, 500) : await benchSimulation(1_000_000, 3, 500);
// The HTTP service in a process of its own, loaded from this one; quick: 1 s per scenario, in memory only.
const http = await benchHttp({ seconds: quick ? 1 : 10, postgres: !quick });
// Last: it loads the holiday calendar, which would stay in memory for the scenarios after it.
const rules = await benchNextCallWindowRules(quick ? 200 : 10_000, quick ? 50 : 1500);

const ns = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ns`;
const ratio = (ours: number, base: number) => `${(ours / base).toFixed(2)}x`;
/** How many times faster (or slower) ours is: baseline time over ours. */
const speed = (ours: number, base: number) =>
  ours <= base ? `${(base / ours).toFixed(base / ours < 10 ? 1 : 0)}x faster` : `${ratio(ours, base)} slower`;
const count = (n: number) => n.toLocaleString('en-US');
const rows = [
  {
    scenario: `nextCallWindow, ${count(nextCallWindow.policies)} policies (median)`,
    ours: ns(nextCallWindow.nsPerOp),
    baseline: `naive luxon scan ${ns(nextCallWindow.luxonNsPerOp)}`,
    'ours vs baseline': speed(nextCallWindow.nsPerOp, nextCallWindow.luxonNsPerOp),
  },
  {
    scenario: 'nextCallWindow, same policies in UTC without dates',
    ours: ns(nextCallWindow.utcNsPerOp),
    baseline: `opening_hours ${ns(nextCallWindow.openingHoursNsPerOp)}`,
    'ours vs baseline': speed(nextCallWindow.utcNsPerOp, nextCallWindow.openingHoursNsPerOp),
  },
  {
    scenario: '  opening_hours answers that differ from ours',
    ours: `${count(nextCallWindow.openingHoursMismatches)} of ${count(nextCallWindow.openingHoursQueries)}`,
    baseline: `at :00/:30 boundaries ${count(nextCallWindow.openingHoursBoundaryMismatches)} of ${count(nextCallWindow.openingHoursBoundaryQueries)}`,
    'ours vs baseline': '',
  },
  {
    scenario: 'isCallAllowed (median)',
    ours: ns(nextCallWindow.isCallAllowedNsPerOp),
    baseline: '',
    'ours vs baseline': '',
  },
  {
    scenario: `nextCallWindow with US_RULES, ${count(rules.policies)} policies (median)`,
    ours: ns(rules.usRulesNsPerOp),
    baseline: `without rules ${ns(rules.nsPerOp)}`,
    'ours vs baseline': `${ratio(rules.usRulesNsPerOp, rules.nsPerOp)} (target 1.5x)`,
  },
  {
    scenario: 'isCallAllowed with US_RULES (median)',
    ours: ns(rules.usRulesIsCallAllowedNsPerOp),
    baseline: `without rules ${ns(rules.isCallAllowedNsPerOp)}`,
    'ours vs baseline': ratio(rules.usRulesIsCallAllowedNsPerOp, rules.isCallAllowedNsPerOp),
  },
  {
    scenario: `zone offset, ${zoneOffset.zones} region zones, 2024..2030 (median)`,
    ours: ns(zoneOffset.nsPerOp),
    baseline: `luxon IANAZone.offset ${ns(zoneOffset.luxonNsPerOp)}`,
    'ours vs baseline': speed(zoneOffset.nsPerOp, zoneOffset.luxonNsPerOp),
  },
  {
    scenario: `addPhones, ${count(ingest.entries)} entries (per entry)`,
    ours: ns(ingest.nsPerEntry),
    baseline: `JSON.parse ${ns(ingest.jsonParseNsPerEntry)}`,
    'ours vs baseline': speed(ingest.nsPerEntry, ingest.jsonParseNsPerEntry),
  },
  {
    scenario: `addPhones rejects ${count(badBody.entries)} bad entries`,
    ours: `${badBody.seconds.toFixed(2)} s, peak heap +${badBody.peakHeapMb.toFixed(0)} MB`,
    baseline: `JSON.parse ${badBody.jsonParseSeconds.toFixed(2)} s`,
    'ours vs baseline': speed(badBody.seconds, badBody.jsonParseSeconds),
  },
  ...sizes.map((size) => ({
    scenario: `serve cycle, ${count(size)} jobs (next + fail)`,
    ours: ns(serve.nsPerCycle[size]!),
    baseline: `typed heap ${ns(serve.typedHeapFloorNsPerCycle[size]!)}, tinyqueue ${ns(serve.tinyqueueNsPerCycle[size]!)}`,
    'ours vs baseline': `${speed(serve.nsPerCycle[size]!, serve.typedHeapFloorNsPerCycle[size]!)}, ${speed(serve.nsPerCycle[size]!, serve.tinyqueueNsPerCycle[size]!)}`,
  })),
  {
    scenario: `memory, ${count(memory.jobs)} jobs without payload`,
    ours: `${memory.bytesPerJob.toFixed(0)} bytes/job`,
    baseline: 'target 150',
    'ours vs baseline': `${ratio(memory.bytesPerJob, 150)} of target`,
  },
  {
    scenario: `addPhones, ${count(hostile.onePhoneEntries)} entries of one phone, distinct payloads`,
    ours: `${hostile.onePhoneSeconds.toFixed(2)} s`,
    baseline: `as many phones: ${hostile.distinctPhonesSeconds.toFixed(2)} s`,
    'ours vs baseline': ratio(hostile.onePhoneSeconds, hostile.distinctPhonesSeconds),
  },
  {
    scenario: `${count(hostile.jumpJobs)} waiting jobs, one call 10 years later`,
    ours: `${hostile.jumpSeconds.toFixed(3)} s`,
    baseline: `one day later: ${hostile.oneDaySeconds.toFixed(3)} s`,
    'ours vs baseline': ratio(hostile.jumpSeconds, hostile.oneDaySeconds),
  },
  {
    scenario: '10 jobs, a now in microseconds',
    ours: `${hostile.microsecondNowSeconds.toFixed(3)} s`,
    baseline: '',
    'ours vs baseline': '',
  },
  {
    scenario: `long campaign, ${count(longCampaign.numbersPerDay)} numbers a day for ${longCampaign.days} days`,
    ours: Object.entries(longCampaign.bytesAtDay)
      .map(([day, bytes]) => `day ${day}: ${(bytes / 1e6).toFixed(1)} MB`)
      .join(', '),
    baseline: `jobs retained: ${Object.values(longCampaign.jobsAtDay).map(count).join(', ')}`,
    'ours vs baseline': `last/first ${longCampaign.growth.toFixed(2)}x`,
  },
  {
    scenario: `simulation, ${count(simulation.numbers)} numbers, ${simulation.days} days, ${simulation.lines} lines`,
    ours: `${simulation.seconds.toFixed(1)} s`,
    baseline: `${count(simulation.dials)} dials, ${simulation.dialsOutsideWindow} outside their window`,
    'ours vs baseline': '',
  },
  ...campaignRows(postgresCampaign),
  ...httpRows(http),
];
console.table(rows);

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}`,
  nextCallWindow,
  rules,
  zoneOffset,
  ingest,
  badBody,
  serve,
  memory,
  hostile,
  longCampaign,
  simulation,
  postgresCampaign,
  http,
};
if (!quick) {
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results.json');
}
