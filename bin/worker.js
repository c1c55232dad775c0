#!/usr/bin/env node
'use strict';
require('./run-ts')('apps/worker/src/main.ts');
