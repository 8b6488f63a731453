/**
 * Idempotence keys (spec section 14): a repeat within 24 hours gets the first answer; over a real
 * server in memory, and the in-memory store on its own with a virtual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryIdempotence, requestSha256 } from '../../src/http/idempotence.js';
import { call, memoryCampaigns, startServer, type TestServer } from './helpers.js';

const DAY_MS = 24 * 60 * 60 * 1000;
let clockMs = Date.parse('2024-06-03T12:00:00Z');
let server: TestServer;
let token: string;
const calls = (path: string) => `/api/calls/campaign/${token}${path}`;
const crm = (path: string) => `/api/crmCalls/campaign/${token}${path}`;

beforeAll(async () => {
  const { directory, tokens } = memoryCampaigns([{}], new MemoryIdempotence({ clock: () => clockMs }));
  [token] = tokens as [string];
  server = await startServer(directory);
});
afterAll(() => server.close());

describe('Idempotence-Key', () => {
  it('gives a repeat of GET test/addPhone with the same key the same job ID, for 24 hours', async () => {
    const path = crm('/test/addPhone?phone=16500000001&Idempotence-Key=d5f41bd4');
    const first = await call(server, 'GET', path);
    const repeat = await call(server, 'GET', path);
    expect(first.status).toBe(200);
    expect(repeat).toMatchObject({ status: 200, body: first.body });
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    const other = await call(server, 'GET', crm('/test/addPhone?phone=16500000001&Idempotence-Key=other'));
    expect(other.body).not.toBe(first.body);
    clockMs += DAY_MS - 1;
    expect((await call(server, 'GET', path)).body).toBe(first.body);
    clockMs += 1;
    const later = await call(server, 'GET', path);
    expect(later.body).not.toBe(first.body);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
  });

  it('takes the key from the Idempotence-Key header on POST, and replays the answer of addPhones', async () => {
    const headers = { 'Idempotence-Key': 'batch-7' };
    const body = [{ phone: '16500000011' }, { phone: '16500000012' }];
    const first = await call(server, 'POST', calls('/addPhones'), body, headers);
    const repeat = await call(server, 'POST', calls('/addPhones'), body, headers);
    expect(repeat).toMatchObject({ status: 200, body: first.body });
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    const test = await call(
      server,
      'POST',
      crm('/addPhone'),
      { phone: '16500000013' },
      { 'Idempotence-Key': 'one' },
    );
    expect(
      (await call(server, 'POST', crm('/addPhone'), { phone: '16500000013' }, { 'Idempotence-Key': 'one' }))
        .body,
    ).toBe(test.body);
  });

  it('refuses a key used with a different request: 422 idempotence.key.reused, nothing added', async () => {
    const headers = { 'Idempotence-Key': 'reused' };
    await call(server, 'POST', calls('/addPhones'), [{ phone: '16500000021' }], headers);
    const before = (await call(server, 'GET', calls(''))).body;
    const answer = await call(server, 'POST', calls('/addPhones'), [{ phone: '16500000022' }], headers);
    expect(answer).toMatchObject({ status: 422, body: { type: 'idempotence.key.reused' } });
    expect((await call(server, 'GET', calls(''))).body).toEqual(before);
  });

  it('keeps no answer of a refused request: the key can be used again', async () => {
    const headers = { 'Idempotence-Key': 'fixed-later' };
    expect((await call(server, 'POST', calls('/addPhones'), [{ phone: 'x' }], headers)).status).toBe(400);
    const fixed = await call(server, 'POST', calls('/addPhones'), [{ phone: '16500000031' }], headers);
    expect(fixed.status).toBe(200);
    expect(
      (await call(server, 'POST', calls('/addPhones'), [{ phone: '16500000031' }], headers)).headers.get(
        'idempotent-replayed',
      ),
    ).toBe('true');
  });

  it('refuses a key longer than 255 characters: 400 invalid.option', async () => {
    const answer = await call(server, 'POST', calls('/addPhones'), [], {
      'Idempotence-Key': 'k'.repeat(256),
    });
    expect(answer).toMatchObject({ status: 400, body: { type: 'invalid.option' } });
  });
});

describe('MemoryIdempotence', () => {
  it('answers busy while the first request is in progress, then done; a stale claim is taken over', async () => {
    let now = 0;
    const store = new MemoryIdempotence({ clock: () => now });
    const sha = requestSha256('POST /x', {}, [1]);
    expect(await store.claim('c', 'POST /x', 'k', sha)).toEqual({ kind: 'new' });
    expect(await store.claim('c', 'POST /x', 'k', sha)).toEqual({ kind: 'busy' });
    expect(await store.claim('c', 'POST /x', 'k', requestSha256('POST /x', {}, [2]))).toEqual({
      kind: 'conflict',
    });
    expect(await store.claim('other', 'POST /x', 'k', sha)).toEqual({ kind: 'new' });
    now += 10 * 60 * 1000;
    expect(await store.claim('other', 'POST /x', 'k', sha)).toEqual({ kind: 'new' });
    await store.store('c', 'POST /x', 'k', '["1"]');
    expect(await store.claim('c', 'POST /x', 'k', sha)).toEqual({ kind: 'done', answer: '["1"]' });
  });

  it('forgets keys 24 hours after their first use, so memory stays bounded', async () => {
    let now = 0;
    const store = new MemoryIdempotence({ clock: () => now });
    for (let i = 0; i < 1000; i++) await store.claim('c', 'r', `k${i}`, requestSha256('r', {}, i));
    expect(store.size).toBe(1000);
    now += DAY_MS;
    await store.claim('c', 'r', 'fresh', requestSha256('r', {}, 'fresh'));
    expect(store.size).toBe(1);
  });
});
