import { DialerError, formatIssue, type Issue } from '../errors.js';

/** The JSON body of every error answer: `type` is an issue code (spec section 2) or one of the service's. */
export interface ErrorBody {
  readonly type: string;
  readonly message: string;
  /** Every issue of a rejected body or call. */
  readonly issues?: readonly Issue[];
  /** Issues left out of `issues` past `MAX_ISSUES` (at least). */
  readonly omittedIssues?: number;
}

/** An error answer with its status, thrown by the routes and hooks. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly type: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, type: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.type = type;
    this.headers = headers;
  }
}

/** PostgreSQL and socket error codes that mean the database cannot be reached now. */
const UNAVAILABLE_CODES = /^(08|57P0[123]$|ECONNREFUSED$|ECONNRESET$|ETIMEDOUT$|ENOTFOUND$)/;

/** Fastify's own errors, by code: status and the message of their answer. */
const FASTIFY_ERRORS: Record<string, (error: FastifyLikeError) => [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => [413, 'invalid.body', 'the body is larger than the limit'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => [
    415,
    'invalid.body',
    'the body is not JSON: send it with Content-Type: application/json',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => [
    400,
    'invalid.body',
    'the Content-Length does not match the body',
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: () => [400, 'invalid.body', 'the body is empty: expected JSON'],
};

interface FastifyLikeError extends Error {
  readonly code?: string;
  readonly statusCode?: number;
}

/**
 * The status and body of the answer to `error`: a `DialerError` is 400 with its first issue's code as
 * `type` and every issue; an `HttpError` its own; Fastify's body errors 400, 413 or 415 `invalid.body`;
 * a report written before what followed it failed (`reportWritten`: a `complete` or `fail` with
 * `lease: true`) `report.written`, 503 when the database is out of reach, else 500; a database out of
 * reach 503; anything else 500 `internal` (the server logs it).
 */
export function errorAnswer(
  error: unknown,
  bodyBytes: number,
): { status: number; body: ErrorBody; headers: Readonly<Record<string, string>> } {
  if (error instanceof DialerError) {
    const [first] = error.issues;
    const count = error.issues.length + error.omittedIssues;
    const message =
      count === 1 || first === undefined
        ? (first?.message ?? error.message)
        : `${count.toLocaleString('en-US')} issues, the first: ${formatIssue(first)}`;
    const body: ErrorBody = {
      type: first?.code ?? 'invalid.body',
      message,
      issues: error.issues,
      ...(error.omittedIssues > 0 ? { omittedIssues: error.omittedIssues } : {}),
    };
    return { status: 400, body, headers: {} };
  }
  if (error instanceof HttpError)
    return {
      status: error.status,
      body: { type: error.type, message: error.message },
      headers: error.headers,
    };
  const e = error as FastifyLikeError;
  const known = e.code === undefined ? undefined : FASTIFY_ERRORS[e.code];
  if (known !== undefined) {
    const [status, type, message] = known(e);
    const text =
      status === 413
        ? `${message} of ${bodyBytes.toLocaleString('en-US')} bytes: split it into smaller requests`
        : message;
    return { status, body: { type, message: text }, headers: {} };
  }
  if ((error as { reportWritten?: unknown }).reportWritten === true) {
    const unavailable = typeof e.code === 'string' && UNAVAILABLE_CODES.test(e.code);
    return {
      status: unavailable ? 503 : 500,
      body: {
        type: 'report.written',
        message: `the report was written, then leasing the next call failed${
          unavailable ? ' (the database cannot be reached now)' : ''
        }: do not report it again; lease the next call with /lease`,
      },
      headers: unavailable ? { 'retry-after': '5' } : {},
    };
  }
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.test(e.code))
    return {
      status: 503,
      body: { type: 'unavailable', message: 'the database cannot be reached now: try again later' },
      headers: { 'retry-after': '5' },
    };
  return {
    status: 500,
    body: { type: 'internal', message: 'internal error: see the server log' },
    headers: {},
  };
}
