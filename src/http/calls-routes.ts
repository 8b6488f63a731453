import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AsyncCampaign } from '../engine/async-campaign.js';
import type { JobView } from '../engine/types.js';
import type { EntryInput } from '../policy/types.js';
import { HttpError } from './http-errors.js';
import type { Limits } from './limits.js';
import { entryOfQuery } from './query-entry.js';
import { campaignOf, sendJson } from './request-context.js';
import {
  entrySchema,
  errorResponses,
  idempotenceHeaders,
  idempotenceQuery,
  jobIdListSchema,
  jobIdsSchema,
  jobViewSchema,
  pageQuery,
  phoneListSchema,
  tokenParams,
} from './schemas.js';
import { bodyCheckedAs } from './validation.js';

const CALLS = '/api/calls/campaign/:token';
const CRM = '/api/crmCalls/campaign/:token';

/**
 * The validator of routes whose body is addPhones entries: those are validated by the campaign (the
 * issue codes of spec section 2), so the body's schema only documents them.
 */
const entriesValidator = bodyCheckedAs(undefined);

/** The campaign's status as the platform names it: `planned`, `inProcess`, `paused` or `finished`. */
async function statusOf(campaign: AsyncCampaign): Promise<string> {
  if (await campaign.isPaused()) return 'paused';
  const stats = await campaign.stats();
  if (stats.total === 0) return 'planned';
  return stats.waiting + stats.ready + stats.dialing > 0 ? 'inProcess' : 'finished';
}

/** Job IDs as strings: a CRM may send them as numbers. */
const idsOf = (ids: readonly (string | number)[]): string[] => ids.map(String);

/** `ids` of a query string: repeated, or comma-separated. */
function queryIds(ids: string | readonly string[] | undefined): string[] {
  if (ids === undefined) return [];
  return (typeof ids === 'string' ? [ids] : ids).flatMap((part) => part.split(',')).filter((id) => id !== '');
}

/** The views of `ids` on page `page` of `pageSize` (unknown or forgotten IDs are left out). */
async function reportOf(campaign: AsyncCampaign, ids: readonly string[], page: number, pageSize: number) {
  const views: JobView[] = [];
  for (const id of ids.slice(page * pageSize, (page + 1) * pageSize)) {
    const view = await campaign.job(id);
    if (view !== undefined) views.push(view);
  }
  return views;
}

/** One entry added by the `crmCalls` routes: with the duplicate check, or (the test route) without. */
async function addOne(campaign: AsyncCampaign, entry: unknown, test: boolean): Promise<string> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new HttpError(
      400,
      'invalid.body',
      'the body is not one entry: expected a JSON object with `phone`',
    );
  if (test) return campaign.addTestPhone(entry as EntryInput);
  const { jobIds } = await campaign.addPhones([entry]);
  return jobIds[0]!;
}

const crmQuerySchema = {
  type: 'object',
  description:
    'the entry: phone, gmtZone and the other fields; payload as JSON text, or the other parameters',
  properties: {
    phone: { type: 'string' },
    gmtZone: { type: 'string' },
    payload: { type: 'string', description: 'JSON text' },
    ...idempotenceQuery,
  },
  additionalProperties: true,
} as const;

/** addPhones' answer: a slot per entry, null for an entry of a blocked phone (or a rejected one with `partial`). */
const addedIdsSchema = {
  type: 'array',
  items: { type: 'string', nullable: true },
  description:
    "job IDs in body order: a duplicate's is the existing job's; null for an entry of a phone on the do-not-call list, or a rejected entry with partial",
} as const;

const pageOnly = { type: 'object', properties: { ...pageQuery }, additionalProperties: false } as const;

