import type { FastifyInstance } from 'fastify';
import type { AsyncCampaign } from '../engine/async-campaign.js';
import type { CallTask } from '../engine/types.js';
import type { PolicyInput } from '../policy/types.js';
import { controlRoutes } from './calls-routes.js';
import { HttpError } from './http-errors.js';
import { campaignOf } from './request-context.js';
import {
  callTaskSchema,
  errorResponses,
  jobExplanationSchema,
  jobParams,
  jobViewSchema,
  redialParamsSchema,
  tokenParams,
} from './schemas.js';
import { bodyCheckedAs } from './validation.js';

/** The routes of dialers (an extension of this project, not the platform's): `/api/dialer/campaign/{token}/…`. */
export const DIALER = '/api/dialer/campaign/:token';
const TAG = 'Dialer (extension)';

const nextReadyAtSchema = {
  type: 'number',
  nullable: true,
  description: 'when a call could next be ready (epoch ms), or null when none ever could',
} as const;

const attemptField = {
  type: 'integer',
  minimum: 1,
  description: 'the `attempt` of the call task: a report for an attempt that is no longer current is refused',
} as const;

const leaseField = {
  type: 'boolean',
  description:
    'also lease the next call, answered as `/lease` answers (one request for a line that goes on dialing)',
} as const;

/** The answer of `/lease`: the task, or null with when to ask again. */
const leaseAnswerSchema = {
  type: 'object',
  properties: { task: { ...callTaskSchema, nullable: true }, nextReadyAt: nextReadyAtSchema },
} as const;

type JobRequest<Body> = { Params: { token: string; jobId: string }; Body: Body };

/** `/lease`'s answer for `task`: when there is none, when one could next be ready. */
async function leaseAnswer(
  campaign: AsyncCampaign,
  task: CallTask | undefined,
): Promise<{ task: CallTask | null; nextReadyAt: number | null }> {
  const nextReadyAt = task === undefined ? await campaign.nextReadyAt() : undefined;
  return { task: task ?? null, nextReadyAt: nextReadyAt ?? null };
}

/**
 * `/lease`'s answer after a report that was written (`completeAndNext`, `failAndNext`): a failure of it
 * says so (`reportWritten`, answered `report.written`, as `ReportWrittenError` does; http/ does not load
 * postgres/), so that the dialer does not report again.
 */
async function leaseAfterReport(
  campaign: AsyncCampaign,
  leased: () => Promise<CallTask | undefined>,
): Promise<{ task: CallTask | null; nextReadyAt: number | null }> {
  const task = await leased();
  try {
    return await leaseAnswer(campaign, task);
  } catch (error) {
    throw Object.assign(
      new Error('the report was written, then asking when to lease failed', { cause: error }),
      {
        reportWritten: true,
        code: (error as { code?: unknown }).code,
      },
    );
  }
}

/**
 * Lease the next call, report it (complete, fail, redial), `nextReadyAt`, a job's view, pause and
 * resume, for dialers written in any language. A report names the job and the attempt it was leased
 * for, as a call task does (spec section 6). Instants are the server's clock (or the database's).
 */
