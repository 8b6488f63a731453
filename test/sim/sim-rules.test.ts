/** The simulation with calling rules (§12): the summary's rule lines, the checks, `--rules`, the heat map. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncCampaign, Campaign, US_RULES } from '../../src/index.js';
import { Auditor } from '../../src/sim/audit.js';
import { type CallLogLine, CallLogWriter } from '../../src/sim/call-log.js';
import type { LocalHourRow } from '../../src/sim/local-hours.js';
import { bandFigures, heatMapHtml } from '../../src/sim/report-heat.js';
import { RuleBook } from '../../src/sim/rule-check.js';
import { simulate } from '../../src/sim/simulation.js';
import { formatSummary, summarize } from '../../src/sim/summary.js';
import { syntheticDefaults, syntheticEntries } from '../../src/sim/synthetic-campaign.js';
import { windowChecker } from '../../src/sim/window-check.js';
import { cli } from './run-cli.js';

const START_MS = Date.parse('2024-03-09T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'dialer-sim-rules-'));
const file = (name: string) => join(dir, name);
const SMALL = ['--numbers', '600', '--lines', '4', '--days', '1', '--seed', '4', '--quiet'];

function options(seed: number, numbers: number) {
  return {
    body: syntheticEntries({ numbers, seed, startMs: START_MS }),
    defaults: syntheticDefaults(START_MS),
    lines: 4,
    days: 2,
    startMs: START_MS,
    seed,
    rules: US_RULES,
  };
}

describe('simulate with calling rules', () => {
  it('finds every dial a campaign makes outside the rules when the campaign does not apply them (§12)', async () => {
    // The checker learns US_RULES; the campaign is opened without them, so it dials 08:00-09:00 and
    // 20:00-21:00 in Florida, on Sundays in Utah, and so on.
    const result = await simulate({
      ...options(6, 800),
      openCampaign: async ({ rules: _rules, ...rest }) => asyncCampaign(new Campaign(rest)),
    });
    expect(result.dialsOutsideWindow).toBe(0);
    expect(result.ruleFigures.dialsOutsideRules).toBeGreaterThan(0);
    expect(result.ruleFigures.examples[0]).toMatch(
      /^job \d+ at \S+Z: (us-[a-z-]+-calling-hours: .* is |phone \d+ over the cap of 3 attempts in 24 hours)/,
    );
  });

  it('finds no dial outside the rules when the campaign applies them (§12)', async () => {
    const result = await simulate(options(6, 800));
    expect(result.ruleFigures).toMatchObject({ dialsOutsideRules: 0, examples: [] });
    expect(result.ruleFigures.jobsRuled).toBeGreaterThan(300);
    const federal = result.ruleFigures.rules[0]!;
    expect(federal.name).toBe('us-federal-calling-hours');
    expect(federal.jobs).toBe(result.ruleFigures.jobsRuled);
    expect(federal.dials).toBeGreaterThan(federal.jobs / 2);
    // Every dial to a number under the US rules starts between 08:00 and 21:00 on its wall clock.
    expect(bandFigures(result.series.localHours)).toEqual({ ruledDials: federal.dials, outsideBand: 0 });
  });

  it('prints the rules, the jobs they held back, one line per rule and the checks in the summary (§12)', async () => {
    const text = formatSummary(summarize(await simulate(options(6, 800)), 'us (US_RULES)'));
    expect(text).toMatch(/\nrules {13}us \(US_RULES\): 13 rules, [\d,]+ jobs under at least one\n/);
    expect(text).toMatch(
      /\nheld back {9}[\d,]+ jobs? \(a rule moved the first call later\), [\d,]+ of them left no allowed instant\n/,
    );
    expect(text).toMatch(
      /\n {2}us-federal-calling-hours {2}[ \d,]+ jobs, [ \d,]+ dials, [ \d,]+ held back\n/,
    );
    expect(text).toMatch(/\n {2}us-fl-calling-hours {7}[ \d,]+ jobs, /);
    expect(text).toContain(
      '\nrule checks       0 dials outside the rules (hours, days, holidays and 24-hour caps, checked per dial with luxon and date-holidays)\n',
    );
    expect(text).not.toContain('over a 24h cap');
  });
});

describe('dialer-sim run --rules', () => {
  it('runs with US_RULES by default, and without rules for --rules none (§12)', async () => {
    const us = await cli('run', ...SMALL, '--json');
    const none = await cli('run', ...SMALL, '--json', '--rules', 'none');
    expect([us.code, none.code]).toEqual([0, 0]);
    const withRules = JSON.parse(us.out);
    const without = JSON.parse(none.out);
    expect(withRules).toMatchObject({ rules: 'us (US_RULES)', dialsOutsideRules: 0, dialsOutsideWindow: 0 });
    expect(withRules.ruleFigures.map((r: { name: string }) => r.name)).toEqual(US_RULES.map((r) => r.name));
    expect(withRules.jobsRuled).toBeGreaterThan(0);
    expect(without).toMatchObject({ rules: 'none', ruleFigures: [], jobsRuled: 0, jobsHeldBack: 0 });
    // The same body and seed: the rules change when calls go out.
    expect(without.numbers).toBe(withRules.numbers);
    expect(without.dials).not.toBe(withRules.dials);
    const text = await cli('run', ...SMALL, '--rules', 'none');
    expect(text.out).toContain('\nrules             none\n');
    expect(text.out).not.toContain('rule checks');
  });

  it('reads rules from a JSON file, and prints the issues of a bad one (§12)', async () => {
    writeFileSync(
      file('rules.json'),
      JSON.stringify([
        {
          name: 'office-hours',
          allowedTime: { default: [{ localTimeFrom: '10:00', localTimeTo: '16:00' }] },
        },
      ]),
    );
    const run = await cli('run', ...SMALL, '--json', '--rules', file('rules.json'));
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out);
    expect(summary.rules).toBe(file('rules.json'));
    expect(summary.ruleFigures).toEqual([
      expect.objectContaining({ name: 'office-hours', jobs: summary.jobs, dials: summary.dials }),
    ]);
    expect(summary.dialsOutsideRules).toBe(0);
    writeFileSync(
      file('bad-rules.json'),
      JSON.stringify([{ name: 'late', allowedTime: { default: [{ localTimeFrom: '9' }] } }]),
    );
    const bad = await cli('run', ...SMALL, '--rules', file('bad-rules.json'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/the campaign rejected the input .*\n.*rules\[0\]/);
    const missing = await cli('run', ...SMALL, '--rules', file('nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot read --rules file');
  });
});

describe('dialer-sim audit --rules', () => {
  it('fails on a dial planted outside the rules of its phone, inside its own window (§12)', async () => {
    const path = file('calls.jsonl');
    const log = new CallLogWriter(path);
    await simulate({ ...options(7, 600), log });
    log.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect((await cli('audit', path)).code).toBe(0);
    // A Florida number's dial moved to Monday 20:30 on its wall clock, inside its own window.
    const plantedMs = Date.parse('2024-03-12T00:30:00Z');
    const index = lines.findIndex((text) => {
      const line = JSON.parse(text) as CallLogLine;
      return (
        /^1(305|407)/.test(line.phone) &&
        line.policy.gmtZone === 'America/New_York' &&
        windowChecker(line.policy).violation(plantedMs) === undefined
      );
    });
    expect(index).toBeGreaterThanOrEqual(0);
    const line = JSON.parse(lines[index]!) as CallLogLine;
    const copy = [...lines];
    copy[index] = JSON.stringify({ ...line, atMs: plantedMs });
    writeFileSync(file('tampered.jsonl'), `${copy.join('\n')}\n`);
    const audit = await cli('audit', file('tampered.jsonl'));
    expect(audit.code).toBe(1);
    expect(audit.out).toContain('0 outside their window, 1 outside the rules');
    expect(audit.out).toContain(
      `line ${index + 1} job ${line.jobId}: dialed 2024-03-12T00:30:00.000Z: us-fl-calling-hours: mon 2024-03-11 20:30 is outside its hours (08:00-20:00) in America/New_York`,
    );
    expect((await cli('audit', file('tampered.jsonl'), '--rules', 'none')).code).toBe(0);
  });
});

describe('Auditor with rules', () => {
  it('counts a fourth dial in 24 hours to a Florida phone as outside the rules: its cap is 3 (§12)', () => {
    const auditor = new Auditor({ rules: new RuleBook(US_RULES) });
    const policy = { gmtZone: 'America/New_York' };
    const line = (jobId: string, phone: string, iso: string) =>
      JSON.stringify({ jobId, phone, attempt: 1, atMs: Date.parse(iso), outcome: 'busy', policy });
    // Two jobs of one Miami number: the cap is the phone's, over all its jobs.
    const dials = [
      '2024-03-12T13:00:00Z',
      '2024-03-12T14:00:00Z',
      '2024-03-12T15:00:00Z',
      '2024-03-12T16:00:00Z',
    ];
    for (const [k, iso] of dials.entries()) auditor.check(line(k < 2 ? '1' : '2', '13055000001', iso), k + 1);
    // A New York number has no cap. The Miami number may be dialed again once three of its four starts
    // (the one over the cap was a start too) are 24 hours old.
    auditor.check(line('3', '12125000001', '2024-03-12T16:00:00Z'), 5);
    auditor.check(line('2', '13055000001', '2024-03-13T15:30:00Z'), 6);
    const result = auditor.result();
    expect(result).toMatchObject({ dials: 6, violations: 0, ruleViolations: 1, overCap: 1 });
    expect(result.listed).toEqual([
      {
        line: 4,
        jobId: '2',
        atMs: Date.parse('2024-03-12T16:00:00Z'),
        reason: 'dialed 2024-03-12T16:00:00.000Z: phone 13055000001 over the cap of 3 attempts in 24 hours',
      },
    ]);
  });
});

describe('heatMapHtml', () => {
  const row = (place: string, ruled: boolean, hours: Record<number, number>): LocalHourRow => ({
    place,
    zone: 'America/New_York',
    ruled,
    dials: Array.from({ length: 24 }, (_, h) => hours[h] ?? 0),
  });

  it('outlines 08:00-21:00, lists ruled rows first and marks a ruled dial outside the band', () => {
    const rows = [row('US-FL', true, { 9: 12, 22: 1 }), row('GB', false, { 23: 4 })];
    const html = heatMapHtml(rows);
    expect(html.indexOf('Numbers under calling rules')).toBeLessThan(
      html.indexOf('Numbers no calling rule applies to'),
    );
    expect(html).toContain('<th class="in band-start">08</th>');
    expect(html).toContain('<th class="in band-end">20</th>');
    expect(html.match(/class="off breach"/g)).toHaveLength(1);
    expect(html).toContain('title="US-FL, America/New_York: 1 dials at 22:00-22:59 local"');
    expect(bandFigures(rows)).toEqual({ ruledDials: 13, outsideBand: 1 });
  });

  it('is in the report, with its verdict, and says when a run had no rules', async () => {
    const report = file('r.html');
    expect((await cli('run', ...SMALL, '--report', report)).code).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<section id="local-hours"><h2>Dials by the callee&#39;s local hour</h2>');
    expect(html).toMatch(
      /[\d,]+ dials to numbers under calling rules, 0 of them outside 08:00 to 21:00 local; 0 dials outside the rules/,
    );
    expect((await cli('run', ...SMALL, '--rules', 'none', '--report', report)).code).toBe(0);
    expect(readFileSync(report, 'utf8')).toContain('No calling rules in this run (rules: none)');
  });
});
