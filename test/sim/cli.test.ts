import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countText } from '../../src/sim/count-text.js';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dialer-sim-cli-'));
const file = (name: string) => join(dir, name);
const SMALL = ['--numbers', '400', '--lines', '3', '--days', '1'];

describe('dialer-sim run', () => {
  it('parses the flags and prints a JSON summary that parses', async () => {
    const { code, out, err } = await cli(
      'run',
      ...SMALL,
      '--seed',
      '4',
      '--start',
      '2024-06-03T00:00:00Z',
      '--json',
    );
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary).toMatchObject({
      seed: 4,
      lines: 3,
      numbers: 400,
      start: '2024-06-03T00:00:00.000Z',
      end: '2024-06-04T00:00:00.000Z',
      dialsOutsideWindow: 0,
      files: {},
    });
    expect(summary.dials).toBeGreaterThan(0);
    expect(err).toContain('calling: day 1.0 of 1.0');
  });

  it('prints the summary for a person and writes the log and a self-contained report', async () => {
    const { code, out } = await cli(
      'run',
      ...SMALL,
      '--log',
      file('calls.jsonl'),
      '--report',
      file('r.html'),
      '--quiet',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^simulated .*\nnumbers +400 entries/);
    expect(out).toContain('outside a window  0 dials');
    expect(out).toContain('rules             us (US_RULES): 13 rules, ');
    expect(out).toContain(
      'rule checks       0 dials outside the rules (hours, days, holidays and 24-hour caps, checked per dial with luxon and date-holidays)',
    );
    expect(out).toContain(`report            ${file('r.html')}`);
    const html = readFileSync(file('r.html'), 'utf8');
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    for (const id of ['dials', 'local-hours', 'queue', 'lines', 'wait', 'attempts', 'completion'])
      expect(html).toContain(`id="${id}"`);
    const audit = await cli('audit', file('calls.jsonl'));
    expect(audit.code).toBe(0);
    expect(audit.out).toMatch(
      /^audited [\d,]+ dials in .*calls\.jsonl with rules us \(US_RULES\): 0 outside their window, 0 outside the rules\n$/,
    );
  });

  it('runs a body and defaults read from files, as generate writes them', async () => {
    const gen = await cli(
      'generate',
      '--numbers',
      '300',
      '--seed',
      '2',
      '--out',
      file('body.json'),
      '--defaults-out',
      file('defaults.json'),
    );
    expect(gen.code).toBe(0);
    expect(gen.err).toContain('wrote 300 entries');
    expect(JSON.parse(readFileSync(file('body.json'), 'utf8'))).toHaveLength(300);
    const { code, out } = await cli(
      'run',
      '--entries',
      file('body.json'),
      '--defaults',
      file('defaults.json'),
      '--lines',
      '2',
      '--days',
      '1',
      '--json',
      '--quiet',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ numbers: 300, dialsOutsideWindow: 0 });
  });

  it.each([
    [['--lines', '0'], '--lines must be a whole number from 1 to 1000000, got "0"'],
    [['--numbers', '1e3'], '--numbers must be a whole number'],
    [['--days', '0'], '--days must be a number of days above 0'],
    [['--days=-1'], '--days must be a number of days above 0'],
    [['--days', '-1'], 'option --days of `run` needs a value; write --days=-… for one that starts with -'],
    [['--start', 'tomorrow'], '--start must be an ISO 8601 instant'],
    [['--line', '3'], 'unknown option --line for `run`'],
    [['--seed'], 'option --seed of `run` needs a value'],
    [['--entries', 'x.json', '--numbers', '5'], 'cannot be used with --entries'],
    [['--backend', 'sqlite'], '--backend must be memory or postgres, got "sqlite"'],
    [['--workers', '2'], '--workers 2 needs --backend postgres: an in-memory campaign lives in one process'],
    [
      ['--backend', 'memory', '--workers', '3'],
      '--workers 3 needs --backend postgres: an in-memory campaign lives in one process',
    ],
    [['--workers', '0'], '--workers must be a whole number from 1 to 64, got "0"'],
    [['--backend', 'postgres', '--workers', '65'], '--workers must be a whole number from 1 to 64, got "65"'],
    [['--backend', 'postgres', '--workers', 'two'], '--workers must be a whole number from 1 to 64'],
    [
      ['--backend', 'postgres', '--workers', '5', '--lines', '4'],
      '--workers 5 needs at least 5 lines (one per worker), got --lines 4',
    ],
    [['--database-url', 'postgres://localhost/db'], '--database-url needs --backend postgres'],
    [
      ['--backend', 'postgres', '--database-url', 'mysql://me:secret@db/x'],
      '--database-url must be a PostgreSQL connection string such as postgres://user:password@host:5432/db, got "mysql://me:***@db/x"',
    ],
  ])('rejects %j with a clear message and exit code 2', async (flags, message) => {
    const { code, err, out } = await cli('run', ...flags);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).toContain('run `dialer-sim help` for the options');
  });

  it('runs the same with --backend memory --workers 1 as with neither flag', async () => {
    const plain = await cli('run', ...SMALL, '--seed', '3', '--json', '--quiet');
    const explicit = await cli(
      'run',
      ...SMALL,
      '--seed',
      '3',
      '--backend',
      'memory',
      '--workers',
      '1',
      '--json',
    );
    expect(explicit.code).toBe(0);
    const { wallSeconds: _a, ...expected } = JSON.parse(plain.out);
    const { wallSeconds: _b, ...summary } = JSON.parse(explicit.out);
    expect(summary).toEqual(expected);
    expect(summary).not.toHaveProperty('backend');
  });

  it('fails with exit code 1 and one line, not a stack, when the PostgreSQL server does not answer', async () => {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    const url = 'postgres://sim:secret@127.0.0.1:1/none';
    const { code, out, err } = await cli(
      'run',
      ...SMALL,
      '--backend',
      'postgres',
      '--database-url',
      url,
      '--quiet',
    );
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^dialer-sim: cannot open the campaign on PostgreSQL: .*ECONNREFUSED.*\n$/);
  });

  it.each([
    ['--report', () => file('no-such-dir/r.html'), 'the directory'],
    ['--log', () => file('no-such-dir/calls.jsonl'), 'does not exist'],
    ['--report', () => dir, 'it is a directory'],
    ['--log', () => join(file('body-file.json'), 'calls.jsonl'), 'is not a directory'],
  ])('fails before the run when %s %s cannot be written', async (flag, path, why) => {
    writeFileSync(file('body-file.json'), '[]');
    const { code, out, err } = await cli('run', ...SMALL, flag, path());
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(`cannot write ${flag} file ${JSON.stringify(path())}: `);
    expect(err).toContain(why);
    // No progress line: nothing was simulated.
    expect(err).not.toContain('calling:');
    expect(existsSync(file('no-such-dir'))).toBe(false);
  });

  it('lists the warnings of the body with their index, the first 20, and all of them in JSON', async () => {
    const entries = Array.from({ length: 23 }, (_, k) => ({
      phone: `+1 212 555 ${String(1000 + k)}`,
      gmtZone: 'America/New_York',
      ...(k === 1 || k >= 3 ? { dialerPriority: 9 } : {}),
    }));
    writeFileSync(file('warned.json'), JSON.stringify(entries));
    const args = ['run', '--entries', file('warned.json'), '--days', '0.1', '--quiet'];
    const { code, out } = await cli(...args);
    expect(code).toBe(0);
    expect(out).toContain('21 warnings');
    expect(out).toMatch(/\nwarnings +21, the first 20:\n {2}\[1\] dialerPriority: .*\(\S+\)\n {2}\[3\] /);
    expect(out).toContain('\n  ... and 1 more\n');
    expect(out).not.toContain('[22]');
    const json = JSON.parse((await cli(...args, '--json')).out);
    expect(json.warnings).toBe(21);
    expect(json.warningList).toHaveLength(21);
    expect(json.warningList[0]).toMatchObject({ index: 1, path: ['dialerPriority'] });
    expect(json.warningList[20]).toMatchObject({ index: 22 });
    expect(json.warningList[0].code).toEqual(expect.any(String));
    expect(json.warningList[0].message).toEqual(expect.any(String));
  });

  it('writes singular forms for counts of one', async () => {
    writeFileSync(file('one.json'), JSON.stringify([{ phone: '+1 212 555 0100', dialerPriority: 9 }]));
    const { code, out } = await cli(
      'run',
      '--entries',
      file('one.json'),
      '--lines',
      '1',
      '--days',
      '0.01',
      '--log',
      file('one.jsonl'),
      '--quiet',
    );
    expect(code).toBe(0);
    expect(out).toContain('1 line, seed 1');
    expect(out).toContain('1 entry, 0 duplicates ignored, 1 phone, 1 warning\n');
    expect(out).toMatch(/\ndials +1: /);
    expect(out).toContain('0 dials (checked per dial');
    expect(out).toContain('(1 dial)');
    expect(out).toContain('\nwarnings          1:\n  [0] dialerPriority');
    const audit = await cli('audit', file('one.jsonl'));
    expect(audit.out).toMatch(/^audited 1 dial in /);
    const gen = await cli('generate', '--numbers', '1', '--out', file('gen1.json'));
    expect(gen.err).toContain('wrote 1 entry to');
  });

  it('keeps the average dials per hour at or below the peak in a run shorter than an hour', async () => {
    for (const days of ['0.01', '0.03', '0.05', '1.02']) {
      const { out } = await cli(
        'run',
        '--numbers',
        '300',
        '--lines',
        '5',
        '--days',
        days,
        '--json',
        '--quiet',
      );
      const summary = JSON.parse(out);
      expect(summary.dials).toBeGreaterThan(0);
      expect(summary.dialsPerHour).toBeLessThanOrEqual(summary.peakDialsPerHour);
    }
  });

  it('rejects a missing file, a file that is not JSON and one of the wrong shape with exit code 1', async () => {
    writeFileSync(file('broken.json'), '[{"phone": ');
    writeFileSync(file('object.json'), '{"phone": "+1 212 000 0000"}');
    const missing = await cli('run', '--entries', file('nope.json'));
    expect(missing).toMatchObject({ code: 1, out: '' });
    expect(missing.err).toContain(`cannot read --entries file "${file('nope.json')}": no such file`);
    const broken = await cli('run', '--entries', file('broken.json'));
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('is not JSON');
    const object = await cli('run', '--entries', file('object.json'));
    expect(object.code).toBe(1);
    expect(object.err).toContain('holds an object: expected an addPhones body: a JSON array of entries');
  });

  it('prints the library issues of a bad body and bad defaults, formatted', async () => {
    writeFileSync(
      file('bad-body.json'),
      JSON.stringify([
        { phone: '+1 212 000 0001' },
        { phone: '12', allowedTime: { mon: [{ localTimeFrom: '09:00', localTimeTo: '25:00' }] } },
        { phone: '+1 212 000 0003', allowedDay: ['mon'] },
      ]),
    );
    writeFileSync(file('bad-defaults.json'), JSON.stringify({ gmtZone: 'EST', dialerPriority: 9 }));
    const body = await cli('run', '--entries', file('bad-body.json'), '--quiet');
    expect(body.code).toBe(1);
    expect(body.err).toContain('the campaign rejected the input (3 issues)');
    expect(body.err).toMatch(/\[1\] phone: .*\(phone\.bad\.format\)/);
    expect(body.err).toMatch(
      /\[1\] allowedTime\.mon\[0\]\.localTimeTo: .*"25:00".*\(invalid\.call\.allowed\.time\)/,
    );
    expect(body.err).toMatch(/\[2\] allowedDay: .*did you mean `allowedDays`\? \(unknown\.field\)/);
    const defaults = await cli('run', '--defaults', file('bad-defaults.json'), ...SMALL, '--quiet');
    expect(defaults.code).toBe(1);
    expect(defaults.err).toMatch(/defaults\.gmtZone: .*"EST"/);
    expect(defaults.err).toMatch(/defaults\.dialerPriority: /);
  });
});

