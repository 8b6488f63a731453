import { describe, expect, it } from 'vitest';
import { benchHttp, httpRows } from '../../bench/http.js';
import { postgresUrl } from '../postgres/database.js';

// A smoke run of the HTTP service benchmark on the test run's PostgreSQL server, a second a scenario:
// it must run and produce figures with no error answer; no timing is asserted.
describe('HTTP service benchmark on PostgreSQL (smoke)', () => {
  it('loads the service in memory and on PostgreSQL, each beside its direct calls', async () => {
    const figures = await benchHttp({ seconds: 1, serverUrl: postgresUrl() });
    const postgres = figures.postgres!;
    for (const scenario of [postgres.addPhones, postgres.cycles]) {
      expect(scenario.errors).toBe(0);
      expect(scenario.http.perSecond).toBeGreaterThan(0);
      expect(scenario.direct.perSecond).toBeGreaterThan(0);
    }
    expect(httpRows(figures)).toHaveLength(4);
    // Both services stopped on SIGTERM after their load runs, none needed the SIGKILL safety net.
    expect(figures.killedServices).toBe(0);
  });
});
