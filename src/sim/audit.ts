import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CapCheck } from './cap-check.js';
import { RuleBook } from './rule-check.js';
import { type WindowChecker, windowChecker, type Zone, zoneOf, zoneTexts } from './window-check.js';

/** One call-log line that breaks its policy, or that is not a call-log line at all. */
export interface AuditViolation {
  /** 1-based line number in the log. */
  readonly line: number;
  readonly jobId?: string;
  readonly atMs?: number;
  /** What is wrong, in words a person can check. */
  readonly reason: string;
}

/** What an audit found. */
export interface AuditResult {
  /** Dial lines checked. */
  readonly dials: number;
  /** Lines that broke their policy. */
  readonly violations: number;
  /**
   * Lines outside the calling rules of their phone: a rule forbids their instant, or the phone was over
   * its `maxAttemptsPer24h` (counted over the log's earlier lines).
   */
  readonly ruleViolations: number;
  /** Of those, lines over a `maxAttemptsPer24h` of their phone's rules. */
  readonly overCap: number;
  /** Lines that are not call-log lines (bad JSON, missing fields, a policy that cannot be read). */
  readonly malformed: number;
  /** The first `maxListed` problems of both kinds, in line order. */
  readonly listed: readonly AuditViolation[];
}

/** How an audit checks. */
export interface AuditOptions {
  /** Problems listed in the result. @default 20 */
  readonly maxListed?: number;
  /** The calling rules every dial is checked against too, by its `phone`. @default none */
  readonly rules?: RuleBook;
}

interface PolicyCheck {
  readonly window: WindowChecker;
  readonly zones: readonly Zone[];
  readonly zoneTexts: readonly string[];
}

/**
 * Checks call-log lines one by one against their own `policy` with the independent luxon checker
 * (window-check.ts), and against the calling rules of their phone with the independent rule checker
 * (rule-check.ts). Checkers are cached per policy text, as a log repeats a few thousand policies, and
 * the rules of a phone per phone. Lines must come in time order for the 24-hour caps (as logs do).
 */
export class Auditor {
  readonly #maxListed: number;
  readonly #rules: RuleBook;
  readonly #checkers = new Map<string, PolicyCheck | string>();
  readonly #rulesByPhone = new Map<string, readonly number[]>();
  readonly #caps = new CapCheck();
  readonly #listed: AuditViolation[] = [];
  #dials = 0;
  #violations = 0;
  #ruleViolations = 0;
  #overCap = 0;
  #malformed = 0;

  constructor(options: AuditOptions = {}) {
    this.#maxListed = options.maxListed ?? 20;
    this.#rules = options.rules ?? new RuleBook([]);
  }

  /** Checks one line of text (`lineNumber` is 1-based); blank lines are skipped. */
  check(text: string, lineNumber: number): void {
    if (text.trim() === '') return;
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch {
      this.#problem({ line: lineNumber, reason: 'not JSON' }, false);
      return;
    }
    const { jobId, atMs, policy, phone } = (typeof line === 'object' && line !== null ? line : {}) as Record<
      string,
      unknown
    >;
    if (typeof jobId !== 'string' || typeof atMs !== 'number' || !Number.isFinite(atMs)) {
      this.#problem({ line: lineNumber, reason: 'not a call-log line: expected jobId and atMs' }, false);
      return;
    }
    if (typeof policy !== 'object' || policy === null) {
      this.#problem({ line: lineNumber, jobId, atMs, reason: 'no policy object' }, false);
      return;
    }
    if (this.#rules.size > 0 && (typeof phone !== 'string' || !/^\d+$/.test(phone))) {
      this.#problem({ line: lineNumber, jobId, atMs, reason: 'no phone digits to find its rules by' }, false);
      return;
    }
    this.#dials++;
    // The policy is the line's last field, so the text after its key identifies it.
    const key = text.slice(text.indexOf('"policy"'));
    let checker = this.#checkers.get(key);
    if (checker === undefined) {
      try {
        const texts = zoneTexts((policy as { gmtZone?: unknown }).gmtZone);
        checker = { window: windowChecker(policy), zones: texts.map(zoneOf), zoneTexts: texts };
      } catch (error) {
        checker = `policy cannot be read: ${(error as Error).message}`;
      }
      this.#checkers.set(key, checker);
    }
    if (typeof checker === 'string') {
      this.#problem({ line: lineNumber, jobId, atMs, reason: checker }, false);
      return;
    }
    const dialed = `dialed ${new Date(atMs).toISOString()}`;
    const why = checker.window.violation(atMs);
    if (why !== undefined)
      this.#problem({ line: lineNumber, jobId, atMs, reason: `${dialed}: ${why}` }, 'window');
    if (this.#rules.size === 0) return;
    const digits = phone as string;
    let indexes = this.#rulesByPhone.get(digits);
    if (indexes === undefined) {
      indexes = this.#rules.applyingToPhone(digits);
      this.#rulesByPhone.set(digits, indexes);
    }
    const refusals = this.#rules.refusals(indexes, checker.zones, checker.zoneTexts, atMs);
    const reasons = refusals.map((r) => `${this.#rules.name(r.rule)}: ${r.why}`);
    const cap = this.#rules.capOf(indexes);
    if (this.#caps.dial(digits, atMs, cap)) {
      this.#overCap++;
      reasons.push(`phone ${digits} over the cap of ${cap} attempts in 24 hours`);
    }
    if (reasons.length > 0)
      this.#problem({ line: lineNumber, jobId, atMs, reason: `${dialed}: ${reasons.join('; ')}` }, 'rule');
  }

  result(): AuditResult {
    return {
      dials: this.#dials,
      violations: this.#violations,
      ruleViolations: this.#ruleViolations,
      overCap: this.#overCap,
      malformed: this.#malformed,
      listed: [...this.#listed],
    };
  }

  #problem(problem: AuditViolation, kind: 'window' | 'rule' | false): void {
    if (kind === 'window') this.#violations++;
    else if (kind === 'rule') this.#ruleViolations++;
    else this.#malformed++;
    if (this.#listed.length < this.#maxListed) this.#listed.push(problem);
  }
}

/**
 * Audits a call-log file (JSON lines, see CallLogLine): every dial re-checked against its own policy,
 * and against `options.rules` when given. Rejects with the file system's error when the file cannot be read.
 */
export async function auditLogFile(path: string, options: AuditOptions = {}): Promise<AuditResult> {
  const auditor = new Auditor(options);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const text of lines) auditor.check(text, ++lineNumber);
  return auditor.result();
}
