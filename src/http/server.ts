import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { callsRoutes } from './calls-routes.js';
import { dialerRoutes } from './dialer-routes.js';
import type { CampaignDirectory } from './directory.js';
import { DO_NOT_CALL_TAG, doNotCallRoutes } from './do-not-call-routes.js';
import { closeConnectionsOnClose } from './graceful-close.js';
import { errorAnswer, HttpError } from './http-errors.js';
import { requestSha256 } from './idempotence.js';
import { DEFAULT_LIMITS, type Limits, nestsDeeperThan } from './limits.js';
import { serviceLogger } from './logging.js';
import './request-context.js';
import { redactedPath } from './token.js';
import { validationError, validatorCompiler } from './validation.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** The campaigns served, by token: `memoryDirectory(...)` or `await databaseDirectory(...)`. */
  readonly directory: CampaignDirectory;
  /** @default DEFAULT_LIMITS (10 MiB bodies, 100,000 entries, 64 levels of JSON) */
  readonly limits?: Limits;
  /** A pino logger, or false for none. @default serviceLogger() (info, to stdout) */
  readonly logger?: Logger | false;
}

const METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'OPTIONS'] as const;

/**
 * The HTTP service of spec section 14: the platform's Calls API and this project's dialer routes over
 * the campaigns of `directory`, with an OpenAPI document at `GET /openapi.json`. Call `listen` on the
 * result; `close` stops accepting, finishes the requests in flight, ends every connection (keep-alive
 * ones included, see {@link closeConnectionsOnClose}) and closes the directory.
 *
 * @example
 * const app = await buildServer({ directory: memoryDirectory([{ name, tokenSha256: tokenSha256(token), campaign }]) });
 * await app.listen({ port: 8080, host: '127.0.0.1' });
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { directory } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const logger = options.logger === false ? undefined : (options.logger ?? serviceLogger());
  const app = Fastify({
    ...(logger === undefined ? {} : { loggerInstance: logger as FastifyBaseLogger }),
    bodyLimit: limits.bodyBytes,
    exposeHeadRoutes: false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  });
  closeConnectionsOnClose(app);
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the answers; JSON.stringify writes them (an unbounded instant as null).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.decorateRequest('served', undefined);
  app.decorateRequest('claimedKey', undefined);

  // JSON bodies: nesting checked before parsing; __proto__ and constructor keys refused by Fastify's parser.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text === '') return done(null, undefined);
    if (nestsDeeperThan(text, limits.jsonDepth))
      return done(
        new HttpError(
          400,
          'invalid.body',
          `the body nests arrays and objects deeper than ${limits.jsonDepth} levels`,
        ),
        undefined,
      );
    return parseJson(request, text, (error, value) => {
      if (error === null) return done(null, value);
      try {
        JSON.parse(text);
      } catch (syntax) {
        return done(
          new HttpError(400, 'invalid.body', `the body is not valid JSON: ${(syntax as Error).message}`),
          undefined,
        );
      }
      // Valid JSON that the parser refused: it has a key that could change an object's prototype.
      return done(
        new HttpError(
          400,
          'invalid.body',
          'the body has a `__proto__` or `constructor` key: such keys are refused',
        ),
        undefined,
      );
    });
  });

  app.setErrorHandler((error, request, reply) => {
    const validation = (error as { validation?: unknown }).validation;
    const answer = errorAnswer(
      Array.isArray(validation)
        ? validationError(validation, (error as { validationContext?: string }).validationContext ?? 'body')
        : error,
      limits.bodyBytes,
    );
    if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ type: 'not.found', message: `no route ${request.method} ${redactedPath(request.url)}` }),
  );

  // The campaign of `:token`, found before the body is read: an unknown token is 404 whatever the body.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const token = (request.params as { token?: string } | undefined)?.token;
    if (token === undefined) return;
    request.served = await directory.find(token);
    if (request.served === undefined) throw new HttpError(404, 'invalid.token', 'no campaign has this token');
  });
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.idempotent !== true || request.served === undefined) return;
    const query = request.query as Record<string, unknown>;
    const key = request.headers['idempotence-key'] ?? query['Idempotence-Key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > 255)
      throw new HttpError(
        400,
        'invalid.option',
        'the Idempotence-Key must be one text of 1 to 255 characters',
      );
    const route = `${request.method} ${request.routeOptions.url}`;
    const { scope } = request.served;
    const claim = await directory.idempotence.claim(
      scope,
      route,
      key,
      requestSha256(route, query, request.body),
    );
    switch (claim.kind) {
      case 'new':
        request.claimedKey = { scope, route, key };
        return;
      case 'done':
        return reply
          .code(200)
          .type('application/json; charset=utf-8')
          .header('idempotent-replayed', 'true')
          .send(claim.answer);
      case 'busy':
        throw new HttpError(
          409,
          'idempotence.key.in.use',
          'the first request with this Idempotence-Key is still in progress: try again shortly',
          {
            'retry-after': '1',
          },
        );
      case 'conflict':
        throw new HttpError(
          422,
          'idempotence.key.reused',
          'this Idempotence-Key was used with a different request in the last 24 hours',
        );
      default:
        return claim satisfies never;
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const claimed = request.claimedKey;
    if (claimed === undefined) return payload;
    request.claimedKey = undefined;
    const { idempotence } = directory;
    if (reply.statusCode === 200 && typeof payload === 'string')
      await idempotence.store(claimed.scope, claimed.route, claimed.key, payload);
    else await idempotence.release(claimed.scope, claimed.route, claimed.key);
    return payload;
  });
  app.addHook('onClose', () => directory.close());

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'dialer-scheduler',
        version: '0.1.0',
        description:
          "The platform's Calls API (spec section 14) over campaigns in memory or in PostgreSQL, and this project's dialer routes (an extension).",
      },
      tags: [
        { name: 'Calls API', description: "the platform's routes, in its request and answer formats" },
        { name: 'Dialer (extension)', description: "this project's routes for dialers, not the platform's" },
        {
          name: DO_NOT_CALL_TAG,
          description: "this project's do-not-call list of a campaign, not the platform's",
        },
      ],
    },
  });
  const methodsOf = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = methodsOf.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    methodsOf.set(route.url, methods);
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  callsRoutes(app, limits);
  dialerRoutes(app);
  doNotCallRoutes(app);
  // A known path with another method: 405 naming the methods it takes.
  for (const [url, used] of [...methodsOf]) {
    const allowed = [...used].sort().join(', ');
    app.route({
      method: METHODS.filter((method) => !used.has(method)),
      url,
      schema: { hide: true },
      handler: async (request, reply: FastifyReply) =>
        reply
          .code(405)
          .header('allow', allowed)
          .send({
            type: 'method.not.allowed',
            message: `${request.method} is not allowed on ${redactedPath(request.url)}: use ${allowed}`,
          }),
    });
  }
  return app;
}