/** The routes of the platform's Calls API (spec section 14), in its request and answer formats. */
export function callsRoutes(app: FastifyInstance, limits: Limits): void {
  app.post<{ Querystring: { partial?: boolean; details?: boolean }; Body: unknown }>(
    `${CALLS}/addPhones`,
    {
      config: { idempotent: true },
      validatorCompiler: entriesValidator,
      schema: {
        summary: 'Add phone numbers: the answer is the job IDs in body order',
        tags: ['Calls API'],
        params: tokenParams,
        headers: idempotenceHeaders,
        querystring: {
          type: 'object',
          properties: {
            partial: {
              type: 'boolean',
              default: false,
              description: 'add the valid entries; null for the others',
            },
            details: {
              type: 'boolean',
              default: false,
              description: 'answer the whole result: jobIds, duplicates, blocked, warnings, rejected',
            },
          },
          additionalProperties: false,
        },
        body: { type: 'array', items: entrySchema },
        response: { 200: addedIdsSchema, ...errorResponses(409, 413, 415, 422) },
      },
    },
    async (request) => {
      const { campaign } = campaignOf(request);
      const body = request.body;
      if (Array.isArray(body) && body.length > limits.entriesPerBody)
        throw new HttpError(
          400,
          'invalid.body',
          `the body has ${body.length.toLocaleString('en-US')} entries: at most ${limits.entriesPerBody.toLocaleString('en-US')} per request; split it`,
        );
      const result = await campaign.addPhones(body as unknown[], { partial: request.query.partial === true });
      return request.query.details === true ? result : result.jobIds;
    },
  );

  const crmAdd = (test: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const entry = request.body ?? entryOfQuery(request.query as Record<string, unknown>);
    return sendJson(reply, await addOne(campaignOf(request).campaign, entry, test));
  };
  const crmSchema = (summary: string) => ({
    summary,
    tags: ['Calls API'],
    params: tokenParams,
    querystring: crmQuerySchema,
    response: { 200: { type: 'string', description: 'the job ID' }, ...errorResponses(409, 422) },
  });
  app.get(
    `${CRM}/addPhone`,
    { config: { idempotent: true }, schema: crmSchema('Add one phone number') },
    crmAdd(false),
  );
  app.post(
    `${CRM}/addPhone`,
    {
      config: { idempotent: true },
      validatorCompiler: entriesValidator,
      schema: {
        ...crmSchema('Add one phone number: a JSON entry as the body, or query parameters'),
        headers: idempotenceHeaders,
        body: entrySchema,
      },
    },
    crmAdd(false),
  );
  app.get(
    `${CRM}/test/addPhone`,
    { config: { idempotent: true }, schema: crmSchema('Add one phone number without the duplicate check') },
    crmAdd(true),
  );

  app.post<{ Body: { phones?: (string | number)[]; ids?: (string | number)[] } }>(
    `${CALLS}/callJob/cancel`,
    {
      config: { idempotent: true },
      schema: {
        summary: 'Cancel jobs by ID and every unfinished job of some phones: the answer is the IDs cancelled',
        tags: ['Calls API'],
        params: tokenParams,
        headers: idempotenceHeaders,
        body: {
          type: 'object',
          properties: { phones: phoneListSchema, ids: jobIdListSchema },
          additionalProperties: false,
        },
        response: { 200: jobIdsSchema, ...errorResponses(409, 413, 415, 422) },
      },
    },
    async (request) =>
      campaignOf(request).campaign.cancel({
        jobIds: idsOf(request.body.ids ?? []),
        phones: request.body.phones ?? [],
      }),
  );

  const reportSchema = (summary: string) => ({
    summary,
    tags: ['Calls API'],
    params: tokenParams,
    response: { 200: { type: 'array', items: jobViewSchema }, ...errorResponses() },
  });
  app.get<{ Querystring: { ids?: string | string[]; page: number; pageSize: number } }>(
    `${CALLS}/callJob/getReport`,
    {
      schema: {
        ...reportSchema('The jobs of some IDs (unknown ones left out), paged'),
        querystring: {
          type: 'object',
          properties: {
            ids: {
              anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
              description: 'job IDs, comma-separated or repeated',
            },
            ...pageQuery,
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { ids, page, pageSize } = request.query;
      return reportOf(campaignOf(request).campaign, queryIds(ids), page, pageSize);
    },
  );
  app.post<{
    Querystring: { page: number; pageSize: number };
    Body: { ids?: (string | number)[]; phones?: unknown[] };
  }>(
    `${CALLS}/callJob/getReport`,
    {
      schema: {
        ...reportSchema('The jobs of some IDs, as the platform asks for them (a JSON body), paged'),
        querystring: pageOnly,
        body: {
          type: 'object',
          properties: { ids: jobIdListSchema, phones: phoneListSchema },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      if ((request.body.phones?.length ?? 0) > 0)
        throw new HttpError(400, 'invalid.body', 'reports by phone are not provided: ask by `ids`');
      const { page, pageSize } = request.query;
      return reportOf(campaignOf(request).campaign, idsOf(request.body.ids ?? []), page, pageSize);
    },
  );
  app.get<{ Querystring: { page: number; pageSize: number } }>(
    `${CALLS}/callJob/getUnfinished`,
    {
      schema: {
        ...reportSchema('The unfinished jobs (waiting, ready, dialing) in job-ID order, paged'),
        querystring: pageOnly,
      },
    },
    async (request) => {
      const { page, pageSize } = request.query;
      return campaignOf(request).campaign.unfinishedJobs({ offset: page * pageSize, limit: pageSize });
    },
  );

  app.get(
    `${CALLS}/status`,
    {
      schema: {
        summary: 'The campaign status',
        tags: ['Calls API'],
        params: tokenParams,
        response: statusResponse,
      },
    },
    async (request, reply) => sendJson(reply, await statusOf(campaignOf(request).campaign)),
  );
  app.get(
    CALLS,
    {
      schema: {
        summary: 'The campaign: name, status, jobs by state, its time',
        tags: ['Calls API'],
        params: tokenParams,
        response: {
          200: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              status: statusResponse[200],
              stats: { type: 'object', additionalProperties: { type: 'integer' } },
              latestMs: { type: 'number', nullable: true, description: 'the campaign time (epoch ms)' },
            },
          },
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const { name, campaign } = campaignOf(request);
      const latestMs = await campaign.latestMs();
      return {
        name,
        status: await statusOf(campaign),
        stats: await campaign.stats(),
        latestMs: Number.isFinite(latestMs) ? latestMs : null,
      };
    },
  );
  controlRoutes(app, `${CALLS}/control`, 'Calls API');
}

const statusResponse = {
  200: { type: 'string', enum: ['planned', 'inProcess', 'paused', 'finished'] },
  ...errorResponses(),
};

/** `POST {prefix}/pause` and `{prefix}/resume`: the answer is the campaign's status afterwards. */
export function controlRoutes(app: FastifyInstance, prefix: string, tag: string): void {
  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `${prefix}/${action}`,
      {
        config: { idempotent: true },
        schema: {
          summary: `${action === 'pause' ? 'Pause' : 'Resume'} the campaign: the answer is its status`,
          tags: [tag],
          params: tokenParams,
          headers: idempotenceHeaders,
          response: statusResponse,
        },
      },
      async (request, reply) => {
        const { campaign } = campaignOf(request);
        await (action === 'pause' ? campaign.pause() : campaign.resume());
        return sendJson(reply, await statusOf(campaign));
      },
    );
  }
}
