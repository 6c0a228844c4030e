import { defineConfig } from 'vitest/config';

/**
 * Every test runs on SQLite; the e2e project drives Chromium (see e2e/). When ROSTER_TEST_DATABASE_URL is set (CI always sets it), the server
 * suites run a second time on PostgreSQL, each test in its own schema.
 */
const postgres = process.env.ROSTER_TEST_DATABASE_URL;

/**
 * The workspace packages resolve to each other's TypeScript sources through their exports'
 * "@roster/source" condition (decision 020), so tests need no build; users get dist/.
 */
const SOURCE = '@roster/source';
// Vite's defaults (defaultClientConditions / defaultServerConditions), which `conditions` replaces.
const defaultClientConditions = ['module', 'browser', 'development|production'];
const defaultServerConditions = ['module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions], externalConditions: [SOURCE] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['packages/*/test/**/*.test.{ts,tsx}', 'packages/*/src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
          env: { ROSTER_TEST_DIALECT: 'sqlite' },
        },
      },
      {
        // Chromium journeys against a real Roster process and the built Next.js example. They run
        // after the other projects (groupOrder), so `next build` does not compete with them for CPU.
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 },
        },
      },
      ...(postgres
        ? [
            {
              extends: true,
              test: {
                name: 'postgres',
                include: ['packages/server/test/**/*.test.ts'],
                exclude: [
                  'packages/server/test/email/**',
                  'packages/server/test/startup.test.ts',
                  'packages/server/test/config.test.ts',
                  // A Roster process on its own SQLite file; nothing dialect-specific to repeat.
                  'packages/server/test/cli-api.test.ts',
                ],
                env: { ROSTER_TEST_DIALECT: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
