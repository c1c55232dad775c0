#!/usr/bin/env node
'use strict';
require('./run-ts')('apps/cli/src/main.ts');