export function dialerRoutes(app: FastifyInstance): void {
  app.post(
    `${DIALER}/lease`,
    {
      schema: {
        summary: 'Lease the next call: the task, or null with when to ask again',
        tags: [TAG],
        params: tokenParams,
        response: { 200: leaseAnswerSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const { campaign } = campaignOf(request);
      return leaseAnswer(campaign, await campaign.next());
    },
  );

  app.get(
    `${DIALER}/nextReadyAt`,
    {
      schema: {
        summary: 'When a call could next be ready, if nothing else happened',
        tags: [TAG],
        params: tokenParams,
        response: {
          200: { type: 'object', properties: { nextReadyAt: nextReadyAtSchema } },
          ...errorResponses(),
        },
      },
    },
    async (request) => ({ nextReadyAt: (await campaignOf(request).campaign.nextReadyAt()) ?? null }),
  );

  const reportSchema = (summary: string, properties: Record<string, unknown>) => ({
    summary,
    tags: [TAG],
    params: jobParams,
    body: {
      type: 'object',
      properties: { attempt: attemptField, ...properties },
      required: ['attempt'],
      additionalProperties: false,
    },
    response: { 204: { type: 'null', description: 'reported' }, ...errorResponses(413, 415) },
  });
  /** A report that may also lease the next call (`lease: true`): 200 with `/lease`'s answer, else 204. */
  const leasingReportSchema = (summary: string, properties: Record<string, unknown>) => {
    const schema = reportSchema(summary, { ...properties, lease: leaseField });
    return { ...schema, response: { 200: leaseAnswerSchema, ...schema.response } };
  };

  app.post<JobRequest<{ attempt: number; lease?: boolean }>>(
    `${DIALER}/jobs/:jobId/complete`,
    { schema: leasingReportSchema('The call reached its goal: the job is completed', {}) },
    async (request, reply) => {
      const { jobId } = request.params;
      const { attempt, lease } = request.body;
      const { campaign } = campaignOf(request);
      const task = { jobId, attempt } as never;
      if (lease === true) return leaseAfterReport(campaign, () => campaign.completeAndNext(task));
      await campaign.complete(task);
      return reply.code(204).send();
    },
  );

  app.post<JobRequest<{ attempt: number; retryIntervalInMinutes?: number; lease?: boolean }>>(
    `${DIALER}/jobs/:jobId/fail`,
    {
      schema: leasingReportSchema('No answer, busy, dropped: retried after the pause, or the job ends', {
        retryIntervalInMinutes: {
          type: 'integer',
          minimum: 1,
          maximum: 2880,
          description: "this retry's pause instead of the job's, in minutes",
        },
      }),
    },
    async (request, reply) => {
      const { jobId } = request.params;
      const { attempt, retryIntervalInMinutes, lease } = request.body;
      const { campaign } = campaignOf(request);
      const task = { jobId, attempt } as never;
      const options = retryIntervalInMinutes === undefined ? {} : { retryIntervalInMinutes };
      if (lease === true)
        return leaseAfterReport(campaign, () => campaign.failAndNext(task, undefined, options));
      await campaign.fail(task, undefined, options);
      return reply.code(204).send();
    },
  );

  app.post<JobRequest<{ attempt: number; params: PolicyInput }>>(
    `${DIALER}/jobs/:jobId/redial`,
    {
      schema: {
        ...reportSchema('While dialing: a new series as a new job, ready after this attempt ends', {
          params: redialParamsSchema,
        }),
        response: {
          200: {
            type: 'object',
            properties: {
              jobId: {
                type: 'string',
                nullable: true,
                description: 'null when the phone is at maxTotalAttempts',
              },
            },
          },
          ...errorResponses(413, 415),
        },
      },
      // The redial's policy fields are validated by the campaign (spec section 7's issue codes).
      validatorCompiler: bodyCheckedAs({
        type: 'object',
        properties: { attempt: attemptField, params: { type: 'object' } },
        required: ['attempt', 'params'],
        additionalProperties: false,
      }),
    },
    async (request) => {
      const { jobId } = request.params;
      const { attempt, params } = request.body;
      const redialed = await campaignOf(request).campaign.redial({ jobId, attempt } as never, params);
      return { jobId: redialed };
    },
  );

  app.get<{ Params: { token: string; jobId: string } }>(
    `${DIALER}/jobs/:jobId`,
    {
      schema: {
        summary: 'A job',
        tags: [TAG],
        params: jobParams,
        response: { 200: jobViewSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const view = await campaignOf(request).campaign.job(request.params.jobId);
      if (view === undefined)
        throw new HttpError(
          404,
          'job.not.found',
          'no job of this campaign has this ID (or it was forgotten)',
        );
      return view;
    },
  );

  app.get<{ Params: { token: string; jobId: string } }>(
    `${DIALER}/jobs/:jobId/explain`,
    {
      schema: {
        summary: 'Why a job is or is not served now: every layer in its way, each with when it allows',
        tags: [TAG],
        params: jobParams,
        response: { 200: jobExplanationSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const explanation = await campaignOf(request).campaign.explain(request.params.jobId);
      if (explanation === undefined)
        throw new HttpError(
          404,
          'job.not.found',
          'no job of this campaign has this ID (or it was forgotten)',
        );
      return explanation;
    },
  );

  controlRoutes(app, DIALER, TAG);
}
