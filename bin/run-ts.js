'use strict';
// Runs a TypeScript entry point of the monorepo with its path aliases, from any working directory.
const path = require('node:path');
const root = path.resolve(__dirname, '..');
process.env.TSX_TSCONFIG_PATH = path.join(root, 'tsconfig.json');
require('tsx/cjs/api').register();
module.exports = (entry) => require(path.join(root, entry));
