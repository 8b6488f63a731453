/**
 * The do-not-call routes (spec section 12 "Do not call", section 14; an extension of this project)
 * over a real server on a loopback port, in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, memoryCampaigns, startServer, type TestServer } from './helpers.js';

let server: TestServer;
let token: string;
const calls = (path: string) => `/api/calls/campaign/${token}${path}`;

beforeAll(async () => {
  const { directory, tokens } = memoryCampaigns([{}]);
  [token] = tokens as [string];
  server = await startServer(directory);
});
afterAll(() => server.close());

describe('POST …/doNotCall/add and …/doNotCall/remove (§12, §14)', () => {
  it('blocks phones, cancelling their jobs, and leaves their later entries out with a null slot (§12)', async () => {
    const added = await call(server, 'POST', calls('/addPhones'), [
      { phone: '16500000301' },
      { phone: '16500000302' },
    ]);
    expect(added.status).toBe(200);
    const [first, second] = added.body as [string, string];
    const blocked = await call(server, 'POST', calls('/doNotCall/add'), {
      phones: ['+1 650 000-0301', 16500000303],
    });
    expect(blocked).toMatchObject({ status: 200, body: [first] });
    const report = await call(server, 'GET', calls(`/callJob/getReport?ids=${first},${second}`));
    expect((report.body as { state: string }[]).map((view) => view.state)).toEqual(['cancelled', 'ready']);
    const again = await call(server, 'POST', calls('/addPhones'), [
      { phone: '16500000303' },
      { phone: '16500000304' },
    ]);
    expect(again.body).toEqual([null, expect.any(String)]);
    const details = await call(server, 'POST', calls('/addPhones?details=true'), [{ phone: '16500000301' }]);
    expect(details.body).toMatchObject({ jobIds: [null], duplicates: [], blocked: [0] });
  });

  it('refuses a test phone on the list with phone.blocked (§12)', async () => {
    await call(server, 'POST', calls('/doNotCall/add'), { phones: ['16500000311'] });
    const answer = await call(
      server,
      'GET',
      `/api/crmCalls/campaign/${token}/test/addPhone?phone=16500000311`,
    );
    expect(answer).toMatchObject({ status: 400, body: { type: 'phone.blocked' } });
  });

  it('unblocks phones, answering those that were on the list as digits (§12)', async () => {
    await call(server, 'POST', calls('/doNotCall/add'), { phones: ['16500000321'] });
    const removed = await call(server, 'POST', calls('/doNotCall/remove'), {
      phones: ['+1 650 000-0321', '16500000329'],
    });
    expect(removed).toMatchObject({ status: 200, body: ['16500000321'] });
    const added = await call(server, 'POST', calls('/addPhones'), [{ phone: '16500000321' }]);
    expect(added.body).toEqual([expect.any(String)]);
  });

  it('refuses a bad phone with every issue and blocks none; a body without phones is invalid.body (§12, §14)', async () => {
    const bad = await call(server, 'POST', calls('/doNotCall/add'), { phones: ['16500000331', '12', 'x'] });
    expect(bad).toMatchObject({
      status: 400,
      body: {
        type: 'phone.bad.format',
        issues: [
          { path: ['phones', 1], code: 'phone.bad.format' },
          { path: ['phones', 2], code: 'phone.bad.format' },
        ],
      },
    });
    const added = await call(server, 'POST', calls('/addPhones'), [{ phone: '16500000331' }]);
    expect(added.body).toEqual([expect.any(String)]);
    for (const body of [{}, { phones: '16500000331' }, { phones: [], ids: [] }]) {
      const answer = await call(server, 'POST', calls('/doNotCall/add'), body);
      expect(answer).toMatchObject({ status: 400, body: { type: 'invalid.body' } });
    }
    const other = await call(server, 'GET', calls('/doNotCall/add'));
    expect(other.status).toBe(405);
  });

  it('replays the answer of a repeated request with the same Idempotence-Key (§14)', async () => {
    const headers = { 'idempotence-key': 'block-1' };
    await call(server, 'POST', calls('/addPhones'), [{ phone: '16500000341' }]);
    const first = await call(server, 'POST', calls('/doNotCall/add'), { phones: ['16500000341'] }, headers);
    const again = await call(server, 'POST', calls('/doNotCall/add'), { phones: ['16500000341'] }, headers);
    expect(first.body).toHaveLength(1);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('documents both routes in the OpenAPI document, with addPhones slots that may be null (§14)', async () => {
    const document = (await call(server, 'GET', '/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { tags: string[]; responses: Record<string, { content?: unknown }> }>
      >;
    };
    for (const route of ['add', 'remove']) {
      const path = document.paths[`/api/calls/campaign/{token}/doNotCall/${route}`];
      expect(path?.post?.tags).toEqual(['Do not call (extension)']);
    }
    const addPhones = document.paths['/api/calls/campaign/{token}/addPhones']?.post;
    expect(JSON.stringify(addPhones?.responses['200'])).toContain('"nullable":true');
  });
});
