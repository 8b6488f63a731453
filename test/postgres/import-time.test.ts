/**
 * Spec section 13, Time and snapshots: the campaign's time as the latest lease's start carries it
 * (lease deadline less `leaseTimeoutMs`) when a snapshot is imported with another `leaseTimeoutMs`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Campaign } from '../../src/index.js';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';

const T0 = Date.parse('2024-03-04T12:00:00Z');
const opened: PostgresCampaign[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((campaign) => campaign.close()));
});

describe('PostgresCampaign time after an import (§13)', () => {
  const db = useTestDatabase('import_time');

  it('imports a lease made with a longer leaseTimeoutMs without moving the time ahead', async () => {
    const memory = new Campaign({ leaseTimeoutMs: 3_600_000 });
    memory.addPhones([{ phone: '+442071234567' }, { phone: '+442071234568', retryIntervalInMinutes: 1 }], {
      now: T0,
    });
    const task = memory.next(T0 + 1_000);
    expect(task).toBeDefined();
    const snapshot = memory.snapshot();
    const restored = Campaign.restore(snapshot, { leaseTimeoutMs: 60_000 });
    const imported = await PostgresCampaign.import(snapshot, {
      connectionString: db.url,
      name: 'shorter-lease',
      poolSize: 1,
      leaseTimeoutMs: 60_000,
    });
    opened.push(imported);
    expect(restored.latestMs).toBe(T0 + 1_000);
    expect(await imported.latestMs()).toBe(restored.latestMs);
    // A call with the next instant acts at it, as the restored campaign does.
    const inMemory = restored.next(T0 + 2_000);
    const inPostgres = await imported.next(T0 + 2_000);
    expect(inPostgres?.jobId).toBe(inMemory?.jobId);
    expect(await imported.latestMs()).toBe(restored.latestMs);
  });
});
