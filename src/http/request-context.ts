import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServedCampaign } from './directory.js';
import { HttpError } from './http-errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The campaign of the route's `:token`, found before the body is read. */
    served: ServedCampaign | undefined;
    /** The idempotence key this request claimed, to store its answer under or release. */
    claimedKey: { readonly scope: string; readonly route: string; readonly key: string } | undefined;
  }
  interface FastifyContextConfig {
    /** The route takes an `Idempotence-Key` (header, or query parameter on GET). */
    idempotent?: boolean;
  }
}

/** The campaign a request's token opened (the token hook has answered 404 for any other). */
export function campaignOf(request: FastifyRequest): ServedCampaign {
  const served = request.served;
  if (served === undefined) throw new HttpError(404, 'invalid.token', 'no campaign has this token');
  return served;
}

/** Answers `value` as JSON: for routes whose answer is a JSON string (a job ID, a status), which Fastify would send as text. */
export function sendJson(reply: FastifyReply, value: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}
