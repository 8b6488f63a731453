/**
 * The Calls API of spec section 14 over a real server on a loopback port, in memory: the seed's request
 * as curl sends it, every issue code an HTTP caller can meet, the limits, and the errors of the service.
 */
import { execFile, execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueCode } from '../../src/index.js';
import { type Answer, call, memoryCampaigns, startServer, type TestServer } from './helpers.js';

/** The seed's example body, as a person types it after `--data-raw`. */
const SEED_BODY = `[
    {
        "phone": "16500000000",
        "payload": {"promo": "20% off all business plans!"},
        "startDateTime": "2020-03-23T00:00:00Z",
        "finishDateTime": "2030-03-23T00:00:00Z",
        "allowedDays": ["mon", "wed", "fri"],
        "allowedTime": {"default": [{"localTimeFrom": "10:00", "localTimeTo": "18:00"}]},
        "retryIntervalInMinutes": 120,
        "maxAttempts": 1,
        "gmtZone": "-05:00",
        "dialerPriority": 2
    }
]`;

const hasCurl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let server: TestServer;
let token: string;
let strictToken: string;
const calls = (path: string, t = token) => `/api/calls/campaign/${t}${path}`;

beforeAll(async () => {
  const { directory, tokens } = memoryCampaigns([{}, { strictPriority: true }]);
  [token, strictToken] = tokens as [string, string];
  server = await startServer(directory);
});
afterAll(() => server.close());

/** The campaign's jobs by state, through the API. */
const statsOf = async (t = token) =>
  ((await call(server, 'GET', calls('', t))).body as { stats: unknown }).stats;

/** Sends `body` to addPhones and checks that it is refused with `code`, every issue listed, nothing added. */
async function refused(body: unknown, code: IssueCode, t = token): Promise<Answer> {
  const before = await statsOf(t);
  const answer = await call(server, 'POST', calls('/addPhones', t), body);
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({ type: code, message: expect.any(String) });
  const issues = (answer.body as { issues: { code: string }[] }).issues;
  expect(issues.map((issue) => issue.code)).toEqual([code]);
  expect(await statsOf(t)).toEqual(before);
  return answer;
}

