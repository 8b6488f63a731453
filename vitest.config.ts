import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // The behaviour suite (test/behaviour/) runs here on the in-memory backend.
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/postgres/**', 'test/bench/postgres-*.test.ts'],
        },
      },
      {
        // Tests against a real PostgreSQL server; its globalSetup runs only when one of them is queued.
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/postgres/**/*.test.ts', 'test/bench/postgres-*.test.ts'],
          globalSetup: ['test/postgres/global-setup.ts'],
          hookTimeout: 120_000,
        },
      },
      {
        // The behaviour suite again, on the PostgreSQL backend (test/behaviour/backend.ts).
        extends: true,
        test: {
          name: 'behaviour-postgres',
          include: ['test/behaviour/**/*.test.ts'],
          env: { DIALER_BACKEND: 'postgres' },
          globalSetup: ['test/postgres/global-setup.ts'],
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
