import type { FastifyInstance } from 'fastify';
import { campaignOf } from './request-context.js';
import { errorResponses, idempotenceHeaders, jobIdsSchema, phoneListSchema, tokenParams } from './schemas.js';

const CALLS = '/api/calls/campaign/:token';
/** The platform documents no do-not-call route: these are an extension of this project. */
export const DO_NOT_CALL_TAG = 'Do not call (extension)';

const phonesBody = {
  type: 'object',
  required: ['phones'],
  properties: { phones: phoneListSchema },
  additionalProperties: false,
} as const;

/**
 * `POST …/doNotCall/add` and `…/doNotCall/remove` with `{ phones }` (spec section 12 "Do not call"):
 * `blockPhones` and `unblockPhones` of the campaign. A phone that is not a phone number is a 400
 * `phone.bad.format` for the whole request (nothing is blocked), with an issue per bad phone.
 */
export function doNotCallRoutes(app: FastifyInstance): void {
  app.post<{ Body: { phones: (string | number)[] } }>(
    `${CALLS}/doNotCall/add`,
    {
      config: { idempotent: true },
      schema: {
        summary:
          'Put phones on the do-not-call list, cancelling their unfinished jobs: the answer is the IDs cancelled',
        description:
          'A job being dialed ends cancelled at its report. Entries of these phones added later are left out: their addPhones slot is null.',
        tags: [DO_NOT_CALL_TAG],
        params: tokenParams,
        headers: idempotenceHeaders,
        body: phonesBody,
        response: { 200: jobIdsSchema, ...errorResponses(409, 413, 415, 422) },
      },
    },
    async (request) => campaignOf(request).campaign.blockPhones(request.body.phones),
  );
  app.post<{ Body: { phones: (string | number)[] } }>(
    `${CALLS}/doNotCall/remove`,
    {
      config: { idempotent: true },
      schema: {
        summary: 'Take phones off the do-not-call list: the answer is those that were on it, as digits',
        tags: [DO_NOT_CALL_TAG],
        params: tokenParams,
        headers: idempotenceHeaders,
        body: phonesBody,
        response: {
          200: { type: 'array', items: { type: 'string' }, description: 'phones, digits only' },
          ...errorResponses(409, 413, 415, 422),
        },
      },
    },
    async (request) => campaignOf(request).campaign.unblockPhones(request.body.phones),
  );
}