describe('POST /api/calls/campaign/{token}/addPhones', () => {
  it('answers the seed example, sent with the headers and bytes curl sends, with one job ID', async () => {
    const { port } = new URL(server.url);
    const answer = await new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: calls('/addPhones'),
          headers: {
            Host: `127.0.0.1:${port}`,
            'User-Agent': 'curl/8.14.1',
            Accept: '*/*',
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(SEED_BODY),
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk) => {
            text += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode!, type: String(response.headers['content-type']), text }),
          );
        },
      );
      request.on('error', reject);
      request.end(SEED_BODY);
    });
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    const jobIds = JSON.parse(answer.text) as string[];
    expect(jobIds).toHaveLength(1);
    expect(jobIds[0]).toMatch(/^\d+$/);
    const [view] = (await call(server, 'GET', calls(`/callJob/getReport?ids=${jobIds[0]}`))).body as {
      phone: string;
      dialerPriority: number;
      gmtZone: string;
    }[];
    expect(view).toMatchObject({ phone: '16500000000', dialerPriority: 2, gmtZone: '-05:00' });
  });

  it.skipIf(!hasCurl)(
    'answers the seed example sent by curl itself with one job ID (a duplicate: the same one)',
    async () => {
      // Not execFileSync: the server runs in this process.
      const { stdout: out } = await promisify(execFile)(
        'curl',
        [
          '--silent',
          '--request',
          'POST',
          `${server.url}${calls('/addPhones')}`,
          '--header',
          'Content-Type: application/json',
          '--data-raw',
          SEED_BODY,
        ],
        { encoding: 'utf8' },
      );
      expect(JSON.parse(out)).toEqual(['1']);
    },
  );

  it('answers job IDs in body order, a duplicate with the existing job ID', async () => {
    const answer = await call(server, 'POST', calls('/addPhones'), [
      { phone: '+1 650 000-0101' },
      { phone: '16500000102' },
      { phone: 16500000101 },
    ]);
    expect(answer.status).toBe(200);
    const ids = answer.body as string[];
    expect(ids).toHaveLength(3);
    expect(Number(ids[1])).toBe(Number(ids[0]) + 1);
    expect(ids[2]).toBe(ids[0]);
  });

  it('answers the whole result with ?details=true, and adds the valid entries with ?partial=true', async () => {
    const details = await call(server, 'POST', calls('/addPhones?details=true'), [
      { phone: '16500000201', dialerPriority: 9 },
    ]);
    expect(details.body).toMatchObject({
      jobIds: [expect.any(String)],
      duplicates: [],
      warnings: [{ index: 0, code: 'invalid.dialer_priority' }],
      rejected: [],
    });
    const partial = await call(server, 'POST', calls('/addPhones?partial=true'), [
      { phone: '16500000202' },
      { phone: 'nope' },
    ]);
    expect(partial.status).toBe(200);
    expect(partial.body).toEqual([expect.any(String), null]);
  });

  // Each issue code of section 2 that an addPhones body can carry: 400, type the code, nothing added.
  it.each<[IssueCode, unknown]>([
    ['phone.bad.format', [{ phone: 'abc' }]],
    [
      'invalid.call.allowed.time',
      [{ phone: '100', allowedTime: { default: [{ localTimeFrom: '25:00', localTimeTo: '18:00' }] } }],
    ],
    ['invalid.allowed.days', [{ phone: '100', allowedDays: ['funday'] }]],
    ['phone.gmtZone.bad.format', [{ phone: '100', gmtZone: 'EST' }]],
    ['invalid.date.time', [{ phone: '100', startDateTime: 'tomorrow' }]],
    ['invalid.retry.interval', [{ phone: '100', retryIntervalInMinutes: 0 }]],
    ['invalid.max.attempts', [{ phone: '100', maxAttempts: 51 }]],
    ['payload.bad.format', [{ phone: '100', payload: 'x'.repeat(70_000) }]],
    ['unknown.field', [{ phone: '100', allowedDay: ['mon'] }]],
    ['invalid.body', { phone: '100' }],
    ['invalid.body', [42]],
  ])('refuses a body with %s, changing nothing', async (code, body) => {
    const answer = await refused(body, code);
    if (Array.isArray(body) && code !== 'invalid.body')
      expect((answer.body as { issues: { index: number }[] }).issues[0]?.index).toBe(0);
  });

  it('refuses a dialerPriority out of range as invalid.dialer_priority on a strictPriority campaign', async () => {
    await refused([{ phone: '100', dialerPriority: 7 }], 'invalid.dialer_priority', strictToken);
  });

  it('lists every issue of a body, each with its entry index', async () => {
    const answer = await call(server, 'POST', calls('/addPhones'), [
      { phone: '100' },
      { phone: 'x' },
      { phone: '200', allowedDays: ['sunday'], maxAttempts: -1 },
    ]);
    expect(answer.status).toBe(400);
    const body = answer.body as { type: string; message: string; issues: { index: number; code: string }[] };
    expect(body.issues.map(({ index, code }) => [index, code])).toEqual([
      [1, 'phone.bad.format'],
      [2, 'invalid.allowed.days'],
      [2, 'invalid.max.attempts'],
    ]);
    expect(body.type).toBe('phone.bad.format');
    expect(body.message).toMatch(/^3 issues, the first: \[1\] phone: /);
  });

  it('refuses a malformed JSON body: 400 invalid.body', async () => {
    const answer = await call(server, 'POST', calls('/addPhones'), '[{"phone": "100",');
    expect(answer).toMatchObject({
      status: 400,
      body: { type: 'invalid.body', message: expect.stringMatching(/not valid JSON/) },
    });
  });

  it('refuses __proto__ and constructor keys: 400 invalid.body', async () => {
    for (const text of [
      '[{"phone":"100","__proto__":{"admin":true}}]',
      '[{"phone":"100","constructor":{"prototype":{}}}]',
    ]) {
      const answer = await call(server, 'POST', calls('/addPhones'), text);
      expect(answer).toMatchObject({
        status: 400,
        body: { type: 'invalid.body', message: expect.stringMatching(/__proto__/) },
      });
    }
  });

  it('refuses a body over 10 MiB: 413, naming the limit', async () => {
    const before = await statsOf();
    const entry = JSON.stringify({ phone: '16500000000', payload: { note: 'x'.repeat(1000) } });
    const body = `[${Array.from({ length: 11_000 }, () => entry).join(',')}]`;
    expect(body.length).toBeGreaterThan(10 * 1024 * 1024);
    const answer = await call(server, 'POST', calls('/addPhones'), body);
    expect(answer).toMatchObject({
      status: 413,
      body: { type: 'invalid.body', message: expect.stringContaining('10,485,760 bytes') },
    });
    expect(await statsOf()).toEqual(before);
  });

  it('refuses more than 100,000 entries and JSON nested deeper than 64 levels: 400 invalid.body', async () => {
    const many = await call(
      server,
      'POST',
      calls('/addPhones'),
      `[${Array.from({ length: 100_001 }, () => '{}').join(',')}]`,
    );
    expect(many).toMatchObject({
      status: 400,
      body: { type: 'invalid.body', message: expect.stringMatching(/100,001 entries: at most 100,000/) },
    });
    let payload: unknown = 'deep';
    for (let i = 0; i < 70; i++) payload = [payload];
    const deep = await call(server, 'POST', calls('/addPhones'), [{ phone: '100', payload }]);
    expect(deep).toMatchObject({
      status: 400,
      body: { type: 'invalid.body', message: expect.stringMatching(/deeper than 64 levels/) },
    });
  });

  it('refuses a body that is not JSON: 415 invalid.body', async () => {
    const answer = await call(server, 'POST', calls('/addPhones'), undefined, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(answer).toMatchObject({ status: 415, body: { type: 'invalid.body' } });
  });
});

