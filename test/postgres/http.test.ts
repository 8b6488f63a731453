/**
 * The HTTP service in database mode (spec sections 13 and 14) on the run's PostgreSQL server: campaigns
 * made by `dialer-scheduler campaign create --database-url`, two service instances on one database (as
 * two processes would be), two dialer clients leasing at once, idempotence keys kept in PostgreSQL, and a
 * token deleted from the database (revoked) that stops working once the token cache time has passed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseDirectory, TOKEN_CACHE_MS } from '../../src/http/directory.js';
import { IDEMPOTENCE_TTL_MS, STALE_CLAIM_MS } from '../../src/http/idempotence.js';
import { newToken, tokenSha256 } from '../../src/http/token.js';
import { call, startServer, type TestServer } from '../http/helpers.js';
import { useTestDatabase } from './database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const db = useTestDatabase('http');
const work = mkdtempSync(join(tmpdir(), 'dialer-scheduler-http-pg-'));
let token: string;
let a: TestServer;
let b: TestServer;

/** `dialer-scheduler campaign create` in a process of its own, on the test database. */
async function createCampaign(
  name: string,
  options: object,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(options));
  const args = ['--import', 'tsx', 'src/http/dialer-scheduler.ts', 'campaign', 'create', '--name', name];
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [...args, '--options', file, '--database-url', db.url],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

beforeAll(async () => {
  const created = await createCampaign('spring', { defaults: { maxAttempts: 1 }, leaseTimeoutMs: 600_000 });
  expect(created.code).toBe(0);
  token = created.stdout.trim();
  a = await startServer(await databaseDirectory({ connectionString: db.url, poolSize: 4 }));
  b = await startServer(await databaseDirectory({ connectionString: db.url, poolSize: 4 }));
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  rmSync(work, { recursive: true, force: true });
});

const calls = (path: string) => `/api/calls/campaign/${token}${path}`;
const dialer = (path: string) => `/api/dialer/campaign/${token}${path}`;

describe('dialer-scheduler campaign create --database-url', () => {
  it('stores the campaign and only its token SHA-256, and gives a campaign one token', async () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query<{ name: string; token_sha256: Buffer }>(
        'SELECT c.name, t.token_sha256 FROM dialer_scheduler.campaign_tokens t JOIN dialer_scheduler.campaigns c ON c.id = t.campaign_id',
      );
      expect(rows.rows).toEqual([{ name: 'spring', token_sha256: tokenSha256(token) }]);
      const dump = await client.query(
        'SELECT row_to_json(t)::text AS row FROM dialer_scheduler.campaign_tokens t',
      );
      expect(dump.rows[0].row).not.toContain(token);
    } finally {
      await client.end();
    }
    const again = await createCampaign('spring', {});
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has a token');
  });
});

