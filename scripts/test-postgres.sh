#!/usr/bin/env bash
# The PostgreSQL pass of `npm test`: the storage, CLI and scoring tests that touch the database,
# run a second time with every useTempDatabase() on PostgreSQL (a fresh database each).
#
# The server: LIM_TEST_POSTGRES_URL if set (an admin URL on a server the tests may create and
# drop databases on), else a private cluster started here and stopped at the end
# (scripts/postgres-test-cluster.sh) when PostgreSQL is installed. Without either, it says so
# and runs nothing. Writes test-results/unit-postgres.tap; exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/unit-postgres.tap

# Enabled on PostgreSQL. A file listed here must pass there: CI fails otherwise.
PG_TEST_FILES=(
  app/_server/scored-runs.test.ts
  lib/cli/compare-runs.test.ts
  lib/cli/epoch-rule.test.ts
  lib/cli/hand-off.test.ts
  lib/cli/hand-computed-run.test.ts
  lib/cli/ingest-watch.test.ts
  lib/cli/methods-cli.test.ts
  lib/cli/published-scores.test.ts
  lib/cli/steps-unchanged.test.ts
  lib/db/append-run.test.ts
  lib/db/concurrent-writes.test.ts
  lib/db/kill.test.ts
  lib/db/migrate.test.ts
  lib/db/postgres-parity.test.ts
  lib/db/run-writer-checks.test.ts
  lib/db/samples.test.ts
  lib/db/write-run.test.ts
  lib/export/export-by-id.test.ts
  lib/export/export-cli.test.ts
  lib/export/export-formats.test.ts
  lib/export/export-parquet-dataset.test.ts
  lib/export/export-regression.test.ts
  lib/export/export-stored-prompts.test.ts
  lib/ingest/dataset/join-dataset.test.ts
  lib/ingest/formats/read-generic.test.ts
  lib/ingest/formats/read-nemo-rl.test.ts
  lib/ingest/formats/read-trl.test.ts
  lib/ingest/formats/read-verl.test.ts
  lib/ingest/ingest-run.test.ts
  lib/ingest/success-rule.test.ts
  lib/ingest/watch/watch-run.test.ts
  lib/sets/diff-sets.test.ts
  lib/sets/sets-cli.test.ts
  scripts/write-fixtures.test.ts
)
# On SQLite only, and why (migrate.test.ts runs its race of processes on a fresh database on
# PostgreSQL too, and skips there what is about the SQLite file):
#   lib/db/watcher-marker.test.ts  the watcher's marker is a pid file beside the SQLite file; PostgreSQL has none yet (a live flag is trusted)
#   lib/db/database-file.test.ts   SQLite paths that cannot be used (a folder that cannot be made, a file in the path, a text file, a folder)
#   lib/db/legacy-runs.test.ts     converts runs stored by versions that knew only SQLite; no PostgreSQL database holds them
#   lib/db/file-lock.test.ts       the lock file SQLite migrates under; PostgreSQL takes an advisory lock (migrate.test.ts races it)
# The pure tests (lib/lim, lib/methods, lib/view, ...) touch no database: one pass is enough.

. scripts/postgres-server.sh
postgres_server test "the PostgreSQL pass" || { [ $? = 2 ] && exit 0; exit 1; }
if [ -n "$pg_cluster" ]; then echo "PostgreSQL pass: private cluster at $pg_url"; else echo "PostgreSQL pass: LIM_TEST_POSTGRES_URL"; fi

files=()
for f in "${PG_TEST_FILES[@]}"; do [ -f "$f" ] && files+=("$f"); done
started=$(date +%s)
LIM_TEST_POSTGRES_URL="$pg_url" DATABASE_URL= npx tsx --test --test-concurrency=2 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=test-results/unit-postgres.tap "${files[@]}"
status=$?
echo "PostgreSQL pass: ${#files[@]} files in $(( $(date +%s) - started )) s"
exit $status
