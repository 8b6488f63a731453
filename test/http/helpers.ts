/**
 * A real server on a loopback port for the HTTP tests: `buildServer` over in-memory campaigns (or a
 * directory given), listening on 127.0.0.1 port 0, with its log lines kept for inspection.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type CampaignDirectory, memoryDirectory } from '../../src/http/directory.js';
import type { IdempotenceStore } from '../../src/http/idempotence.js';
import type { Limits } from '../../src/http/limits.js';
import { serviceLogger } from '../../src/http/logging.js';
import { buildServer } from '../../src/http/server.js';
import { newToken, tokenSha256 } from '../../src/http/token.js';
import { asyncCampaign, Campaign, type CampaignOptions } from '../../src/index.js';

/** A running server and what a test needs to call it. */
export interface TestServer {
  /** `http://127.0.0.1:port` */
  readonly url: string;
  readonly app: FastifyInstance;
  /** The server's log so far, one JSON line per entry. */
  logText(): string;
  close(): Promise<void>;
}

/** Starts a server over `directory`; close it in `afterAll`. */
export async function startServer(directory: CampaignDirectory, limits?: Limits): Promise<TestServer> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const app = await buildServer({
    directory,
    ...(limits === undefined ? {} : { limits }),
    logger: serviceLogger({ level: 'debug', destination }),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return { url, app, logText: () => lines.join(''), close };
}

/** In-memory campaigns, one per options object, each with a new token. */
export function memoryCampaigns(
  options: readonly CampaignOptions[],
  idempotence?: IdempotenceStore,
): { directory: CampaignDirectory; tokens: string[] } {
  const tokens = options.map(() => newToken());
  const entries = options.map((campaignOptions, i) => ({
    name: `campaign-${i + 1}`,
    tokenSha256: tokenSha256(tokens[i]!),
    campaign: asyncCampaign(new Campaign(campaignOptions)),
  }));
  return { directory: memoryDirectory(entries, idempotence), tokens };
}

/** An answer read whole: status, headers and the body parsed as JSON (or the text, when not JSON). */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** Sends a request with fetch; a non-string `body` is sent as JSON. */
export async function call(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const text = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${server.url}${path}`, {
    method,
    ...(text === undefined ? {} : { body: text }),
    headers: text === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
  const raw = await response.text();
  let parsed: unknown = raw;
  try {
    parsed = raw === '' ? undefined : JSON.parse(raw);
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed };
}
