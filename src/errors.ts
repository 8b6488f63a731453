/** Stable issue codes (spec section 2; the `rules` option's, section 12). */
export type IssueCode =
  | 'phone.bad.format'
  | 'invalid.call.allowed.time'
  | 'invalid.allowed.days'
  | 'phone.gmtZone.bad.format'
  | 'phone.gmtZone.unknown'
  | 'invalid.date.time'
  | 'invalid.retry.interval'
  | 'invalid.max.attempts'
  | 'payload.bad.format'
  | 'unknown.field'
  | 'invalid.dialer_priority'
  | 'max.attempts.clamped'
  | 'invalid.body'
  | 'invalid.redial'
  | 'job.not.found'
  | 'invalid.call.task.state'
  | 'lease.expired'
  | 'invalid.option'
  | 'invalid.snapshot'
  | 'invalid.rule.name'
  | 'invalid.applies.to'
  | 'invalid.blackout.dates'
  | 'invalid.holidays'
  | 'invalid.max.attempts.per.24h'
  | 'phone.blocked';

/**
 * One problem with the input, as an error or a warning.
 * `index` is the entry's position in the body (absent when the issue is not about an entry);
 * `path` is the field path inside the entry (for options it starts with the option's name).
 */
export interface Issue {
  readonly index?: number;
  readonly path: readonly (string | number)[];
  readonly code: IssueCode;
  readonly message: string;
}

/**
 * The most issues a body's result or a `DialerError` lists: past it, issues are counted, not built
 * (see `omittedIssues`), so a body of a million bad entries costs about what a valid one does.
 */
export const MAX_ISSUES = 1_000;

/**
 * The one error type of the library: a list of issues, every one of them an error.
 * `omittedIssues` counts the issues left out of `issues` (0 unless a body had more than
 * `MAX_ISSUES`); it is a lower bound: each rejected entry past the cap counts as one issue, whatever it
 * has. The message lists the issues one per line, then `… and at least 12,345 more issues`.
 */
export class DialerError extends Error {
  override readonly name = 'DialerError';
  readonly issues: readonly Issue[];
  /** Issues left out of `issues`, at least: each rejected entry past `MAX_ISSUES` counts as one. @default 0 */
  readonly omittedIssues: number;

  constructor(issues: readonly Issue[], omittedIssues = 0) {
    super(
      omittedIssues > 0
        ? `${formatIssues(issues)}\n… and at least ${omittedIssues.toLocaleString('en-US')} more issue${omittedIssues === 1 ? '' : 's'}`
        : formatIssues(issues),
    );
    this.issues = issues;
    this.omittedIssues = omittedIssues;
  }
}

/** One line per issue: `[3] allowedTime.mon[1].localTimeTo: message (code)`. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** `[index] path: message (code)`, leaving out what the issue does not have. */
export function formatIssue(issue: Issue): string {
  const where = issue.index === undefined ? '' : `[${issue.index}] `;
  const path = formatPath(issue.path);
  return `${where}${path === '' ? '' : `${path}: `}${issue.message} (${issue.code})`;
}

/** `['allowedTime', 'mon', 1, 'localTimeTo']` as `allowedTime.mon[1].localTimeTo`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Quotes a bad value for a message: JSON where it can, `String()` otherwise, cut at 60 chars. */
export function quote(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (typeof value === 'function') text = 'a function';
  else if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Throws a DialerError with one issue. */
export function fail(code: IssueCode, message: string, path: readonly (string | number)[] = []): never {
  throw new DialerError([{ path, code, message }]);
}
