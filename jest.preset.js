// Shared jest settings: swc transform and the monorepo's path aliases from tsconfig.base.json.
const { compilerOptions } = require('./tsconfig.base.json');
const path = require('node:path');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, path.join(__dirname, target)]),
);

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // NestJS 12 and jose are ESM only; jest runs CommonJS (Node 20 itself loads them with require; see jest.esm-transform.js).
    '/node_modules/(@nestjs|jose)/.+\\.js$': path.join(__dirname, 'jest.esm-transform.js'),
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/|jose/)'],
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
};
