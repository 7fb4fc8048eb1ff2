#!/usr/bin/env bash
# Every test the project has: unit and storage tests (node:test), then the browser tests
# (Playwright against the built app). Ends with one line "N passed, N failed" for the whole run.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results

unit_files=$(find lib bin scripts app -name '*.test.ts' -not -path '*/node_modules/*' -not -path '*/generated/*' | sort)
# SQLite: LIM_TEST_POSTGRES_URL is for the PostgreSQL pass below only.
LIM_TEST_POSTGRES_URL= npx tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=test-results/unit.tap $unit_files
unit_status=$?
unit_pass=$(grep -E '^# pass ' test-results/unit.tap | awk '{print $3}')
unit_fail=$(grep -E '^# (fail|cancelled) ' test-results/unit.tap | awk '{s+=$3} END {print s+0}')

# The same storage, CLI and scoring tests again on PostgreSQL (scripts/test-postgres.sh: a private
# cluster when PostgreSQL is installed, or LIM_TEST_POSTGRES_URL; skipped, and said, without either).
# --unit-only stays on SQLite; `npm run test:postgres` runs this pass alone.
pg_status=0
pg_pass=0
pg_fail=0
rm -f test-results/unit-postgres.tap
if [ "${1:-}" != "--unit-only" ]; then
  bash scripts/test-postgres.sh
  pg_status=$?
fi
if [ -f test-results/unit-postgres.tap ]; then
  pg_pass=$(grep -E '^# pass ' test-results/unit-postgres.tap | awk '{print $3}')
  pg_fail=$(grep -E '^# (fail|cancelled) ' test-results/unit-postgres.tap | awk '{s+=$3} END {print s+0}')
fi

e2e_pass=0
e2e_fail=0
e2e_status=0
if [ "${1:-}" != "--unit-only" ] && [ -n "$(find e2e -name '*.spec.ts' 2>/dev/null)" ]; then
  npx playwright test
  e2e_status=$?
  if [ -f test-results/e2e.json ]; then
    read -r e2e_pass e2e_fail < <(node -e '
      const s = require("./test-results/e2e.json").stats;
      console.log(s.expected + s.flaky, s.unexpected);')
  elif [ $e2e_status -ne 0 ]; then
    e2e_fail=1
  fi
fi

# The export, upload and saved-set browser tests again with the app on PostgreSQL.
e2e_pg_pass=0
e2e_pg_fail=0
e2e_pg_status=0
if [ "${1:-}" != "--unit-only" ]; then
  bash scripts/test-e2e-postgres.sh
  e2e_pg_status=$?
  if [ -f test-results/e2e-postgres.json ]; then
    read -r e2e_pg_pass e2e_pg_fail < <(node -e '
      const s = require("./test-results/e2e-postgres.json").stats;
      console.log(s.expected + s.flaky, s.unexpected);')
  fi
fi

passed=$(( ${unit_pass:-0} + ${pg_pass:-0} + e2e_pass + e2e_pg_pass ))
failed=$(( ${unit_fail:-0} + ${pg_fail:-0} + e2e_fail + e2e_pg_fail ))
# A runner that crashed before reporting counts as a failure, never as silence.
if [ $unit_status -ne 0 ] && [ "${unit_fail:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
if [ $pg_status -ne 0 ] && [ "${pg_fail:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
if [ $e2e_status -ne 0 ] && [ "$e2e_fail" -eq 0 ]; then failed=$((failed + 1)); fi
if [ $e2e_pg_status -ne 0 ] && [ "$e2e_pg_fail" -eq 0 ]; then failed=$((failed + 1)); fi
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
