/** The explain route of the dialer extension over a real server, in memory (spec §12, "Explain"; §14). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, memoryCampaigns, startServer, type TestServer } from './helpers.js';

let server: TestServer;
let token: string;
const dialer = (path: string) => `/api/dialer/campaign/${token}${path}`;

beforeAll(async () => {
  const { directory, tokens } = memoryCampaigns([{ defaults: { gmtZone: 'America/New_York' } }]);
  [token] = tokens as [string];
  server = await startServer(directory);
});
afterAll(() => server.close());

describe('GET /api/dialer/campaign/{token}/jobs/{jobId}/explain', () => {
  it('answers every layer in the way of a job, with when it allows (§12, §14)', async () => {
    const added = await call(server, 'POST', `/api/calls/campaign/${token}/addPhones`, [
      { phone: '16500000001' },
      {
        phone: '16500000001',
        payload: 2,
        allowedDays: ['mon'],
        allowedTime: { mon: [{ localTimeFrom: '00:00', localTimeTo: '00:01' }] },
      },
    ]);
    const [first, second] = added.body as [string, string];
    expect((await call(server, 'POST', dialer('/lease'))).body).toMatchObject({ task: { jobId: first } });
    const answer = await call(server, 'GET', dialer(`/jobs/${second}/explain`));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ jobId: second, state: 'waiting', callable: false });
    const reasons = (answer.body as { reasons: { layer: string; code: string; untilMs: number | null }[] })
      .reasons;
    expect(reasons.map(({ layer, code }) => ({ layer, code }))).toEqual(
      expect.arrayContaining([{ layer: 'phone', code: 'phone.busy' }]),
    );
    expect(reasons.every((reason) => reason.untilMs === null || typeof reason.untilMs === 'number')).toBe(
      true,
    );
  });

  it('answers 404 job.not.found for a job the campaign does not know (§12, §14)', async () => {
    expect(await call(server, 'GET', dialer('/jobs/999/explain'))).toMatchObject({
      status: 404,
      body: { type: 'job.not.found' },
    });
  });
});
