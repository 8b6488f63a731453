import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Auditor, auditLogFile } from '../../src/sim/audit.js';
import { type CallLogLine, CallLogWriter } from '../../src/sim/call-log.js';
import { simulate } from '../../src/sim/simulation.js';
import { syntheticDefaults, syntheticEntries } from '../../src/sim/synthetic-campaign.js';

const START_MS = Date.parse('2024-03-09T00:00:00Z');

/** A simulated run's call log, written to a fresh temporary file. */
async function simulatedLog(): Promise<{ path: string; dials: number }> {
  const path = join(mkdtempSync(join(tmpdir(), 'dialer-sim-')), 'calls.jsonl');
  const log = new CallLogWriter(path);
  const result = await simulate({
    body: syntheticEntries({ numbers: 1200, seed: 9, startMs: START_MS }),
    defaults: syntheticDefaults(START_MS),
    lines: 5,
    days: 3,
    startMs: START_MS,
    seed: 9,
    log,
  });
  log.close();
  return { path, dials: result.dials };
}

const { path, dials } = await simulatedLog();

describe('auditLogFile', () => {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');

  it('writes one line per dial with the effective policy, and finds no violation in a simulated run', async () => {
    expect(lines).toHaveLength(dials);
    const first = JSON.parse(lines[0]!) as CallLogLine;
    expect(Object.keys(first)).toEqual(['jobId', 'phone', 'attempt', 'atMs', 'outcome', 'policy']);
    expect(first.policy.gmtZone).toBeTypeOf('string');
    const result = await auditLogFile(path);
    expect(result).toEqual({ dials, violations: 0, ruleViolations: 0, overCap: 0, malformed: 0, listed: [] });
  });

  it('finds a dial planted outside its window in a tampered log', async () => {
    // Move a dial of a business-hours policy to 03:00 on the callee's wall clock.
    const index = lines.findIndex((text) => {
      const line = JSON.parse(text) as CallLogLine;
      return (
        line.policy.gmtZone === 'America/New_York' &&
        line.policy.allowedTime?.default?.[0]?.localTimeFrom === '09:00'
      );
    });
    expect(index).toBeGreaterThanOrEqual(0);
    const line = JSON.parse(lines[index]!) as CallLogLine;
    const tampered = { ...line, atMs: Date.parse('2024-03-11T07:00:00Z') };
    const copy = [...lines];
    copy[index] = JSON.stringify(tampered);
    const tamperedPath = `${path}.tampered`;
    writeFileSync(tamperedPath, `${copy.join('\n')}\n`);
    const result = await auditLogFile(tamperedPath);
    expect(result.violations).toBe(1);
    expect(result.listed).toEqual([
      expect.objectContaining({ line: index + 1, jobId: line.jobId, atMs: tampered.atMs }),
    ]);
    expect(result.listed[0]!.reason).toMatch(/mon 2024-03-11 03:00 in America\/New_York is outside/);
  });
});

describe('Auditor', () => {
  it('counts lines that are not call-log lines apart from violations', () => {
    const auditor = new Auditor();
    auditor.check('not json', 1);
    auditor.check('{"jobId":"1"}', 2);
    auditor.check('{"jobId":"1","atMs":0,"policy":{"gmtZone":"Nowhere/Land"}}', 3);
    auditor.check('', 4);
    auditor.check('{"jobId":"2","atMs":0,"outcome":"busy","policy":{"gmtZone":"Z"}}', 5);
    const result = auditor.result();
    expect(result).toMatchObject({ dials: 2, violations: 0, malformed: 3 });
    expect(result.listed.map((v) => v.line)).toEqual([1, 2, 3]);
  });

  it('checks a finish date and allowedDays', () => {
    const auditor = new Auditor();
    const policy = { gmtZone: 'Europe/London', allowedDays: ['sat'], finishDateTime: '2024-03-09T12:00' };
    const line = (atMs: number) => JSON.stringify({ jobId: '1', atMs, policy });
    auditor.check(line(Date.parse('2024-03-09T11:59:00Z')), 1);
    auditor.check(line(Date.parse('2024-03-09T12:00:00Z')), 2);
    auditor.check(line(Date.parse('2024-03-08T11:00:00Z')), 3);
    expect(auditor.result()).toMatchObject({ dials: 3, violations: 2, malformed: 0 });
  });
});
