import { type DestinationStream, type Logger, pino } from 'pino';
import { redactedPath } from './token.js';

/**
 * The service's logger: pino JSON lines. Requests are logged by method and path with every campaign
 * token replaced by `[token]` and without the query string (which can hold phone numbers); headers and
 * bodies are not logged.
 */
export function serviceLogger(
  options: { readonly level?: string; readonly destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      serializers: {
        req: (request: { method?: string; url?: string; ip?: string }) => ({
          method: request.method,
          path: redactedPath(request.url ?? ''),
          remoteAddress: request.ip,
        }),
        res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    options.destination ?? pino.destination(1),
  );
}