describe('dialer-sim audit', () => {
  it('reports violations and unreadable lines with exit code 1', async () => {
    const line = (atMs: number) =>
      JSON.stringify({
        jobId: '7',
        phone: '12120000007',
        attempt: 1,
        atMs,
        outcome: 'busy',
        policy: {
          gmtZone: 'America/Chicago',
          allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '17:00' }] },
        },
      });
    writeFileSync(
      file('log.jsonl'),
      `${line(Date.parse('2024-03-12T15:00:00Z'))}\n${line(Date.parse('2024-03-12T03:00:00Z'))}\n{oops\n`,
    );
    const { code, out } = await cli('audit', file('log.jsonl'));
    expect(code).toBe(1);
    expect(out).toContain('audited 2 dials');
    // 22:00 in Chicago is outside the job's hours and outside the US federal hours of a New York number (§12).
    expect(out).toContain('1 outside their window, 1 outside the rules, 1 line unreadable');
    expect(out).toContain(
      'line 2 job 7: dialed 2024-03-12T03:00:00.000Z: mon 2024-03-11 22:00 in America/Chicago is outside the rules of the day (09:00-17:00)',
    );
    expect(out).toContain(
      'line 2 job 7: dialed 2024-03-12T03:00:00.000Z: us-federal-calling-hours: mon 2024-03-11 22:00 is outside its hours (08:00-21:00) in America/Chicago',
    );
    expect(out).toContain('line 3: not JSON');
    const json = await cli('audit', file('log.jsonl'), '--json');
    expect(JSON.parse(json.out)).toMatchObject({ dials: 2, violations: 1, ruleViolations: 1, malformed: 1 });
    const none = await cli('audit', file('log.jsonl'), '--rules', 'none', '--json');
    expect(JSON.parse(none.out)).toMatchObject({ dials: 2, violations: 1, ruleViolations: 0, malformed: 1 });
  });

  it('needs exactly one readable file', async () => {
    expect((await cli('audit')).code).toBe(2);
    expect((await cli('audit', 'a', 'b')).err).toContain('audit takes one call-log file, got 2');
    const missing = await cli('audit', file('none.jsonl'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot read call log');
  });
});

