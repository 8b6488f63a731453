/**
 * The JSON schemas of the routes: they validate path parameters, query strings and the bodies that are
 * not addPhones entries (those are checked by the library, for the issue codes of spec section 2), and
 * they make the OpenAPI document.
 */

const instant = (description: string) => ({ type: 'number', description });
const nullable = (schema: Record<string, unknown>) => ({ ...schema, nullable: true });

export const tokenParams = {
  type: 'object',
  properties: {
    token: { type: 'string', minLength: 1, maxLength: 256, description: 'the campaign token (a secret)' },
  },
  required: ['token'],
} as const;

export const jobParams = {
  type: 'object',
  properties: {
    ...tokenParams.properties,
    jobId: { type: 'string', minLength: 1, maxLength: 32, description: 'a job ID (decimal digits)' },
  },
  required: ['token', 'jobId'],
} as const;

export const idempotenceHeaders = {
  type: 'object',
  properties: {
    'idempotence-key': {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'a repeat with the same key within 24 hours gets the first answer',
    },
  },
} as const;

export const idempotenceQuery = {
  'Idempotence-Key': { ...idempotenceHeaders.properties['idempotence-key'] },
} as const;

export const pageQuery = {
  page: { type: 'integer', minimum: 0, maximum: 199, default: 0, description: 'page number, from 0' },
  pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 20, description: 'jobs per page' },
} as const;

export const errorSchema = {
  type: 'object',
  description: 'an error: `type` is the issue code (spec section 2) or invalid.token, not.found, ...',
  properties: {
    type: { type: 'string' },
    message: { type: 'string' },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          path: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
    omittedIssues: { type: 'integer' },
  },
  required: ['type', 'message'],
} as const;

const interval = {
  type: 'object',
  properties: {
    localTimeFrom: { type: 'string', example: '10:00' },
    localTimeTo: { type: 'string', example: '18:00' },
  },
};
const intervals = { type: 'array', items: interval };

/** One addPhones entry, for the document only: the library validates entries (spec section 2). */
export const entrySchema = {
  type: 'object',
  description: 'an addPhones entry (spec section 2); unknown fields are `unknown.field` errors',
  properties: {
    phone: { anyOf: [{ type: 'string' }, { type: 'integer' }], example: '16500000000' },
    payload: { description: 'any JSON value, passed back with each call (at most 64 KiB)' },
    startDateTime: { anyOf: [{ type: 'string' }, { type: 'integer' }], example: '2024-03-23T00:00:00Z' },
    finishDateTime: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    allowedDays: {
      type: 'array',
      items: { type: 'string', enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
    },
    allowedTime: {
      type: 'object',
      properties: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'default'].map((d) => [d, intervals]),
      ),
    },
    retryIntervalInMinutes: { type: 'integer', minimum: 1, maximum: 2880 },
    maxAttempts: { type: 'integer', minimum: 0, maximum: 50 },
    gmtZone: { type: 'string', example: '-05:00' },
    dialerPriority: { type: 'integer', minimum: 1, maximum: 5 },
  },
  required: ['phone'],
} as const;

/** Policy fields of a redial (spec section 7), for the document only. */
export const redialParamsSchema = {
  type: 'object',
  description: 'a redial series: the policy fields but gmtZone; startDateTime or allowedTime is required',
  properties: Object.fromEntries(
    Object.entries(entrySchema.properties).filter(
      ([name]) => name !== 'phone' && name !== 'payload' && name !== 'gmtZone',
    ),
  ),
};

export const jobViewSchema = {
  type: 'object',
  description: 'a job (spec section 9)',
  properties: {
    id: { type: 'string' },
    phone: { type: 'string' },
    payload: {},
    state: {
      type: 'string',
      enum: ['waiting', 'ready', 'dialing', 'completed', 'exhausted', 'expired', 'cancelled', 'redialed'],
    },
    attempts: { type: 'integer' },
    maxAttempts: { type: 'integer' },
    dialerPriority: { type: 'integer' },
    gmtZone: { type: 'string' },
    gmtZones: {
      type: 'array',
      items: { type: 'string' },
      description: 'every zone, sorted; gmtZone is the first',
    },
    nextAttemptAt: nullable(instant('epoch ms')),
    redialOf: nullable({ type: 'string' }),
  },
} as const;

export const jobExplanationSchema = {
  type: 'object',
  description: 'why a job is or is not served now (spec section 12, "Explain")',
  properties: {
    jobId: { type: 'string' },
    state: jobViewSchema.properties.state,
    callable: { type: 'boolean', description: 'whether a lease could serve the job now' },
    nextAttemptAt: nullable(instant('as the job view has it')),
    reasons: {
      type: 'array',
      description: 'every layer that keeps the job from being served now; empty exactly when callable',
      items: {
        type: 'object',
        properties: {
          code: {
            type: 'string',
            description:
              'before.start, after.finish, outside.allowed.days, outside.allowed.time, blackout.date, holiday, retry.pause, phone.busy, max.attempts.per.24h, campaign.paused, job.dialing, max.attempts, max.total.attempts, final.state',
          },
          layer: {
            type: 'string',
            description: 'entry, defaults, rule:<name>, state, attempts, paused, phone or retry',
          },
          message: { type: 'string' },
          untilMs: nullable(
            instant('when this layer next allows the job (epoch ms); null when never or not known'),
          ),
        },
      },
    },
  },
} as const;

export const callTaskSchema = {
  type: 'object',
  description: 'a call to make (spec section 5)',
  properties: {
    jobId: { type: 'string' },
    phone: { type: 'string' },
    payload: {},
    attempt: { type: 'integer', description: 'send it back with the report' },
    dialerPriority: { type: 'integer' },
    windowEnd: nullable(instant('when the window closes, epoch ms; null when never')),
    readyAt: instant('when the job became ready, epoch ms'),
    gmtZone: { type: 'string' },
    gmtZones: {
      type: 'array',
      items: { type: 'string' },
      description: 'every zone, sorted; gmtZone is the first',
    },
  },
} as const;

export const jobIdsSchema = {
  type: 'array',
  items: { type: 'string' },
  description: 'job IDs',
} as const;

/** Job IDs as a CRM sends them: decimal strings or numbers. */
export const jobIdListSchema = {
  type: 'array',
  maxItems: 10_000,
  items: {
    anyOf: [
      { type: 'string', maxLength: 32 },
      { type: 'integer', minimum: 1 },
    ],
  },
} as const;

export const phoneListSchema = {
  type: 'array',
  maxItems: 10_000,
  items: { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'integer' }] },
} as const;

/** The error answers of a route, for the document. */
export function errorResponses(...statuses: number[]): Record<number, unknown> {
  const descriptions: Record<number, string> = {
    400: 'a bad request: every issue',
    404: 'invalid.token: no campaign has this token',
    409: 'idempotence.key.in.use: the first request with this key is still in progress',
    413: 'the body is larger than the limit',
    415: 'the body is not JSON',
    422: 'idempotence.key.reused: the key was used with another request',
  };
  return Object.fromEntries(
    [400, 404, ...statuses].map((status) => [status, { ...errorSchema, description: descriptions[status] }]),
  );
}