describe('errors of the service', () => {
  it('answers an unknown token with 404 invalid.token before reading the body', async () => {
    const answer = await call(server, 'POST', calls('/addPhones', 'not-a-token'), '[{"phone": broken');
    expect(answer).toEqual({
      status: 404,
      headers: expect.anything(),
      body: { type: 'invalid.token', message: 'no campaign has this token' },
    });
  });

  it('answers a wrong method with 405 and the methods the route takes', async () => {
    const answer = await call(server, 'GET', calls('/addPhones'));
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
    expect(answer.body).toEqual({
      type: 'method.not.allowed',
      message: 'GET is not allowed on /api/calls/campaign/[token]/addPhones: use POST',
    });
    expect((await call(server, 'DELETE', calls('/callJob/getReport'))).headers.get('allow')).toBe(
      'GET, POST',
    );
  });

  it('answers an unknown path with 404 not.found', async () => {
    expect(await call(server, 'GET', '/api/calls/nothing')).toMatchObject({
      status: 404,
      body: { type: 'not.found' },
    });
  });

  it('refuses a bad query parameter: 400 invalid.option naming it', async () => {
    const answer = await call(server, 'GET', calls('/callJob/getUnfinished?pageSize=201'));
    expect(answer).toMatchObject({
      status: 400,
      body: { type: 'invalid.option', issues: [{ path: ['pageSize'], code: 'invalid.option' }] },
    });
    const unknown = await call(server, 'GET', calls('/callJob/getUnfinished?pagesize=20'));
    expect(unknown).toMatchObject({
      status: 400,
      body: { issues: [{ message: expect.stringContaining('pagesize') }] },
    });
  });

  it('never writes a token to the log', async () => {
    await call(server, 'GET', calls('/status', strictToken));
    const log = server.logText();
    expect(log).toContain('/api/calls/campaign/[token]/addPhones');
    expect(log).not.toContain(token);
    expect(log).not.toContain(strictToken);
    expect(log).not.toContain('not-a-token');
  });
});

