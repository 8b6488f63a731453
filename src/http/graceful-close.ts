import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Makes `app.close()` end every connection as soon as it has no request in flight, so that close (and
 * `serve` on SIGTERM) finishes once the requests in flight are answered, whatever the clients do.
 *
 * Node's `server.close()` alone is not enough: it destroys the keep-alive connections idle at that
 * moment, once, and stops the timer that times out the others. A connection whose request was in flight
 * stayed open after its answer for the keep-alive timeout (72 s), and one a client opened without sending
 * a request yet (a load client such as autocannon leaves one) stayed open until the client closed it:
 * `close` waited for both.
 *
 * On close: a connection with no request in flight is destroyed (one still sending its request headers
 * counts as idle: the service no longer accepts requests); an answer not yet sent gets
 * `Connection: close` (the client sends no other request on its connection), and every connection with
 * requests in flight is ended once they are answered.
 */
export function closeConnectionsOnClose(app: FastifyInstance): void {
  // The open connections and, for each, the answers in flight on it (several when pipelined).
  const inFlight = new Map<Socket, Set<ServerResponse>>();
  let closing = false;
  app.server.on('connection', (socket: Socket) => {
    inFlight.set(socket, new Set());
    socket.once('close', () => inFlight.delete(socket));
  });
  // Before Fastify's own listener, so that an answer Fastify sends at once is counted too.
  app.server.prependListener('request', (request: { socket: Socket }, response: ServerResponse) => {
    const { socket } = request;
    const answers = inFlight.get(socket);
    if (answers === undefined) return;
    answers.add(response);
    // 'close' follows 'finish' (the answer sent) and also comes when the client went away first.
    response.once('close', () => {
      answers.delete(response);
      if (closing && answers.size === 0) socket.destroySoon();
    });
  });
  // Runs after Fastify stops routing and before it closes the server (which then stops accepting).
  app.addHook('preClose', (done) => {
    closing = true;
    for (const [socket, answers] of inFlight) {
      if (answers.size === 0) socket.destroy();
      for (const response of answers) if (!response.headersSent) response.setHeader('connection', 'close');
    }
    done();
  });
}
