#!/usr/bin/env node
'use strict';
require('./run-ts')('apps/api/src/main.ts');
