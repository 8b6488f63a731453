/**
 * vitest globalSetup of the `postgres` test project: one PostgreSQL server for the whole run,
 * shared by every test file (each makes its own database, see `database.ts`). The embedded server
 * is stopped and its data directory removed when the run ends, whether tests passed or not. With
 * `DATABASE_URL` set, that server is used and nothing is started.
 */
import type { TestProject } from 'vitest/node';
import { acquirePostgres } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the run's server (its maintenance database). */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await acquirePostgres();
  project.provide('postgresUrl', server.url);
  return () => server.close();
}
