/**
 * The test-file side of the PostgreSQL harness: the run's server (started by `global-setup.ts`)
 * and a fresh database per test file.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { createDatabase, type TestDatabase } from './server.js';

/** Connection string of the run's shared server (its maintenance database). */
export function postgresUrl(): string {
  return inject('postgresUrl');
}

/**
 * Creates an empty database of its own for the calling test file in `beforeAll`, and drops it in
 * `afterAll`. Read `.url` inside tests or hooks, not at import time.
 *
 * @example
 * const db = useTestDatabase('leases');
 * it('...', async () => { const pool = new pg.Pool({ connectionString: db.url }); ... });
 */
export function useTestDatabase(label: string): { readonly url: string; readonly name: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createDatabase(postgresUrl(), label);
  });
  afterAll(async () => {
    await database?.drop();
  });
  const current = (): TestDatabase => {
    if (database === undefined) throw new Error('useTestDatabase: the database exists from beforeAll on');
    return database;
  };
  return {
    get url() {
      return current().url;
    },
    get name() {
      return current().name;
    },
  };
}
