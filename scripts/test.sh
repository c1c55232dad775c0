#!/usr/bin/env bash
# Every check of the project: types, lint (module boundaries included), then all tests.
# Extra arguments go to jest (e.g. a path pattern).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
bin=node_modules/.bin
mkdir -p .data

echo "== typecheck"
$bin/tsc -p tsconfig.json || exit 1
echo "== lint"
$bin/nx show projects >/dev/null || exit 1   # the boundary rule reads the project graph nx caches
$bin/eslint . || exit 1
echo "== tests"
$bin/jest --ci --json --outputFile=.data/jest-results.json "$@"
status=$?
node scripts/test-summary.js .data/jest-results.json || status=1
exit $status
