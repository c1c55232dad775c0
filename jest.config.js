// One jest run for the whole workspace: fast unit specs beside the code, and the cross-app
// tests in test/ that run on the real Temporal test server and real databases.
const preset = require('./jest.preset');

module.exports = {
  // Global only (jest ignores it per project); unit specs finish far sooner.
  testTimeout: 120000,
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
