import { defineConfig } from 'vitest/config';

// Three levels (STYLE.md §8): pure domain units; HTTP integration tests that run twice, on the
// embedded PGlite and on a real PostgreSQL server the harness starts; and browser journeys. The
// reliability project (load and crash runs) is left out of `npm test`: see the scripts in package.json.
const integration = ['test/integration/**/*.test.ts'];

export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'pglite',
          include: integration,
          env: { TEST_DB: 'pglite' },
          globalSetup: ['test/helpers/global-pglite.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: integration,
          env: { TEST_DB: 'postgres' },
          globalSetup: ['test/helpers/global-postgres.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
      // Load and faults against the built server in child processes (`npm run test:reliability`):
      // one file at a time, since each measures the whole machine. Not part of `npm test`.
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