describe('the service on PostgreSQL', () => {
  it('answers an unknown token with 404 invalid.token', async () => {
    expect(await call(a, 'GET', '/api/calls/campaign/unknown-token/status')).toMatchObject({
      status: 404,
      body: { type: 'invalid.token' },
    });
  });

  it('serves two dialer clients at once, through two service instances, one leasing with its reports: no call is leased twice', async () => {
    const count = 400;
    for (let start = 0; start < count; start += 100) {
      const body = Array.from({ length: 100 }, (_, i) => ({ phone: String(16500000000 + start + i) }));
      const answer = await call(a, 'POST', calls('/addPhones'), body);
      expect(answer.status).toBe(200);
    }
    // The second client reports with lease: true, taking its next call in the same request.
    type Leased = { task: { jobId: string; attempt: number } | null };
    const client = async (server: TestServer, chained: boolean): Promise<string[]> => {
      const leased: string[] = [];
      let { task } = (await call(server, 'POST', dialer('/lease'))).body as Leased;
      while (task !== null) {
        leased.push(task.jobId);
        const report = await call(server, 'POST', dialer(`/jobs/${task.jobId}/complete`), {
          attempt: task.attempt,
          ...(chained ? { lease: true } : {}),
        });
        expect(report.status).toBe(chained ? 200 : 204);
        ({ task } = (chained ? report : await call(server, 'POST', dialer('/lease'))).body as Leased);
      }
      return leased;
    };
    const [first, second] = await Promise.all([client(a, false), client(b, true)]);
    const all = [...first, ...second];
    const distinct = new Set(all);
    console.log(
      `two dialer clients over HTTP on PostgreSQL: ${first.length} + ${second.length} = ${all.length} leases of ${count} jobs, ${distinct.size} distinct, ${all.length - distinct.size} leased twice`,
    );
    expect(all.length - distinct.size).toBe(0);
    expect(distinct.size).toBe(count);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    const info = (await call(b, 'GET', calls(''))).body as { status: string; stats: { completed: number } };
    expect(info).toMatchObject({ status: 'finished', stats: { completed: count } });
  });

  it('keeps idempotence keys in the database: a repeat on the other instance gets the first answer', async () => {
    const headers = { 'Idempotence-Key': 'crm-42' };
    const first = await call(
      a,
      'POST',
      `/api/crmCalls/campaign/${token}/addPhone`,
      { phone: '16500009001' },
      headers,
    );
    expect(first.status).toBe(200);
    const repeat = await call(
      b,
      'POST',
      `/api/crmCalls/campaign/${token}/addPhone`,
      { phone: '16500009001' },
      headers,
    );
    expect(repeat).toMatchObject({ status: 200, body: first.body });
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    const reused = await call(
      b,
      'POST',
      `/api/crmCalls/campaign/${token}/addPhone`,
      { phone: '16500009002' },
      headers,
    );
    expect(reused).toMatchObject({ status: 422, body: { type: 'idempotence.key.reused' } });
  });

  it.each([
    {
      ttl: '24 hours by default',
      idempotenceTtlMs: undefined,
      ttlMs: IDEMPOTENCE_TTL_MS,
      phone: '16500009101',
    },
    { ttl: '1 s when set', idempotenceTtlMs: 1_000, ttlMs: 1_000, phone: '16500009102' },
  ])('forgets a key once its time to live has passed on the service clock ($ttl)', async (given) => {
    let nowMs = Date.parse('2026-12-01T12:00:00Z');
    const server = await startServer(
      await databaseDirectory({
        connectionString: db.url,
        poolSize: 2,
        clock: () => nowMs,
        ...(given.idempotenceTtlMs === undefined ? {} : { idempotenceTtlMs: given.idempotenceTtlMs }),
      }),
    );
    try {
      const path = `/api/crmCalls/campaign/${token}/test/addPhone?phone=${given.phone}&Idempotence-Key=short-lived-${given.ttlMs}`;
      const first = await call(server, 'GET', path);
      expect(first.status).toBe(200);
      // Half-open: 1 ms before the time to live ends, a repeat still gets the first answer.
      nowMs += given.ttlMs - 1;
      const repeat = await call(server, 'GET', path);
      expect(repeat).toMatchObject({ status: 200, body: first.body });
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      nowMs += 1;
      const later = await call(server, 'GET', path);
      expect(later.status).toBe(200);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(later.body).not.toBe(first.body);
    } finally {
      await server.close();
    }
  });

  it('takes over a claim left unanswered for 10 minutes on the service clock, not 1 ms before', async () => {
    let nowMs = Date.parse('2026-12-01T12:00:00Z');
    const directory = await databaseDirectory({ connectionString: db.url, poolSize: 2, clock: () => nowMs });
    try {
      const { scope } = (await directory.find(token))!;
      const sha = Buffer.alloc(32, 7);
      const claim = () => directory.idempotence.claim(scope, 'GET /stale', 'abandoned', sha);
      expect(await claim()).toEqual({ kind: 'new' });
      nowMs += STALE_CLAIM_MS - 1;
      expect(await claim()).toEqual({ kind: 'busy' });
      nowMs += 1;
      expect(await claim()).toEqual({ kind: 'new' });
      expect(await claim()).toEqual({ kind: 'busy' });
    } finally {
      await directory.close();
    }
  });

  it('keeps the do-not-call list in the database: a block through one instance holds on the other (§12)', async () => {
    const added = await call(a, 'POST', calls('/addPhones'), [{ phone: '16500009201' }]);
    const [jobId] = added.body as [string];
    expect(await call(a, 'POST', calls('/doNotCall/add'), { phones: ['16500009201'] })).toMatchObject({
      status: 200,
      body: [jobId],
    });
    const again = await call(b, 'POST', calls('/addPhones?details=true'), [{ phone: '+1 650 000 9201' }]);
    expect(again.body).toMatchObject({ jobIds: [null], blocked: [0] });
    expect(await call(b, 'POST', calls('/doNotCall/remove'), { phones: ['16500009201'] })).toMatchObject({
      status: 200,
      body: ['16500009201'],
    });
    expect((await call(a, 'POST', calls('/addPhones'), [{ phone: '16500009201' }])).body).toEqual([jobId]);
  });
});

describe('a token deleted from campaign_tokens (revoked)', () => {
  it('stops opening its campaign once the token cache time has passed; a new token opens it again', async () => {
    const created = await createCampaign('autumn', {});
    expect(created.code).toBe(0);
    const revoked = created.stdout.trim();
    let nowMs = Date.parse('2026-12-01T12:00:00Z');
    const server = await startServer(
      await databaseDirectory({ connectionString: db.url, poolSize: 2, clock: () => nowMs }),
    );
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const status = (secret: string) => call(server, 'GET', `/api/calls/campaign/${secret}/status`);
      expect(await status(revoked)).toMatchObject({ status: 200, body: 'planned' });
      const deleted = await client.query(
        'DELETE FROM dialer_scheduler.campaign_tokens WHERE token_sha256 = $1',
        [tokenSha256(revoked)],
      );
      expect(deleted.rowCount).toBe(1);
      // Within the cache time (TOKEN_CACHE_MS, 5 s) the token found before is still trusted.
      nowMs += TOKEN_CACHE_MS - 1;
      expect((await status(revoked)).status).toBe(200);
      nowMs += 1;
      expect(await status(revoked)).toMatchObject({ status: 404, body: { type: 'invalid.token' } });
      // An unknown token is not cached: a new token of the campaign opens it at once.
      const renewed = newToken();
      expect(await status(renewed)).toMatchObject({ status: 404 });
      await client.query(
        'INSERT INTO dialer_scheduler.campaign_tokens (campaign_id, token_sha256) SELECT id, $1 FROM dialer_scheduler.campaigns WHERE name = $2',
        [tokenSha256(renewed), 'autumn'],
      );
      expect(await status(renewed)).toMatchObject({ status: 200, body: 'planned' });
      expect((await status(revoked)).status).toBe(404);
    } finally {
      await client.end();
      await server.close();
    }
  });

  it('stops at once with a token cache time of 0', async () => {
    const created = await createCampaign('winter', {});
    const revoked = created.stdout.trim();
    const server = await startServer(
      await databaseDirectory({ connectionString: db.url, poolSize: 2, tokenCacheMs: 0 }),
    );
    try {
      const status = () => call(server, 'GET', `/api/calls/campaign/${revoked}/status`);
      expect((await status()).status).toBe(200);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('DELETE FROM dialer_scheduler.campaign_tokens WHERE token_sha256 = $1', [
        tokenSha256(revoked),
      ]);
      await client.end();
      expect((await status()).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
