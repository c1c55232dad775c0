'use strict';
// Jest runs CommonJS; NestJS 12 ships ESM only ("type": "module"). This transforms those files
// with swc to CommonJS, first turning `import.meta.url` (a syntax error in CommonJS) into the
// file URL of the module, which is what it means there.
const { pathToFileURL } = require('node:url');
const swcJest = require('@swc/jest');

const swc = swcJest.createTransformer({ jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } });

const rewrite = (source, filename) =>
  source.includes('import.meta.url') ? source.replace(/import\.meta\.url/g, JSON.stringify(pathToFileURL(filename).href)) : source;

module.exports = {
  canInstrument: false,
  getCacheKey: (source, filename, ...rest) => swc.getCacheKey(rewrite(source, filename), filename, ...rest),
  process: (source, filename, options) => swc.process(rewrite(source, filename), filename, options),
  processAsync: (source, filename, options) => swc.processAsync(rewrite(source, filename), filename, options),
};
