import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type WindowChecker, windowChecker } from './window-check.js';

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
  /** Lines that are not call-log lines (bad JSON, missing fields, a policy that cannot be read). */
  readonly malformed: number;
  /** The first `maxListed` problems of both kinds, in line order. */
  readonly listed: readonly AuditViolation[];
}

/**
 * Checks call-log lines one by one against their own `policy` with the independent luxon checker
 * (window-check.ts). Checkers are cached per policy text, as a log repeats a few thousand policies.
 */
export class Auditor {
  readonly #maxListed: number;
  readonly #checkers = new Map<string, WindowChecker | string>();
  readonly #listed: AuditViolation[] = [];
  #dials = 0;
  #violations = 0;
  #malformed = 0;

  constructor(maxListed = 20) {
    this.#maxListed = maxListed;
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
    const { jobId, atMs, policy } = (typeof line === 'object' && line !== null ? line : {}) as Record<
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
    this.#dials++;
    // The policy is the line's last field, so the text after its key identifies it.
    const key = text.slice(text.indexOf('"policy"'));
    let checker = this.#checkers.get(key);
    if (checker === undefined) {
      try {
        checker = windowChecker(policy);
      } catch (error) {
        checker = `policy cannot be read: ${(error as Error).message}`;
      }
      this.#checkers.set(key, checker);
    }
    if (typeof checker === 'string') {
      this.#problem({ line: lineNumber, jobId, atMs, reason: checker }, false);
      return;
    }
    const why = checker.violation(atMs);
    if (why !== undefined) {
      this.#problem(
        { line: lineNumber, jobId, atMs, reason: `dialed ${new Date(atMs).toISOString()}: ${why}` },
        true,
      );
    }
  }

  result(): AuditResult {
    return {
      dials: this.#dials,
      violations: this.#violations,
      malformed: this.#malformed,
      listed: [...this.#listed],
    };
  }

  #problem(problem: AuditViolation, isViolation: boolean): void {
    if (isViolation) this.#violations++;
    else this.#malformed++;
    if (this.#listed.length < this.#maxListed) this.#listed.push(problem);
  }
}

/**
 * Audits a call-log file (JSON lines, see CallLogLine): every dial re-checked against its own policy.
 * Rejects with the file system's error when the file cannot be read.
 */
export async function auditLogFile(path: string, maxListed = 20): Promise<AuditResult> {
  const auditor = new Auditor(maxListed);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const text of lines) auditor.check(text, ++lineNumber);
  return auditor.result();
}
