// The cluster test (`npm run test:cluster`): its own run, not part of `npm test`. It starts a whole
// local cluster (Temporal's four services on PostgreSQL, two APIs, three workers) and needs the
// Temporal server that `bash scripts/ensure.sh cluster` builds.
const preset = require('./jest.preset');

module.exports = {
  testTimeout: 900000,
  maxWorkers: 1,
  projects: [{ ...preset, displayName: 'cluster', rootDir: __dirname, testMatch: ['<rootDir>/test/cluster/**/*.cluster.ts'] }],
};
