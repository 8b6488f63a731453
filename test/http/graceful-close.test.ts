/**
 * `app.close()` of the service over a real socket, with a client holding keep-alive connections open:
 * idle ones and one that never sent a request are ended at once, the request in flight is answered
 * (with `Connection: close`), then its connection is ended and the directory closed. Time is passed by
 * events: a request is held in flight by a directory whose lookup waits for the test.
 */
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { CampaignDirectory } from '../../src/http/directory.js';
import { memoryCampaigns, startServer } from './helpers.js';

/** Resolves on the next `event` of `emitter`. */
const next = (emitter: { once(event: string, listener: () => void): unknown }, event: string) =>
  new Promise<void>((resolve) => emitter.once(event, () => resolve()));

/** GET `url` with `agent`: status, `Connection` header and body text. */
function get(url: string, agent: Agent): Promise<{ status: number; connection?: string; text: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (answer) => {
      let text = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => {
        text += chunk;
      });
      answer.on('end', () =>
        resolve({
          status: answer.statusCode!,
          text,
          ...(answer.headers.connection === undefined ? {} : { connection: answer.headers.connection }),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('buildServer close', () => {
  it('ends idle and silent keep-alive connections at once, and the busy one once its request is answered', async () => {
    const { directory, tokens } = memoryCampaigns([{}]);
    const token = tokens[0]!;
    // The lookup of a held request waits for `release`; `held` resolves once it is waiting.
    let hold = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let onHeld!: () => void;
    const held = new Promise<void>((resolve) => {
      onHeld = resolve;
    });
    // What the directory and close did, in order.
    const events: string[] = [];
    const gated: CampaignDirectory = {
      backend: directory.backend,
      idempotence: directory.idempotence,
      find: async (found) => {
        if (hold) {
          hold = false;
          onHeld();
          await released;
        }
        return directory.find(found);
      },
      close: async () => {
        events.push('directory closed');
        await directory.close();
      },
    };
    const server = await startServer(gated);
    const status = `${server.url}/api/calls/campaign/${token}/status`;
    const agent = new Agent({ keepAlive: true, maxSockets: 3 });
    const first = await Promise.all([get(status, agent), get(status, agent), get(status, agent)]);
    expect(first.map((answer) => answer.connection)).toEqual(['keep-alive', 'keep-alive', 'keep-alive']);
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(3);
    const silent = connect(Number(new URL(server.url).port), '127.0.0.1');
    await next(silent, 'connect');
    const silentClosed = next(silent, 'close');

    hold = true;
    const inFlight = get(status, agent);
    await held;
    // The request in flight took one of the three connections; the other two are idle.
    const idle = Object.values(agent.freeSockets).flat() as Socket[];
    expect(idle).toHaveLength(2);
    const idleClosed = idle.map((socket) => next(socket, 'close'));
    const closed = server.close().then(() => events.push('closed'));
    // The idle connections and the silent one end while the request is still held.
    await Promise.all([...idleClosed, silentClosed]);
    expect(events).toEqual([]);
    release();
    expect(await inFlight).toEqual({ status: 200, connection: 'close', text: '"planned"' });
    await closed;
    expect(events).toEqual(['directory closed', 'closed']);
    agent.destroy();
  }, 30_000);
});