describe('the other Calls API routes', () => {
  it('adds one entry from query parameters (the others make the payload) with GET crmCalls addPhone', async () => {
    const answer = await call(
      server,
      'GET',
      `/api/crmCalls/campaign/${token}/addPhone?phone=16500000301&gmtZone=-05:30&name=Alex`,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const id = answer.body as string;
    const [view] = (await call(server, 'GET', calls(`/callJob/getReport?ids=${id}`))).body as object[];
    expect(view).toMatchObject({ id, phone: '16500000301', gmtZone: '-05:30', payload: { name: 'Alex' } });
    const again = await call(
      server,
      'GET',
      `/api/crmCalls/campaign/${token}/addPhone?phone=16500000301&gmtZone=-05:30&name=Alex`,
    );
    expect(again.body).toBe(id);
  });

  it('reads payload as JSON text and refuses a misspelt field instead of taking it as payload', async () => {
    const crm = `/api/crmCalls/campaign/${token}`;
    const json = await call(
      server,
      'GET',
      `${crm}/addPhone?phone=16500000302&payload=${encodeURIComponent('{"n":1}')}&maxAttempts=3`,
    );
    const [view] = (await call(server, 'GET', calls(`/callJob/getReport?ids=${json.body}`))).body as object[];
    expect(view).toMatchObject({ payload: { n: 1 }, maxAttempts: 3 });
    const misspelt = await call(server, 'GET', `${crm}/addPhone?phone=16500000303&allowedDay=mon`);
    expect(misspelt).toMatchObject({
      status: 400,
      body: { type: 'unknown.field', message: expect.stringContaining('allowedDays') },
    });
    const post = await call(server, 'POST', `${crm}/addPhone`, {
      phone: '16500000304',
      payload: { via: 'post' },
    });
    expect(post.status).toBe(200);
  });

  it('adds the same phone again and again with the test route, which skips the duplicate check', async () => {
    const path = `/api/crmCalls/campaign/${token}/test/addPhone?phone=16500000305`;
    const first = await call(server, 'GET', path);
    const second = await call(server, 'GET', path);
    expect(first.status).toBe(200);
    expect(second.body).not.toBe(first.body);
  });

  it('cancels by IDs (numbers or strings) and phones, answering the IDs cancelled', async () => {
    const [a, b] = (
      await call(server, 'POST', calls('/addPhones'), [{ phone: '16500000401' }, { phone: '16500000402' }])
    ).body as string[];
    const answer = await call(server, 'POST', calls('/callJob/cancel'), {
      ids: [Number(a)],
      phones: [16500000402],
    });
    expect(answer).toMatchObject({ status: 200, body: [a, b] });
    expect(await call(server, 'POST', calls('/callJob/cancel'), { ids: [a] })).toMatchObject({ body: [] });
    expect(await call(server, 'POST', calls('/callJob/cancel'), { jobIds: [a] })).toMatchObject({
      status: 400,
      body: { type: 'invalid.body' },
    });
  });

  it('pages reports by IDs (GET and POST) and the unfinished jobs', async () => {
    const ids = (
      await call(
        server,
        'POST',
        calls('/addPhones'),
        Array.from({ length: 25 }, (_, i) => ({ phone: 16500000500 + i })),
      )
    ).body as string[];
    const get = await call(
      server,
      'GET',
      calls(`/callJob/getReport?ids=${ids.join(',')}&page=1&pageSize=10`),
    );
    expect((get.body as { id: string }[]).map((view) => view.id)).toEqual(ids.slice(10, 20));
    const post = await call(server, 'POST', calls('/callJob/getReport?pageSize=3'), {
      ids: ids.slice(0, 5).map(Number),
    });
    expect((post.body as { id: string }[]).map((view) => view.id)).toEqual(ids.slice(0, 3));
    const byPhone = await call(server, 'POST', calls('/callJob/getReport'), { phones: ['16500000500'] });
    expect(byPhone).toMatchObject({ status: 400, body: { type: 'invalid.body' } });
    const pages: string[] = [];
    for (let page = 0; ; page++) {
      const answer = (await call(server, 'GET', calls(`/callJob/getUnfinished?page=${page}&pageSize=7`)))
        .body as { id: string; state: string }[];
      if (answer.length === 0) break;
      expect(answer.every((view) => ['waiting', 'ready', 'dialing'].includes(view.state))).toBe(true);
      pages.push(...answer.map((view) => view.id));
    }
    expect(pages).toEqual(expect.arrayContaining(ids));
    expect([...pages].sort((x, y) => Number(x) - Number(y))).toEqual(pages);
    const first = (await call(server, 'GET', calls('/callJob/getUnfinished'))).body as unknown[];
    expect(first).toHaveLength(Math.min(20, pages.length));
  });

  it('pauses and resumes, answering the status', async () => {
    expect(await call(server, 'GET', calls('/status'))).toMatchObject({ status: 200, body: 'inProcess' });
    expect(await call(server, 'POST', calls('/control/pause'))).toMatchObject({
      status: 200,
      body: 'paused',
    });
    expect(await call(server, 'GET', calls(''))).toMatchObject({
      body: { status: 'paused', name: 'campaign-1' },
    });
    expect(await call(server, 'POST', calls('/control/resume'))).toMatchObject({
      status: 200,
      body: 'inProcess',
    });
  });
});
