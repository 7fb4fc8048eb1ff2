#!/usr/bin/env bash
# The browser tests that write and read back data (export, upload, saved sets) again, with the
# built app on PostgreSQL: a fresh database on LIM_TEST_POSTGRES_URL's server, or on a private
# cluster started here (scripts/postgres-test-cluster.sh). Without either, it says so and runs
# nothing. Writes test-results/e2e-postgres.json; exits non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/e2e-postgres.json

E2E_PG_SPECS=(e2e/export.spec.ts e2e/upload.spec.ts e2e/sets.spec.ts)

. scripts/postgres-server.sh
postgres_server e2e "the browser tests on PostgreSQL" || { [ $? = 2 ] && exit 0; exit 1; }
admin="$pg_url"
db="lim_e2e_$$_$(date +%s)"
sql() { node -e 'const c=new (require("pg").Client)(process.argv[1]);c.connect().then(()=>c.query(process.argv[2])).then(()=>c.end(),(e)=>{console.error(e.message);process.exit(1)})' "$admin" "$1"; }
sql "CREATE DATABASE $db" || { echo "could not create database $db on $admin"; exit 1; }
url="${admin%/*}/$db"
echo "Browser tests on PostgreSQL: $url"
E2E_DATABASE_URL="$url" E2E_REPORT=test-results/e2e-postgres.json npx playwright test "${E2E_PG_SPECS[@]}"
status=$?
sql "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
exit $status
