import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './database.js';
import { externalDatabaseUrl, type PostgresServer, startPostgres } from './server.js';

/** Clients and pools opened by a test, closed after it whatever happened. */
const opened: { end(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((resource) => resource.end().catch(() => {})));
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // A session the server terminates (a restart) emits 'error'; unhandled, it would end the worker.
  client.on('error', () => {});
  opened.push(client);
  await client.connect();
  return client;
}

function poolOf(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  opened.push(pool);
  return pool;
}

describe('the shared PostgreSQL server', () => {
  const db = useTestDatabase('server-smoke');

  it('runs PostgreSQL 14 or newer', async () => {
    const client = await connect(db.url);
    const { rows } = await client.query<{ version: string; num: string }>(
      "SELECT version() AS version, current_setting('server_version_num') AS num",
    );
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    expect(Number(rows[0]?.num)).toBeGreaterThanOrEqual(140_000);
  });

  it('connects the test file to a database of its own', async () => {
    const client = await connect(db.url);
    const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
    expect(rows[0]?.name).toBe(db.name);
  });

  it('gives each of two sessions a different row with FOR UPDATE SKIP LOCKED', async () => {
    const setup = await connect(db.url);
    await setup.query('CREATE TABLE queue (id integer PRIMARY KEY)');
    await setup.query('INSERT INTO queue SELECT generate_series(1, 3)');
    const fetchNext = 'SELECT id FROM queue ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED';
    const first = await connect(db.url);
    const second = await connect(db.url);

    await first.query('BEGIN');
    expect((await first.query(fetchNext)).rows).toEqual([{ id: 1 }]);
    await second.query('BEGIN');
    expect((await second.query(fetchNext)).rows).toEqual([{ id: 2 }]);
    // Row 1 really is locked: asking for it without SKIP LOCKED fails at once.
    await expect(second.query('SELECT id FROM queue WHERE id = 1 FOR UPDATE NOWAIT')).rejects.toMatchObject({
      code: '55P03',
    });
    await second.query('ROLLBACK');

    await first.query('DELETE FROM queue WHERE id = 1');
    await first.query('COMMIT');
    expect((await second.query(fetchNext)).rows).toEqual([{ id: 2 }]);
  });
});

describe.skipIf(externalDatabaseUrl() !== undefined)('a server of its own: stop, start, restart', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('rejects queries with ECONNREFUSED while stopped and serves the same data after start', async () => {
    const pool = poolOf(server.url);
    await pool.query('CREATE TABLE calls (id integer PRIMARY KEY)');
    await pool.query('INSERT INTO calls VALUES (1), (2)');

    await server.stop();
    expect(server.isRunning).toBe(false);
    await expect(pool.query('SELECT 1')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
      message: expect.stringContaining('127.0.0.1'),
    });

    await server.start();
    expect(server.isRunning).toBe(true);
    const { rows } = await pool.query('SELECT id FROM calls ORDER BY id');
    expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('ends open sessions on restart, and new sessions work after it', async () => {
    const before = await connect(server.url);
    await before.query('SELECT 1');

    await server.restart();

    await expect(before.query('SELECT 1')).rejects.toThrow(/terminat|not queryable/i);
    const after = await connect(server.url);
    expect((await after.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('keeps an uncommitted transaction out after a restart', async () => {
    const writer = await connect(server.url);
    await writer.query('CREATE TABLE leases (id integer PRIMARY KEY)');
    await writer.query('BEGIN');
    await writer.query('INSERT INTO leases VALUES (1)');

    await server.restart();

    const reader = await connect(server.url);
    expect((await reader.query('SELECT count(*)::int AS n FROM leases')).rows).toEqual([{ n: 0 }]);
  });
});