describe('dialer-sim', () => {
  it.each([
    ['run', '--help'],
    ['run', '-h'],
    ['run', '--lines', '3', '--help'],
    ['run', '--line', '3', '--help'],
    ['generate', '--help'],
    ['audit', '--help'],
    ['help', 'run'],
  ])('prints the usage of the command for %j and exits 0', async (...argv) => {
    const { code, out, err } = await cli(...argv);
    expect(code).toBe(0);
    expect(err).toBe('');
    const command = argv[0] === 'help' ? argv[1] : argv[0];
    expect(out).toMatch(new RegExp(`^usage: dialer-sim ${command} `));
    expect(out).toContain('-h, --help');
    expect(out).toContain('exit codes:');
  });

  it('lists the backend flags with their defaults in the usage of run', async () => {
    const { out } = await cli('run', '--help');
    expect(out).toMatch(
      /--backend <name> +memory, or postgres: the campaign in PostgreSQL +\(default memory\)/,
    );
    expect(out).toMatch(
      /--database-url <u> +the PostgreSQL server of --backend postgres +\(default: an embedded\n +server in a temporary directory, removed after the run\)/,
    );
    expect(out).toMatch(
      /--workers <k> +dialer processes on the one campaign, the lines +\(default 1\)\n +split among them; more than 1 needs --backend postgres/,
    );
    expect((await cli('help')).out).toContain('--workers <k>');
  });

  it('prints the package version for --version and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const { code, out } = await cli('--version');
    expect(code).toBe(0);
    expect(out).toBe(`${pkg.version}\n`);
  });

  it('prints help, and rejects an unknown command', async () => {
    const help = await cli('help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('dialer-sim run [options]');
    const bad = await cli('simulate');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown command "simulate"');
    expect(existsSync(file('none'))).toBe(false);
  });
});

describe('countText', () => {
  it('writes the singular for exactly one', () => {
    expect(countText(1, 'entry', 'entries')).toBe('1 entry');
    expect(countText(2, 'entry', 'entries')).toBe('2 entries');
    expect(countText(0, 'dial')).toBe('0 dials');
    expect(countText(20_000, 'dial')).toBe('20,000 dials');
  });
});
