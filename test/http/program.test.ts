/**
 * The `dialer-scheduler` program in a process of its own (through tsx, on the sources): `campaign
 * create` in memory mode, `serve --config`, a graceful stop on SIGTERM with a request in flight (also
 * with clients holding keep-alive connections open), and the errors of a bad command line or
 * configuration.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { newToken, tokenSha256 } from '../../src/http/token.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PROGRAM = ['--import', 'tsx', join(root, 'src/http/dialer-scheduler.ts')];
const work = mkdtempSync(join(tmpdir(), 'dialer-scheduler-program-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the program to its end: exit code, stdout, stderr. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...PROGRAM, ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A serving process and its log lines as they come. */
function serve(args: string[]): {
  child: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp): Promise<string>;
} {
  const child = spawn(process.execPath, [...PROGRAM, 'serve', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let pending = '';
  const onData = (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters.splice(0))
        if (waiter.pattern.test(line)) waiter.resolve(line);
        else waiters.push(waiter);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitFor = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const found = lines.find((line) => pattern.test(line));
      if (found !== undefined) return resolve(found);
      waiters.push({ pattern, resolve });
      child.once('exit', (code) =>
        reject(new Error(`exited with ${code} before ${pattern}: ${lines.join('\n')}`)),
      );
    });
  return { child, lines, waitFor };
}

/** The exit code of `child`; a rejection (and SIGKILL) if it has not exited `timeoutMs` after the call, a failure bound. */
function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service had not exited ${timeoutMs} ms later`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** A request with `agent` whose body is sent in two parts: the second when `rest` resolves. */
function postInTwoParts(
  url: string,
  path: string,
  body: string,
  agent: Agent,
  rest: Promise<unknown>,
): Promise<{ status: number; text: string }> {
  const half = Math.floor(body.length / 2);
  return new Promise((resolve, reject) => {
    const sent = request(
      `${url}${path}`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => {
          text += chunk;
        });
        answer.on('end', () => resolve({ status: answer.statusCode!, text }));
      },
    );
    sent.on('error', reject);
    sent.write(body.slice(0, half));
    void rest.then(() => sent.end(body.slice(half)), reject);
  });
}

describe('dialer-scheduler campaign create (memory mode)', () => {
  it('prints a 192-bit token, and the config entry with its SHA-256 only', async () => {
    const { code, stdout, stderr } = await run(['campaign', 'create', '--name', 'spring']);
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const entry = JSON.parse(stderr.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(entry).toEqual({
      name: 'spring',
      tokenSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      options: {},
    });
    expect(stderr).not.toContain(token);
  });

  it('refuses bad campaign options with their issue, and a missing name with the usage', async () => {
    const options = join(work, 'bad-options.json');
    writeFileSync(options, JSON.stringify({ leaseTimeoutMs: -1 }));
    const bad = await run(['campaign', 'create', '--name', 'x', '--options', options]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('(invalid.option)');
    const usage = await run(['campaign', 'create']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('needs --name');
  });
});

describe('dialer-scheduler serve --config (memory mode)', () => {
  it('serves, then stops on SIGTERM after answering the request in flight, never logging the token', async () => {
    const created = await run(['campaign', 'create', '--name', 'spring']);
    const token = created.stdout.trim();
    const entry = JSON.parse(created.stderr.trim().split('\n').at(-1)!);
    const config = join(work, 'serve.json');
    writeFileSync(config, JSON.stringify({ campaigns: [entry] }));
    const service = serve(['--port', '0', '--config', config]);
    const listening = await service.waitFor(/Server listening at/);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(listening)![0];
    const body = JSON.stringify(
      Array.from({ length: 60_000 }, (_, i) => ({ phone: String(16500000000 + i) })),
    );
    const inFlight = fetch(`${url}/api/calls/campaign/${token}/addPhones`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await service.waitFor(/incoming request/);
    service.child.kill('SIGTERM');
    const exited = exitOf(service.child, 30_000);
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect((await answer.json()) as string[]).toHaveLength(60_000);
    expect(await exited).toBe(0);
    const log = service.lines.join('\n');
    expect(log).toContain('"signal":"SIGTERM"');
    expect(log).toContain('"msg":"stopped"');
    expect(log).not.toContain(token);
    await expect(fetch(`${url}/api/calls/campaign/${token}/status`)).rejects.toThrow();
  });

  it('exits on SIGTERM while clients hold keep-alive connections, idle, silent or with a request in flight', async () => {
    const token = newToken();
    const config = join(work, 'keep-alive.json');
    writeFileSync(
      config,
      JSON.stringify({ campaigns: [{ name: 'spring', tokenSha256: tokenSha256(token).toString('hex') }] }),
    );
    const service = serve(['--port', '0', '--config', config]);
    const listening = await service.waitFor(/Server listening at/);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(listening)![0];
    // A load client's connections: four kept alive after their answers, and one opened that never sent
    // a request (autocannon leaves one such at the end of a run; Node's close waited for it for ever).
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const statuses = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<string | undefined>((resolve, reject) => {
            request(`${url}/api/calls/campaign/${token}/status`, { agent }, (answer) => {
              answer.resume();
              answer.on('end', () => resolve(answer.headers.connection));
            })
              .on('error', reject)
              .end();
          }),
      ),
    );
    expect(statuses).toEqual(['keep-alive', 'keep-alive', 'keep-alive', 'keep-alive']);
    const silent: Socket = connect(Number(new URL(url).port), '127.0.0.1');
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    silent.on('error', () => {});
    await new Promise<void>((resolve) => silent.once('connect', () => resolve()));
    // A request in flight on one of the kept-alive connections: routed, its body's second half sent
    // once the service says it is stopping.
    const stopping = service.waitFor(/stopping: finishing the requests in flight/);
    const body = JSON.stringify(
      Array.from({ length: 2_000 }, (_, i) => ({ phone: String(16500000000 + i) })),
    );
    const inFlight = postInTwoParts(url, `/api/calls/campaign/${token}/addPhones`, body, agent, stopping);
    await service.waitFor(/addPhones.*incoming request/);
    service.child.kill('SIGTERM');
    const exited = exitOf(service.child, 30_000);
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text) as string[]).toHaveLength(2_000);
    expect(await exited).toBe(0);
    await silentClosed;
    expect(service.lines.join('\n')).toContain('"msg":"stopped"');
    agent.destroy();
  });

  it('refuses a configuration with an unknown key or a short token, and a serve with no campaigns', async () => {
    const config = join(work, 'bad.json');
    writeFileSync(config, JSON.stringify({ campaign: [], limits: { bodyBytes: 10 } }));
    const bad = await run(['serve', '--config', config]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('did you mean `campaigns`?');
    expect(bad.stderr).toContain('limits.bodyBytes 10 is not valid');
    writeFileSync(config, JSON.stringify({ campaigns: [{ name: 'a', token: 'short' }] }));
    expect((await run(['serve', '--config', config])).stderr).toContain('128 bits or more');
    const none = await run(['serve']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give --database-url, or --config');
  });
});
