import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DialerError, formatIssues, type PolicyInput } from '../index.js';
import { auditLogFile } from './audit.js';
import { CallLogWriter } from './call-log.js';
import { type ProgressStream, progressView } from './progress.js';
import { reportHtml } from './report-html.js';
import { simulate } from './simulation.js';
import { formatSummary, summarize } from './summary.js';
import { syntheticDefaults, syntheticEntries, writeSyntheticBody } from './synthetic-campaign.js';

/** Where the CLI writes: process.stdout and process.stderr, or test doubles. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressStream;
}

/** A mistake in the command line: exit code 2. */
class UsageError extends Error {}
/** A file or body the command cannot use: exit code 1. */
class InputError extends Error {}

const DEFAULT_START = '2024-03-09T00:00:00Z';
const MAX_ISSUES_SHOWN = 50;

export const USAGE = `dialer-sim: simulate an outbound campaign on virtual time with dialer-scheduler

usage:
  dialer-sim run [options]          simulate a campaign and print its summary
  dialer-sim generate [options]     write a synthetic addPhones body (and its campaign defaults)
  dialer-sim audit <log.jsonl>      re-check every dial of a call log against its policy
  dialer-sim help                   this text

run options:
  --numbers <n>       synthetic numbers (entries) to add            (default 20000)
  --lines <n>         concurrent calls                              (default 40)
  --days <d>          simulated days, fractions allowed             (default 3)
  --seed <n>          seed of the synthetic body and of outcomes    (default 1)
  --start <iso>       simulated start instant                       (default ${DEFAULT_START})
  --entries <file>    a real addPhones body (JSON array) instead of a synthetic one
  --defaults <file>   campaign defaults (JSON object); with --entries the default is none
  --log <file>        write the call log: JSON lines, one per dial
  --report <file>     write the HTML report (self-contained, opens offline)
  --json              print the summary as JSON on stdout
  --quiet             no progress on stderr

generate options:
  --numbers <n>, --seed <n>, --start <iso>   as for run
  --out <file>                                the body (default: stdout)
  --defaults-out <file>                       the campaign defaults the body was made for

audit options:
  --json              print the result as JSON on stdout

exit codes: 0 ok, 1 bad input file or audit violations, 2 bad command line`;

/**
 * Runs `dialer-sim` with the arguments after the program name; resolves to the exit code. Errors are
 * written to `io.stderr` as one clear message, never as a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return runCommand(rest, io);
      case 'generate':
        return generateCommand(rest, io);
      case 'audit':
        return await auditCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(
          `unknown command ${JSON.stringify(command)}: expected run, generate, audit or help`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`dialer-sim: ${error.message}\nrun \`dialer-sim help\` for the options\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr.write(`dialer-sim: ${error.message}\n`);
      return 1;
    }
    if (error instanceof DialerError) {
      const shown = error.issues.slice(0, MAX_ISSUES_SHOWN);
      const more = error.issues.length - shown.length;
      io.stderr.write(
        `dialer-sim: the campaign rejected the input (${error.issues.length} issue${error.issues.length === 1 ? '' : 's'}):\n${formatIssues(shown)}\n${more > 0 ? `... and ${more} more\n` : ''}`,
      );
      return 1;
    }
    throw error;
  }
}

/** Runs parseArgs, turning its errors into usage errors that name the command. */
function parse<T>(command: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown !== null) throw new UsageError(`unknown option ${unknown[1]} for \`${command}\``);
    const missing = /Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument missing/.exec(message);
    if (missing !== null) throw new UsageError(`option ${missing[1]} of \`${command}\` needs a value`);
    const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous !== null) {
      throw new UsageError(
        `option ${ambiguous[1]} of \`${command}\` needs a value; write ${ambiguous[1]}=-… for one that starts with -`,
      );
    }
    const positional = /Unexpected argument '([^']+)'/.exec(message);
    if (positional !== null) {
      throw new UsageError(`unexpected argument ${JSON.stringify(positional[1])} for \`${command}\``);
    }
    throw new UsageError(message);
  }
}

