import { defineConfig } from 'vitest/config';

/**
 * The integration suites that run twice, once against each name server (issue 10's matrix): the same assertions —
 * served on the owner's address with the master's serial, REFUSED elsewhere, restart, concurrent edits, recovery, the
 * access model, domain.sync — prove the same behaviour of BIND and of PowerDNS.
 */
const BOTH_NAME_SERVERS = [
  'test/integration/foundation.test.ts',
  'test/integration/accounts.test.ts',
  'test/integration/authorization.test.ts',
  'test/integration/bad-input.test.ts',
  'test/integration/bad-input-accounts.test.ts',
  'test/integration/first-steps.test.ts',
  'test/integration/health.test.ts',
  'test/integration/sync.test.ts',
  'test/integration/killed-requests.test.ts',
  'test/integration/master-zones.test.ts',
  'test/integration/master-slaves.test.ts',
];

export default defineConfig({
  test: {
    pool: 'forks',
    // Integration files each run their own name servers in their own network namespaces.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-require-ts.ts'],
    projects: [
      { extends: true, test: { name: 'bind', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'powerdns', include: BOTH_NAME_SERVERS, env: { DNSMGR_TEST_NAME_SERVER: 'powerdns' } } },
    ],
  },
});
