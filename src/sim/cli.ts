import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CallingRule, DialerError, formatIssues, type PolicyInput, US_RULES } from '../index.js';
import { auditLogFile } from './audit.js';
import {
  checkWritable,
  DEFAULT_START,
  decimal,
  instant,
  integer,
  openLog,
  readJson,
  redactUrl,
  writeFile,
} from './cli-args.js';
import { InputError, parse, UsageError } from './cli-errors.js';
import { type DatabaseRun, failedChecks, formatDatabaseRun, simulateOnPostgres } from './cli-postgres.js';
import { countText } from './count-text.js';
import { EXPLAIN_USAGE, explainCommand } from './explain-command.js';
import { type ProgressStream, progressView } from './progress.js';
import { reportHtml } from './report-html.js';
import { RuleBook } from './rule-check.js';
import { type SimulationOptions, type SimulationResult, simulate } from './simulation.js';
import { formatSummary, summarize } from './summary.js';
import { syntheticDefaults, syntheticEntries, writeSyntheticBody } from './synthetic-campaign.js';

/** Where the CLI writes: process.stdout and process.stderr, or test doubles. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressStream;
}

const MAX_ISSUES_SHOWN = 50;

const RUN_USAGE = `usage: dialer-sim run [options]
simulate a campaign on virtual time and print its summary

options:
  --numbers <n>       synthetic numbers (entries) to add            (default 20000)
  --lines <n>         concurrent calls                              (default 40)
  --days <d>          simulated days, fractions allowed             (default 3)
  --seed <n>          seed of the synthetic body and of outcomes    (default 1)
  --start <iso>       simulated start instant                       (default ${DEFAULT_START})
  --entries <file>    a real addPhones body (JSON array) instead of a synthetic one
  --defaults <file>   campaign defaults (JSON object); with --entries the default is none
  --rules <r>         calling rules: us (US_RULES), none, or a JSON file  (default us)
                      of rule objects
  --log <file>        write the call log: JSON lines, one per dial
  --report <file>     write the HTML report (self-contained, opens offline)
  --backend <name>    memory, or postgres: the campaign in PostgreSQL    (default memory)
  --database-url <u>  the PostgreSQL server of --backend postgres        (default: an embedded
                      server in a temporary directory, removed after the run)
  --workers <k>       dialer processes on the one campaign, the lines    (default 1)
                      split among them; more than 1 needs --backend postgres
  --json              print the summary as JSON on stdout
  --quiet             no progress on stderr
  -h, --help          this text`;

const GENERATE_USAGE = `usage: dialer-sim generate [options]
write a synthetic addPhones body (and the campaign defaults it was made for)

options:
  --numbers <n>, --seed <n>, --start <iso>   as for run
  --out <file>                                the body (default: stdout)
  --defaults-out <file>                       the campaign defaults the body was made for
  -h, --help                                  this text`;

const AUDIT_USAGE = `usage: dialer-sim audit [options] <log.jsonl>
re-check every dial of a call log against its policy and the calling rules

options:
  --rules <r>         calling rules: us (US_RULES), none, or a JSON file  (default us)
  --json              print the result as JSON on stdout
  -h, --help          this text`;

const EXIT_CODES =
  'exit codes: 0 ok, 1 bad input file, a dial outside a window or the rules, a failed database check, audit\n' +
  '  violations or a PostgreSQL server that cannot be used, 2 bad command line';

export const USAGE = `dialer-sim: simulate an outbound campaign on virtual time with dialer-scheduler

usage:
  dialer-sim run [options]          simulate a campaign and print its summary
  dialer-sim generate [options]     write a synthetic addPhones body (and its campaign defaults)
  dialer-sim audit <log.jsonl>      re-check every dial of a call log against its policy and rules
  dialer-sim explain [options]      why an entry, or a job of a snapshot, is not callable at an instant
  dialer-sim help [command]         this text, or a command's
  dialer-sim --version              the version of dialer-scheduler

${RUN_USAGE.replace(/^usage: .*\n.*\n\n/, 'run ')}

${GENERATE_USAGE.replace(/^usage: .*\n.*\n\n/, 'generate ')}

${AUDIT_USAGE.replace(/^usage: .*\n.*\n\n/, 'audit ')}

${EXPLAIN_USAGE.replace(/^usage: .*\n.*\n\n/, 'explain ')}

${EXIT_CODES}`;

const COMMAND_USAGE: Readonly<Record<string, string>> = {
  run: RUN_USAGE,
  generate: GENERATE_USAGE,
  audit: AUDIT_USAGE,
  explain: EXPLAIN_USAGE,
};

/** The version in the package.json two levels up: the same from `src/sim/` and from `dist/sim/`. */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Whether the arguments ask for help: `--help` or `-h` before any `--`. */
function asksHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Runs `dialer-sim` with the arguments after the program name; resolves to the exit code. Errors are
 * written to `io.stderr` as one clear message, never as a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && command in COMMAND_USAGE && asksHelp(rest)) {
      io.stdout.write(`${COMMAND_USAGE[command]}\n${EXIT_CODES}\n`);
      return 0;
    }
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'generate':
        return generateCommand(rest, io);
      case 'audit':
        return await auditCommand(rest, io);
      case 'explain':
        return explainCommand(rest, io);
      case 'help':
      case '--help':
      case '-h': {
        const [topic, ...extra] = rest;
        if (extra.length > 0 || (topic !== undefined && !(topic in COMMAND_USAGE))) {
          throw new UsageError(
            `help takes one of run, generate, audit or explain, got ${JSON.stringify(rest.join(' '))}`,
          );
        }
        io.stdout.write(`${topic === undefined ? USAGE : `${COMMAND_USAGE[topic]}\n${EXIT_CODES}`}\n`);
        return 0;
      }
      case '--version':
      case 'version':
        io.stdout.write(`${packageVersion()}\n`);
        return 0;
      case undefined:
        io.stdout.write(`${USAGE}\n`);
        return 2;
      default:
        throw new UsageError(
          `unknown command ${JSON.stringify(command)}: expected run, generate, audit, explain, help or --version`,
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
        `dialer-sim: the campaign rejected the input (${countText(error.issues.length, 'issue')}):\n${formatIssues(shown)}\n${more > 0 ? `... and ${more} more\n` : ''}`,
      );
      return 1;
    }
    throw error;
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
  rules: { type: 'string' },
  log: { type: 'string' },
  report: { type: 'string' },
  backend: { type: 'string' },
  'database-url': { type: 'string' },
  workers: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

