#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: type check, unit and golden tests, and the integration tests
# that run real named, rndc, named-checkconf, dig and ip inside network namespaces they create (needs root).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
npx tsc --noEmit -p . || exit 1
mkdir -p test-results
npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json
status=$?
node scripts/test-summary.mjs test-results/vitest.json || status=1
exit "$status"
