// The cluster test: its own jest run (`npm run test:cluster`; `npm test` runs it after the other
// tests, scripts/test.sh). It starts a whole local cluster (Temporal's four services on PostgreSQL,
// two APIs, three workers) and needs the Temporal server that `bash scripts/ensure.sh test` (or
// `cluster`) builds; its Web UI check runs only when `ensure.sh cluster` built the UI server, and
// the global setup says so when it does not.
const preset = require('./jest.preset');

module.exports = {
  testTimeout: 900000,
  maxWorkers: 1,
  projects: [
    {
      ...preset,
      displayName: 'cluster',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/cluster/**/*.cluster.ts'],
      globalSetup: '<rootDir>/test/cluster/global-setup.ts',
    },
  ],
};