/** Most worker processes of one run. */
const MAX_WORKERS = 64;

/** Where a run keeps its campaign, from `--backend`, `--database-url` and `--workers`. */
type BackendChoice =
  | { readonly kind: 'memory' }
  | { readonly kind: 'postgres'; readonly databaseUrl: string | undefined; readonly workers: number };

function backendChoice(
  values: { backend?: string; 'database-url'?: string; workers?: string },
  lines: number,
): BackendChoice {
  const kind = values.backend ?? 'memory';
  if (kind !== 'memory' && kind !== 'postgres') {
    throw new UsageError(`--backend must be memory or postgres, got ${JSON.stringify(kind)}`);
  }
  const workers = integer('--workers', values.workers, 1, 1, MAX_WORKERS);
  const databaseUrl = values['database-url'];
  if (kind === 'memory') {
    if (workers > 1) {
      throw new UsageError(
        `--workers ${workers} needs --backend postgres: an in-memory campaign lives in one process`,
      );
    }
    if (databaseUrl !== undefined) throw new UsageError('--database-url needs --backend postgres');
    return { kind };
  }
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/./.test(databaseUrl)) {
    throw new UsageError(
      `--database-url must be a PostgreSQL connection string such as postgres://user:password@host:5432/db, got ${JSON.stringify(redactUrl(databaseUrl))}`,
    );
  }
  if (workers > lines) {
    throw new UsageError(
      `--workers ${workers} needs at least ${workers} lines (one per worker), got --lines ${lines}`,
    );
  }
  return { kind, databaseUrl, workers };
}