const RUN_OPTIONS = {
  numbers: { type: 'string' },
  lines: { type: 'string' },
  days: { type: 'string' },
  seed: { type: 'string' },
  start: { type: 'string' },
  entries: { type: 'string' },
  defaults: { type: 'string' },
  log: { type: 'string' },
  report: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

function runCommand(args: readonly string[], io: CliIo): number {
  const { values } = parse('run', () => parseArgs({ args: [...args], options: RUN_OPTIONS, strict: true }));
  const lines = integer('--lines', values.lines, 40, 1, 1_000_000);
  const days = decimal('--days', values.days, 3, 1 / 1440, 3660);
  const seed = integer('--seed', values.seed, 1, 0, 0xffff_ffff);
  const startMs = instant('--start', values.start);
  if (values.entries !== undefined && values.numbers !== undefined) {
    throw new UsageError('--numbers makes a synthetic body; it cannot be used with --entries');
  }
  const numbers = integer('--numbers', values.numbers, 20_000, 1, 100_000_000);
  const defaults: PolicyInput =
    values.defaults !== undefined
      ? (readJson('--defaults', values.defaults, 'object') as PolicyInput)
      : values.entries !== undefined
        ? {}
        : syntheticDefaults(startMs);
  const body =
    values.entries !== undefined
      ? (readJson('--entries', values.entries, 'array') as unknown[])
      : syntheticEntries({ numbers, seed, startMs });
  const log = values.log === undefined ? undefined : openLog(values.log);
  const progress = progressView(io.stderr, values.quiet === true);
  let result: ReturnType<typeof simulate>;
  try {
    result = simulate({
      body,
      bodySize: Array.isArray(body) ? body.length : numbers,
      defaults,
      lines,
      days,
      startMs,
      seed,
      ...(log === undefined ? {} : { log }),
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.stop();
    log?.close();
  }
  const summary = summarize(result);
  const reportPath = values.report === undefined ? undefined : resolve(values.report);
  if (reportPath !== undefined) writeFile('--report', reportPath, reportHtml(summary, result.series));
  if (values.json === true) {
    const files = { ...(reportPath && { report: reportPath }), ...(log && { log: resolve(log.path) }) };
    io.stdout.write(`${JSON.stringify({ ...summary, files }, null, 2)}\n`);
  } else {
    io.stdout.write(`${formatSummary(summary)}\n`);
    if (result.outsideExamples.length > 0)
      io.stdout.write(`  e.g. ${result.outsideExamples.join('\n  e.g. ')}\n`);
    if (log !== undefined)
      io.stdout.write(
        `call log          ${resolve(log.path)} (${log.lines.toLocaleString('en-US')} dials)\n`,
      );
    if (reportPath !== undefined) io.stdout.write(`report            ${reportPath}\n`);
  }
  return result.dialsOutsideWindow === 0 ? 0 : 1;
}

const GENERATE_OPTIONS = {
  numbers: { type: 'string' },
  seed: { type: 'string' },
  start: { type: 'string' },
  out: { type: 'string' },
  'defaults-out': { type: 'string' },
} as const;

function generateCommand(args: readonly string[], io: CliIo): number {
  const { values } = parse('generate', () =>
    parseArgs({ args: [...args], options: GENERATE_OPTIONS, strict: true }),
  );
  const options = {
    numbers: integer('--numbers', values.numbers, 20_000, 1, 100_000_000),
    seed: integer('--seed', values.seed, 1, 0, 0xffff_ffff),
    startMs: instant('--start', values.start),
  };
  const start = new Date(options.startMs).toISOString();
  if (values['defaults-out'] !== undefined) {
    writeFile(
      '--defaults-out',
      values['defaults-out'],
      `${JSON.stringify(syntheticDefaults(options.startMs), null, 2)}\n`,
    );
  }
  if (values.out === undefined) {
    io.stdout.write(`${JSON.stringify([...syntheticEntries(options)], null, 1)}\n`);
    return 0;
  }
  let count: number;
  try {
    count = writeSyntheticBody(values.out, options);
  } catch (error) {
    throw new InputError(
      `cannot write --out file ${JSON.stringify(values.out)}: ${(error as Error).message}`,
    );
  }
  const defaultsFlag = values['defaults-out'] === undefined ? '' : ` --defaults ${values['defaults-out']}`;
  io.stderr.write(
    `wrote ${count.toLocaleString('en-US')} entries to ${values.out}, made for a campaign starting ${start}\n` +
      `simulate it with: dialer-sim run --entries ${values.out}${defaultsFlag} --start ${start}\n`,
  );
  return 0;
}

async function auditCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('audit', () =>
    parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    }),
  );
  if (positionals.length !== 1) {
    throw new UsageError(
      `audit takes one call-log file, got ${positionals.length === 0 ? 'none' : positionals.length}`,
    );
  }
  const path = positionals[0]!;
  let result: Awaited<ReturnType<typeof auditLogFile>>;
  try {
    result = await auditLogFile(path);
  } catch (error) {
    throw new InputError(`cannot read call log ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  if (values.json === true) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout.write(
      `audited ${result.dials.toLocaleString('en-US')} dials in ${path}: ${result.violations} outside their window` +
        `${result.malformed > 0 ? `, ${result.malformed} lines unreadable` : ''}\n`,
    );
    for (const v of result.listed) {
      io.stdout.write(`  line ${v.line}${v.jobId === undefined ? '' : ` job ${v.jobId}`}: ${v.reason}\n`);
    }
    const unlisted = result.violations + result.malformed - result.listed.length;
    if (unlisted > 0) io.stdout.write(`  ... and ${unlisted} more\n`);
  }
  return result.violations === 0 && result.malformed === 0 ? 0 : 1;
}

function integer(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text.replaceAll('_', '')) ? Number(text.replaceAll('_', '')) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function decimal(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new UsageError(
      `${flag} must be a number of days above 0 and at most ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function instant(flag: string, text: string | undefined): number {
  const value = Date.parse(text ?? DEFAULT_START);
  if (
    text !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(value))
  ) {
    throw new UsageError(
      `${flag} must be an ISO 8601 instant with Z or an offset, such as ${DEFAULT_START}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function readJson(flag: string, path: string, kind: 'array' | 'object'): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new InputError(`cannot read ${flag} file ${JSON.stringify(path)}: ${why}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${flag} file ${JSON.stringify(path)} is not JSON: ${(error as Error).message}`);
  }
  const isArray = Array.isArray(value);
  const fits = kind === 'array' ? isArray : typeof value === 'object' && value !== null && !isArray;
  if (!fits) {
    const expected =
      kind === 'array'
        ? 'an addPhones body: a JSON array of entries'
        : 'campaign defaults: a JSON object of policy fields';
    throw new InputError(
      `${flag} file ${JSON.stringify(path)} holds ${isArray ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}: expected ${expected}`,
    );
  }
  return value;
}

function openLog(path: string): CallLogWriter {
  try {
    return new CallLogWriter(path);
  } catch (error) {
    throw new InputError(`cannot write --log file ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
}

function writeFile(flag: string, path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new InputError(`cannot write ${flag} file ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
}
