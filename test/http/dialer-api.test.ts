/**
 * The dialer routes (this project's extension) over a real server, in memory: lease, report, redial,
 * nextReadyAt, a job's view, pause and resume, and the report errors of spec section 6.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, call, memoryCampaigns, startServer, type TestServer } from './helpers.js';

let server: TestServer;
let token: string;
let shortLeaseToken: string;
// The second campaign's clock, moved by the tests (no real waiting).
const LEASE_MS = 60_000;
let shortLeaseNowMs = Date.parse('2026-12-01T12:00:00Z');
const dialer = (path: string, t = token) => `/api/dialer/campaign/${t}${path}`;

beforeAll(async () => {
  const { directory, tokens } = memoryCampaigns([
    { defaults: { maxAttempts: 2, retryIntervalInMinutes: 30 } },
    { leaseTimeoutMs: LEASE_MS, clock: () => shortLeaseNowMs },
  ]);
  [token, shortLeaseToken] = tokens as [string, string];
  server = await startServer(directory);
});
afterAll(() => server.close());

interface Task {
  jobId: string;
  attempt: number;
  phone: string;
  windowEnd: number | null;
}
const lease = async (t = token) =>
  (await call(server, 'POST', dialer('/lease', t))).body as { task: Task | null; nextReadyAt: number | null };
const add = async (phones: string[], t = token) =>
  (
    await call(
      server,
      'POST',
      `/api/calls/campaign/${t}/addPhones`,
      phones.map((phone) => ({ phone })),
    )
  ).body as string[];
const expectIssue = (answer: Answer, code: string) =>
  expect(answer).toMatchObject({ status: 400, body: { type: code, issues: [{ code }] } });

describe('dialer routes', () => {
  it('leases calls in order, reports them, and says when to ask again once none is ready', async () => {
    const [first, second] = await add(['16500000001', '16500000002']);
    const a = await lease();
    expect(a.task).toMatchObject({ jobId: first, attempt: 1, phone: '16500000001', windowEnd: null });
    expect(a.nextReadyAt).toBeNull();
    const complete = await call(server, 'POST', dialer(`/jobs/${first}/complete`), { attempt: 1 });
    expect(complete.status).toBe(204);
    const b = await lease();
    expect(b.task?.jobId).toBe(second);
    const fail = await call(server, 'POST', dialer(`/jobs/${second}/fail`), {
      attempt: 1,
      retryIntervalInMinutes: 5,
    });
    expect(fail.status).toBe(204);
    const none = await lease();
    expect(none.task).toBeNull();
    // The retry pause of 5 minutes, not the job's 30.
    expect(none.nextReadyAt).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(none.nextReadyAt).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    expect((await call(server, 'GET', dialer('/nextReadyAt'))).body).toEqual({
      nextReadyAt: none.nextReadyAt,
    });
    expect((await call(server, 'GET', dialer(`/jobs/${first}`))).body).toMatchObject({
      id: first,
      state: 'completed',
    });
    expect((await call(server, 'GET', dialer(`/jobs/${second}`))).body).toMatchObject({
      state: 'waiting',
      attempts: 1,
    });
  });

  it('reports and leases the next call in one request with lease: true', async () => {
    const [first, second] = await add(['16500000051', '16500000052']);
    expect((await lease()).task?.jobId).toBe(first);
    const next = await call(server, 'POST', dialer(`/jobs/${first}/complete`), { attempt: 1, lease: true });
    expect(next).toMatchObject({
      status: 200,
      body: { task: { jobId: second, attempt: 1 }, nextReadyAt: null },
    });
    const none = await call(server, 'POST', dialer(`/jobs/${second}/fail`), {
      attempt: 1,
      retryIntervalInMinutes: 5,
      lease: true,
    });
    expect(none.status).toBe(200);
    const answer = none.body as { task: Task | null; nextReadyAt: number | null };
    expect(answer.task).toBeNull();
    expect(answer.nextReadyAt).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect((await call(server, 'GET', dialer(`/jobs/${first}`))).body).toMatchObject({ state: 'completed' });
    expect((await call(server, 'GET', dialer(`/jobs/${second}`))).body).toMatchObject({ state: 'waiting' });
    // A refused report leases nothing; lease must be a boolean.
    expectIssue(
      await call(server, 'POST', dialer(`/jobs/${first}/complete`), { attempt: 1, lease: true }),
      'invalid.call.task.state',
    );
    expectIssue(
      await call(server, 'POST', dialer(`/jobs/${first}/complete`), { attempt: 1, lease: 'yes' }),
      'invalid.body',
    );
  });

  it('refuses reports of unknown jobs, stale attempts and second reports, changing nothing', async () => {
    const [id] = await add(['16500000011']);
    const task = (await lease()).task!;
    expect(task.jobId).toBe(id);
    expectIssue(await call(server, 'POST', dialer('/jobs/999999/complete'), { attempt: 1 }), 'job.not.found');
    expectIssue(
      await call(server, 'POST', dialer(`/jobs/${id}/complete`), { attempt: 2 }),
      'invalid.call.task.state',
    );
    expect((await call(server, 'POST', dialer(`/jobs/${id}/complete`), { attempt: 1 })).status).toBe(204);
    expectIssue(
      await call(server, 'POST', dialer(`/jobs/${id}/fail`), { attempt: 1 }),
      'invalid.call.task.state',
    );
    expectIssue(await call(server, 'POST', dialer(`/jobs/${id}/complete`), {}), 'invalid.body');
    expectIssue(
      await call(server, 'POST', dialer(`/jobs/${id}/fail`), { attempt: 1, retryIntervalInMinutes: 0 }),
      'invalid.retry.interval',
    );
    expect(await call(server, 'GET', dialer('/jobs/999999'))).toMatchObject({
      status: 404,
      body: { type: 'job.not.found' },
    });
  });

  it('refuses a report once the lease has expired: lease.expired, 1 ms before it is taken', async () => {
    await add(['16500000021', '16500000022'], shortLeaseToken);
    const first = (await lease(shortLeaseToken)).task!;
    const second = (await lease(shortLeaseToken)).task!;
    const complete = (task: Task) =>
      call(server, 'POST', dialer(`/jobs/${task.jobId}/complete`, shortLeaseToken), {
        attempt: task.attempt,
      });
    // Half-open: a lease of LEASE_MS taken at t holds until t + LEASE_MS, excluded.
    shortLeaseNowMs += LEASE_MS - 1;
    expect((await complete(first)).status).toBe(204);
    shortLeaseNowMs += 1;
    expectIssue(await complete(second), 'lease.expired');
  });

  it('redials while dialing: a new job, ready after this attempt ends; a redial without a time is invalid.redial', async () => {
    const [id] = await add(['16500000031']);
    const task = (await lease()).task!;
    expect(task.jobId).toBe(id);
    expectIssue(
      await call(server, 'POST', dialer(`/jobs/${id}/redial`), { attempt: 1, params: {} }),
      'invalid.redial',
    );
    expectIssue(
      await call(server, 'POST', dialer(`/jobs/${id}/redial`), {
        attempt: 1,
        params: { startDateTime: 'soon' },
      }),
      'invalid.date.time',
    );
    const redial = await call(server, 'POST', dialer(`/jobs/${id}/redial`), {
      attempt: 1,
      params: { startDateTime: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(redial).toMatchObject({ status: 200, body: { jobId: expect.stringMatching(/^\d+$/) } });
    const child = (redial.body as { jobId: string }).jobId;
    expect(await call(server, 'POST', dialer(`/jobs/${id}/complete`), { attempt: 1 })).toMatchObject({
      status: 204,
    });
    expect((await call(server, 'GET', dialer(`/jobs/${id}`))).body).toMatchObject({ state: 'redialed' });
    expect((await call(server, 'GET', dialer(`/jobs/${child}`))).body).toMatchObject({
      state: 'waiting',
      redialOf: id,
    });
  });

  it('pauses and resumes serving', async () => {
    await add(['16500000041']);
    expect(await call(server, 'POST', dialer('/pause'))).toMatchObject({ status: 200, body: 'paused' });
    expect(await lease()).toEqual({ task: null, nextReadyAt: null });
    expect(await call(server, 'POST', dialer('/resume'))).toMatchObject({ status: 200, body: 'inProcess' });
    expect((await lease()).task?.phone).toBe('16500000041');
  });
});

describe('GET /openapi.json', () => {
  it('documents every route, the Calls API and the dialer extension', async () => {
    const doc = (await call(server, 'GET', '/openapi.json')).body as {
      openapi: string;
      paths: Record<string, Record<string, { tags: string[]; responses: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe('3.0.3');
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const calls = '/api/calls/campaign/{token}';
    const crm = '/api/crmCalls/campaign/{token}';
    const dialerPath = '/api/dialer/campaign/{token}';
    expect(routes.sort()).toEqual(
      [
        `POST ${calls}/addPhones`,
        `GET ${crm}/addPhone`,
        `POST ${crm}/addPhone`,
        `GET ${crm}/test/addPhone`,
        `POST ${calls}/callJob/cancel`,
        `GET ${calls}/callJob/getReport`,
        `POST ${calls}/callJob/getReport`,
        `GET ${calls}/callJob/getUnfinished`,
        `GET ${calls}/status`,
        `GET ${calls}`,
        `POST ${calls}/control/pause`,
        `POST ${calls}/control/resume`,
        `POST ${calls}/doNotCall/add`,
        `POST ${calls}/doNotCall/remove`,
        `POST ${dialerPath}/lease`,
        `GET ${dialerPath}/nextReadyAt`,
        `POST ${dialerPath}/jobs/{jobId}/complete`,
        `POST ${dialerPath}/jobs/{jobId}/fail`,
        `POST ${dialerPath}/jobs/{jobId}/redial`,
        `GET ${dialerPath}/jobs/{jobId}`,
        `GET ${dialerPath}/jobs/{jobId}/explain`,
        `POST ${dialerPath}/pause`,
        `POST ${dialerPath}/resume`,
      ].sort(),
    );
    for (const [path, methods] of Object.entries(doc.paths))
      for (const operation of Object.values(methods)) {
        expect(operation.tags).toEqual([
          path.startsWith('/api/dialer/')
            ? 'Dialer (extension)'
            : path.includes('/doNotCall/')
              ? 'Do not call (extension)'
              : 'Calls API',
        ]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '404']));
      }
  });
});
