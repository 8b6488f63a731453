/**
 * The backend the behaviour suite runs on, chosen by `DIALER_BACKEND`: `memory` (the default), an
 * in-memory `Campaign` behind `asyncCampaign`, or `postgres`, a `PostgresCampaign` in a database of the
 * test file's own. For PostgreSQL, importing this file registers the file's hooks: the database is made
 * in `beforeAll`, the campaigns a test opened are closed after it, and the pool is ended in `afterAll`.
 * The memory run loads neither `pg` nor the PostgreSQL backend.
 *
 * Campaigns get the test clock: a call that passes no `now` fails the test (unless `options.clock` is given).
 */
import type { Pool } from 'pg';
import { afterAll, afterEach } from 'vitest';
import { type AsyncCampaign, asyncCampaign, Campaign, type CampaignOptions } from '../../src/index.js';
import type { PostgresCampaignOptions } from '../../src/postgres/index.js';
import { forgotNow } from '../engine/helpers.js';

/** How a backend opens a new campaign and restores one from a snapshot; bad options reject. */
interface Backend {
  open(options: CampaignOptions): Promise<AsyncCampaign>;
  restore(snapshot: unknown, options: CampaignOptions): Promise<AsyncCampaign>;
}

const memory: Backend = {
  open: async (options) => asyncCampaign(new Campaign(options)),
  restore: async (snapshot, options) => asyncCampaign(Campaign.restore(snapshot, options)),
};

/** One pool per test file on the file's database; each campaign a fresh name in it. */
async function postgres(): Promise<Backend> {
  const [{ default: pg }, { useTestDatabase }, { PostgresCampaign }] = await Promise.all([
    import('pg'),
    import('../postgres/database.js'),
    import('../../src/postgres/index.js'),
  ]);
  const database = useTestDatabase('behaviour');
  let pool: Pool | undefined;
  let campaignCount = 0;
  const opened: AsyncCampaign[] = [];

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((campaign) => campaign.close()));
  });
  // Registered after the database's own hooks, so it runs before the database is dropped.
  afterAll(async () => {
    await pool?.end();
  });

  const openWith = async (
    make: (options: PostgresCampaignOptions) => Promise<AsyncCampaign>,
    options: CampaignOptions,
  ) => {
    if (pool === undefined) {
      pool = new pg.Pool({ connectionString: database.url });
      // A session the server ends emits 'error' on an idle client; unhandled, it would end the worker.
      pool.on('error', () => {});
    }
    campaignCount += 1;
    const campaign = await make({ ...options, pool, name: `campaign-${campaignCount}` });
    opened.push(campaign);
    return campaign;
  };
  return {
    open: (options) => openWith((all) => PostgresCampaign.open(all), options),
    restore: (snapshot, options) => openWith((all) => PostgresCampaign.import(snapshot, all), options),
  };
}

const BACKENDS: Record<string, () => Backend | Promise<Backend>> = { memory: () => memory, postgres };
const name = process.env.DIALER_BACKEND ?? 'memory';
const choose = BACKENDS[name];
if (choose === undefined) throw new Error(`DIALER_BACKEND ${JSON.stringify(name)} is not memory or postgres`);
const backend = await choose();

/** A new, empty campaign on this run's backend; bad options reject with the DialerError of `new Campaign`. */
export function openCampaign(options: CampaignOptions = {}): Promise<AsyncCampaign> {
  return backend.open({ clock: forgotNow, ...options });
}

/** A campaign restored from `snapshot` on this run's backend, as `Campaign.restore(snapshot, options)`. */
export function restoreCampaign(snapshot: unknown, options: CampaignOptions = {}): Promise<AsyncCampaign> {
  return backend.restore(snapshot, { clock: forgotNow, ...options });
}
