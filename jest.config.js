// One jest run for the whole workspace: fast unit specs beside the code, and the cross-app
// tests in test/ that run on the real Temporal test server and real databases.
const preset = require('./jest.preset');

module.exports = {
  // Global only (jest ignores it per project); unit specs finish far sooner.
  testTimeout: 120000,
  // Two files at a time, whatever jest counts of the cores (on two it would run one): most
  // integration tests spend their time waiting on real-time limits, child processes starting and
  // the Temporal test server, and the e2e files start their dev servers on ports of their own.
  maxWorkers: 2,
  projects: [
    { ...preset, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/{libs,workflows,apps,rules}/**/*.spec.ts'] },
    {
      ...preset,
      displayName: 'integration',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
