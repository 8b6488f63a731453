import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Campaign } from '../../src/index.js';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dialer-sim-explain-'));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const ENTRY = JSON.stringify({
  phone: '13055550123',
  gmtZone: 'America/New_York',
  allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '17:00' }] },
});

describe('dialer-sim explain', () => {
  it('prints each layer that blocks an entry, with its until in the callee zone (§12)', async () => {
    const { code, out } = await cli(
      'explain',
      '--entry',
      ENTRY,
      '--at',
      '2026-12-01T20:30:00-05:00',
      '--rules',
      'us',
    );
    expect(code).toBe(0);
    expect(out).toMatchInlineSnapshot(`
      "the entry for 13055550123 at 2026-12-01T20:30:00-05:00 (America/New_York): not callable; next allowed 2026-12-02T09:00:00-05:00
        entry  outside.allowed.time  until 2026-12-02T09:00:00-05:00
          20:30 on tue in America/New_York is outside the hours of the entry for tue (09:00-17:00); it next allows a call at 2026-12-02T09:00:00-05:00.
        rule:us-fl-calling-hours  outside.allowed.time  until 2026-12-02T08:00:00-05:00
          20:30 on tue in America/New_York is outside the hours of rule "us-fl-calling-hours" for tue (08:00-20:00); it next allows a call at 2026-12-02T08:00:00-05:00.
      "
    `);
  });

  it('reads an entry under US_RULES by default, as run does, and under none with --rules none (§12)', async () => {
    const whole = JSON.stringify({ phone: '13055550123', gmtZone: 'America/New_York' });
    const at = '2026-12-01T20:30:00-05:00';
    const byDefault = await cli('explain', '--entry', whole, '--at', at, '--json');
    expect(JSON.parse(byDefault.out)).toMatchObject({
      callable: false,
      reasons: [{ layer: 'rule:us-fl-calling-hours', code: 'outside.allowed.time' }],
    });
    const none = await cli('explain', '--entry', whole, '--at', at, '--rules', 'none', '--json');
    expect(JSON.parse(none.out)).toMatchObject({ callable: true, reasons: [] });
  });

  it('reads the entry, rules and defaults from files, and prints JSON (§12)', async () => {
    const entry = file('entry.json', { phone: '16500000001' });
    const rules = file('rules.json', [{ name: 'quiet', blackoutDates: ['2026-12-25'] }]);
    const defaults = file('defaults.json', { gmtZone: 'Europe/London', allowedDays: ['fri'] });
    const { code, out } = await cli(
      'explain',
      '--entry',
      entry,
      '--rules',
      rules,
      '--defaults',
      defaults,
      '--at',
      '2026-12-25T12:00:00Z',
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      what: 'the entry for 16500000001',
      zone: 'Europe/London',
      callable: false,
      nextAttemptAt: Date.parse('2027-01-01T00:00:00Z'),
      reasons: [{ layer: 'rule:quiet', code: 'blackout.date', untilMs: Date.parse('2026-12-26T00:00:00Z') }],
    });
  });

  it('explains a job of a snapshot as the restored campaign does (§12)', async () => {
    const now = Date.parse('2026-12-01T10:00:00-05:00');
    const campaign = new Campaign({ defaults: { gmtZone: 'America/New_York' } });
    campaign.addPhones([{ phone: '100' }, { phone: '100', payload: 2 }], { now });
    campaign.next(now);
    const snapshot = file('snapshot.json', campaign.snapshot());
    const { code, out } = await cli(
      'explain',
      '--snapshot',
      snapshot,
      '--job',
      '2',
      '--at',
      '2026-12-01T10:05:00-05:00',
    );
    expect(code).toBe(0);
    expect(out).toContain(
      'job 2 (100) (waiting) at 2026-12-01T10:05:00-05:00 (America/New_York): not callable',
    );
    expect(out).toContain('phone  phone.busy  until 2026-12-01T11:00:00-05:00');
  });

  it('rejects a bad command line with exit code 2 and bad input with exit code 1 (§12)', async () => {
    expect((await cli('explain')).code).toBe(2);
    expect((await cli('explain', '--entry', ENTRY, '--at', 'tomorrow')).code).toBe(2);
    expect((await cli('explain', '--snapshot', 'x.json')).code).toBe(2);
    const missing = await cli('explain', '--entry', join(dir, 'none.json'));
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.err).toContain('no such file');
    const bad = await cli('explain', '--entry', '{"allowedDays":["monday"]}', '--at', '2026-12-01T00:00:00Z');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('invalid.allowed.days');
  });

  it('documents itself in --help and in the overall help (§12)', async () => {
    const help = await cli('explain', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('usage: dialer-sim explain [options]');
    expect((await cli('help')).out).toContain('dialer-sim explain [options]');
  });
});
