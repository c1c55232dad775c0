#!/usr/bin/env bash
# Every check of the project: types, lint (module boundaries included), then all tests, then the
# scenarios again as if today were in a later year (REFORM_TEST_YEAR), so that no test depends
# on the year it runs in, then with REFORM_TEST_CLUSTER=1 the cluster test (test/cluster:
# Temporal's own server on PostgreSQL, several workers and APIs; its own jest run,
# jest.cluster.config.js). Extra arguments go to jest (e.g. a path pattern) and skip those last two runs.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
bin=node_modules/.bin
mkdir -p .data

# Types and lint side by side (each keeps one core busy: about 35 s and 20 s of CPU), each
# one's output shown after both have finished.
$bin/nx show projects >/dev/null || exit 1   # the boundary rule reads the project graph nx caches
# The web console is browser code with its own settings (JSX, DOM): its own tsconfig.
( $bin/tsc -p tsconfig.json && $bin/tsc -p apps/web/tsconfig.json && $bin/tsc -p apps/web/tsconfig.spec.json ) >.data/typecheck.log 2>&1 &
typecheck=$!
$bin/eslint . >.data/lint.log 2>&1
lint=$?
wait $typecheck
types=$?
echo "== typecheck"
cat .data/typecheck.log
echo "== lint"
cat .data/lint.log
[ $types -eq 0 ] && [ $lint -eq 0 ] || exit 1
echo "== tests"
rm -f .data/jest-results.json .data/jest-results-later-year.json .data/jest-results-cluster.json
$bin/jest --ci --json --outputFile=.data/jest-results.json "$@"
status=$?
results=(.data/jest-results.json)
if [ $# -eq 0 ]; then
  # The time-skipping server starts at today's real time and only moves forward: run every
  # scenario that uses its clock again from 1 January five years on (2031 when run in 2026; the
  # harness travels there), on SQLite only (the first pass ran them on both databases).
  # replay and bundle do not read the clock.
  later_year=$(( $(date -u +%Y) + 5 ))
  echo "== scenarios as if today were ${later_year}-01-01 (REFORM_TEST_YEAR=${later_year})"
  REFORM_TEST_YEAR=$later_year REFORM_TEST_DATABASES=sqlite $bin/jest test/scenarios --ci --json --outputFile=.data/jest-results-later-year.json \
    --selectProjects integration --testPathIgnorePatterns '/test/scenarios/(replay|bundle)\.test\.ts$' || status=1
  results+=(.data/jest-results-later-year.json)
fi
# The local cluster end to end, after the rest (the machine to itself: Temporal's four services,
# three workers and two APIs), with REFORM_TEST_CLUSTER=1 (also `npm run test:cluster`). Not in the
# default run for now: its rolling-restart case found a plan whose ledger row differs from its
# workflow's projection (seen on 2026-12-01 after 16:00 UTC, i.e. after midnight in China;
# passing earlier the same day): to be found and fixed before it goes back into CI's run.
# scripts/ensure.sh test built its Temporal server; a PostgreSQL that the tests reach through
# TEST_DATABASE_URL serves the cluster too unless REFORM_CLUSTER_POSTGRES says.
if [ $# -eq 0 ] && [ "${REFORM_TEST_CLUSTER:-0}" = 1 ]; then
  echo "== cluster test (jest.cluster.config.js)"
  if [ -n "${TEST_DATABASE_URL:-}" ] && [ -z "${REFORM_CLUSTER_POSTGRES:-}" ]; then
    export REFORM_CLUSTER_POSTGRES="${TEST_DATABASE_URL%/*}"
  fi
  cluster_started=$(date +%s)
  $bin/jest -c jest.cluster.config.js --ci --json --outputFile=.data/jest-results-cluster.json || status=1
  echo "cluster test: $(( $(date +%s) - cluster_started )) s"
  results+=(.data/jest-results-cluster.json)
fi
node scripts/test-summary.js "${results[@]}" || status=1
exit $status
