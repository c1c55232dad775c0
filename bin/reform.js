#!/usr/bin/env node
'use strict';
// Stack traces reach users only with REFORM_DEBUG=1: only then are they mapped to the sources.
require('./run-ts')('apps/cli/src/main.ts', { sourceMaps: process.env.REFORM_DEBUG === '1' });
