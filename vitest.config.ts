import { defineConfig } from 'vitest/config';

/**
 * The integration suites that run twice: once against SQLite (project `sqlite`, with everything else) and once
 * against a real Postgres (project `postgres`: TEST_STORE=postgres gives every spawned test server its own
 * database on one rig Postgres; see test/support/test-store.ts). Same files, so both stores must behave alike.
 */
export const BOTH_STORES = [
  'test/integration/call-flows.test.ts',
  'test/integration/multi-device.test.ts',
  'test/integration/missed-calls.test.ts',
  'test/integration/history.test.ts',
  'test/integration/reconnect.test.ts',
  'test/integration/ring-policy.test.ts',
  'server/test/authorization.test.ts',
  'server/test/call-flows.test.ts',
  'server/test/devices-and-signals.test.ts',
  'server/test/directory-history-ice.test.ts',
  'server/test/restart.test.ts',
  'server/test/resume-grace.test.ts',
  'server/test/sessions.test.ts',
  'server/test/timers-and-resume.test.ts',
  'server/test/validation.test.ts',
  'server/test/transfers-blind.test.ts',
  'server/test/transfers-consult.test.ts',
  'server/test/transfers-races.test.ts',
  'server/test/transfers-agent-lost.test.ts',
  'server/test/transfers-authorization.test.ts',
  'server/test/transfers-restart.test.ts',
  'test/faults/fuzz.test.ts',
  'server/test/lines-admin.test.ts',
  'server/test/lines-queue.test.ts',
  'server/test/lines-view.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: BOTH_STORES,
          env: { TEST_STORE: 'postgres' },
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
