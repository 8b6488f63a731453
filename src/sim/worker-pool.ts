import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DialerError } from '../index.js';
import type { DialerLinesListener, LineGroup, LineGroupTotals } from './dialer-lines.js';
import type { LinePlan } from './simulation.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

/** Where the workers' campaign is. */
export interface WorkerPoolOptions {
  readonly connectionString: string;
  /** The campaign's name: it must exist (the coordinator opens it first). */
  readonly name: string;
  /** Worker processes, at least 1 and at most the plan's lines. */
  readonly workers: number;
}

/**
 * Dialer processes on one PostgreSQL campaign: `workers` forks of `dialer-worker`, the plan's lines
 * split among them (the first ones get one more when they do not divide evenly), each seen by the
 * simulation as a {@link LineGroup} whose calls are requests over IPC (`worker-protocol.ts`).
 *
 * @example
 * let pool: DialerWorkerPool | undefined;
 * try {
 *   await simulate({ ..., lineGroups: async (plan) => (pool = await DialerWorkerPool.start(where, plan)).groups });
 * } finally { pool?.kill(); }
 */
export class DialerWorkerPool {
  readonly groups: readonly LineGroup[];
  readonly #workers: readonly WorkerLines[];

  private constructor(workers: readonly WorkerLines[]) {
    this.#workers = workers;
    this.groups = workers;
  }

  /** Forks the workers and waits until each has opened the campaign; on failure none is left running. */
  static async start(options: WorkerPoolOptions, plan: LinePlan): Promise<DialerWorkerPool> {
    const { workers } = options;
    if (!(Number.isInteger(workers) && workers >= 1 && workers <= plan.lines)) {
      throw new Error(`workers must be a whole number from 1 to the ${plan.lines} lines, got ${workers}`);
    }
    const { modulePath, execArgv } = workerModule();
    const pool = new DialerWorkerPool(
      Array.from({ length: workers }, (_, index) => {
        const lines = Math.floor(plan.lines / workers) + (index < plan.lines % workers ? 1 : 0);
        const child = fork(modulePath, [], {
          execArgv,
          serialization: 'advanced',
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        return new WorkerLines(child, index, lines, plan.listener);
      }),
    );
    try {
      await Promise.all(
        pool.#workers.map((worker, index) =>
          worker.open({
            type: 'open',
            connectionString: options.connectionString,
            name: options.name,
            lines: worker.freeLines,
            seed: plan.seed,
            index,
            ...(plan.rates && { rates: plan.rates }),
          }),
        ),
      );
    } catch (error) {
      pool.kill();
      throw error;
    }
    return pool;
  }

  /** Process IDs of the workers. */
  get pids(): readonly (number | undefined)[] {
    return this.#workers.map((worker) => worker.pid);
  }

  /** Ends the workers still running (SIGKILL): after a failed run. Those that closed have exited. */
  kill(): void {
    for (const worker of this.#workers) worker.kill();
  }
}

/**
 * The worker's module and the Node flags to run it: the compiled `.js` beside this file, or in a clone
 * without a build the TypeScript source through tsx's loader (a devDependency), found from here.
 */
function workerModule(): { modulePath: string; execArgv: string[] } {
  const here = import.meta.url;
  if (!here.endsWith('.ts'))
    return { modulePath: fileURLToPath(new URL('./dialer-worker.js', here)), execArgv: [] };
  const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
  return { modulePath: fileURLToPath(new URL('./dialer-worker.ts', here)), execArgv: ['--import', tsx] };
}

/** One worker process as a line group: each call is one request and its reply. */
class WorkerLines implements LineGroup {
  readonly #child: ChildProcess;
  readonly #index: number;
  readonly #listener: DialerLinesListener;
  #freeLines: number;
  #nextEndMs = Number.POSITIVE_INFINITY;
  #waiting: { resolve(reply: WorkerReply): void; reject(error: Error): void } | undefined;
  #exited: Error | undefined;

  constructor(child: ChildProcess, index: number, lines: number, listener: DialerLinesListener) {
    this.#child = child;
    this.#index = index;
    this.#freeLines = lines;
    this.#listener = listener;
    child.on('message', (reply: WorkerReply) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.resolve(reply);
    });
    child.on('error', (error) =>
      this.#fail(new Error(`${this.#name()}: ${error.message}`, { cause: error })),
    );
    child.on('exit', (code, signal) => {
      this.#fail(new Error(`${this.#name()} exited (${signal ?? `code ${code}`}) before the run ended`));
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get freeLines(): number {
    return this.#freeLines;
  }

  get nextEndMs(): number {
    return this.#nextEndMs;
  }

  async open(request: WorkerRequest & { type: 'open' }): Promise<void> {
    await this.#request(request, 'opened');
  }

  async report(atMs: number): Promise<void> {
    const reply = await this.#request({ type: 'report', atMs }, 'reported');
    for (const { childId, parent, params } of reply.redials) this.#listener.redialed(childId, parent, params);
    this.#freeLines = reply.freeLines;
    this.#nextEndMs = reply.nextEndMs;
  }

  async dial(atMs: number): Promise<number> {
    const reply = await this.#request({ type: 'dial', atMs }, 'dialed');
    for (const { task, atMs: dialedAtMs, call } of reply.dials) this.#listener.dialed(task, dialedAtMs, call);
    this.#freeLines = reply.freeLines;
    this.#nextEndMs = reply.nextEndMs;
    return reply.dials.length;
  }

  async close(): Promise<LineGroupTotals> {
    return (await this.#request({ type: 'close' }, 'closed')).totals;
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }

  async #request<T extends WorkerReply['type']>(
    request: WorkerRequest,
    expected: T,
  ): Promise<WorkerReply & { type: T }> {
    if (this.#exited !== undefined) throw this.#exited;
    if (this.#waiting !== undefined)
      throw new Error(`${this.#name()} was sent a request before its last reply`);
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#child.send(request, (error) => {
        if (error !== null) this.#fail(new Error(`${this.#name()}: ${error.message}`, { cause: error }));
      });
    });
    if (reply.type === 'failed') {
      if (reply.issues !== undefined) throw new DialerError(reply.issues, reply.omittedIssues);
      throw new Error(`${this.#name()}: ${reply.message}`);
    }
    if (reply.type !== expected) {
      throw new Error(`${this.#name()} answered ${reply.type} to ${request.type}, expected ${expected}`);
    }
    return reply as WorkerReply & { type: T };
  }

  #fail(error: Error): void {
    // After its last reply a worker exits: that is the end of the run, not a failure.
    if (this.#exited !== undefined) return;
    this.#exited = error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(error);
  }

  #name(): string {
    return `dialer worker ${this.#index + 1} (pid ${this.#child.pid ?? '?'})`;
  }
}