async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse('run', () => parseArgs({ args: [...args], options: RUN_OPTIONS, strict: true }));
  const lines = integer('--lines', values.lines, 40, 1, 1_000_000);
  const days = decimal('--days', values.days, 3, 1 / 1440, 3660);
  const seed = integer('--seed', values.seed, 1, 0, 0xffff_ffff);
  const startMs = instant('--start', values.start);
  if (values.entries !== undefined && values.numbers !== undefined) {
    throw new UsageError('--numbers makes a synthetic body; it cannot be used with --entries');
  }
  const numbers = integer('--numbers', values.numbers, 20_000, 1, 100_000_000);
  const backend = backendChoice(values, lines);
  // Output files are checked before the run, so a typo in a path does not cost a whole run.
  if (values.log !== undefined) checkWritable('--log', values.log);
  if (values.report !== undefined) checkWritable('--report', values.report);
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
  const rules = readRules(values.rules);
  const log = values.log === undefined ? undefined : openLog(values.log);
  const progress = progressView(io.stderr, values.quiet === true);
  const options: SimulationOptions = {
    body,
    bodySize: Array.isArray(body) ? body.length : numbers,
    defaults,
    rules: rules.rules,
    lines,
    days,
    startMs,
    seed,
    ...(log === undefined ? {} : { log }),
    onProgress: (p) => progress.update(p),
  };
  let result: SimulationResult;
  let database: DatabaseRun | undefined;
  try {
    if (backend.kind === 'memory') result = await simulate(options);
    else {
      if (values.quiet !== true && backend.databaseUrl === undefined) {
        io.stderr.write('starting an embedded PostgreSQL server\n');
      }
      ({ result, database } = await simulateOnPostgres(options, backend));
    }
  } finally {
    progress.stop();
    log?.close();
  }
  const summary = summarize(result, rules.label);
  const reportPath = values.report === undefined ? undefined : resolve(values.report);
  if (reportPath !== undefined) writeFile('--report', reportPath, reportHtml(summary, result.series));
  if (values.json === true) {
    const files = { ...(reportPath && { report: reportPath }), ...(log && { log: resolve(log.path) }) };
    const postgres = database && {
      backend: { kind: 'postgres', ...database.backend },
      databaseChecks: database.checks,
    };
    io.stdout.write(`${JSON.stringify({ ...summary, files, ...postgres }, null, 2)}\n`);
  } else {
    io.stdout.write(`${formatSummary(summary)}\n`);
    const examples = [...result.outsideExamples, ...result.ruleFigures.examples];
    if (examples.length > 0) io.stdout.write(`  e.g. ${examples.join('\n  e.g. ')}\n`);
    if (database !== undefined) io.stdout.write(`${formatDatabaseRun(database)}\n`);
    if (log !== undefined)
      io.stdout.write(`call log          ${resolve(log.path)} (${countText(log.lines, 'dial')})\n`);
    if (reportPath !== undefined) io.stdout.write(`report            ${reportPath}\n`);
  }
  return result.dialsOutsideWindow === 0 &&
    result.ruleFigures.dialsOutsideRules === 0 &&
    (database === undefined || failedChecks(database.checks) === 0)
    ? 0
    : 1;
}

/** Calling rules from `--rules`, and how the summary names them. */
interface RulesChoice {
  readonly rules: readonly CallingRule[];
  readonly label: string;
}

/** `us` (the default): US_RULES; `none`; else a JSON file holding an array of rule objects. */
function readRules(text: string | undefined): RulesChoice {
  if (text === undefined || text === 'us') return { rules: US_RULES, label: 'us (US_RULES)' };
  if (text === 'none') return { rules: [], label: 'none' };
  if (text === '') throw new UsageError('--rules must be us, none or a JSON file of rules, got ""');
  return { rules: readJson('--rules', text, 'array') as CallingRule[], label: text };
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
  if (values.out !== undefined) checkWritable('--out', values.out);
  if (values['defaults-out'] !== undefined) checkWritable('--defaults-out', values['defaults-out']);
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
    `wrote ${countText(count, 'entry', 'entries')} to ${values.out}, made for a campaign starting ${start}\n` +
      `simulate it with: dialer-sim run --entries ${values.out}${defaultsFlag} --start ${start}\n`,
  );
  return 0;
}

async function auditCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('audit', () =>
    parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' }, rules: { type: 'string' } },
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
  const { rules, label } = readRules(values.rules);
  let book: RuleBook;
  try {
    book = new RuleBook(rules);
  } catch (error) {
    throw new InputError(`cannot read --rules ${label}: ${(error as Error).message}`);
  }
  let result: Awaited<ReturnType<typeof auditLogFile>>;
  try {
    result = await auditLogFile(path, { rules: book });
  } catch (error) {
    throw new InputError(`cannot read call log ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  if (values.json === true) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const n = (v: number) => v.toLocaleString('en-US');
    io.stdout.write(
      `audited ${countText(result.dials, 'dial')} in ${path} with rules ${label}: ${n(result.violations)} outside their window, ${n(result.ruleViolations)} outside the rules` +
        `${result.overCap > 0 ? ` (${n(result.overCap)} of them over a 24-hour cap)` : ''}` +
        `${result.malformed > 0 ? `, ${countText(result.malformed, 'line')} unreadable` : ''}\n`,
    );
    for (const v of result.listed) {
      io.stdout.write(`  line ${v.line}${v.jobId === undefined ? '' : ` job ${v.jobId}`}: ${v.reason}\n`);
    }
    const unlisted = result.violations + result.ruleViolations + result.malformed - result.listed.length;
    if (unlisted > 0) io.stdout.write(`  ... and ${unlisted} more\n`);
  }
  return result.violations === 0 && result.ruleViolations === 0 && result.malformed === 0 ? 0 : 1;
}
