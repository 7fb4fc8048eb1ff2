# Sourced by the PostgreSQL test passes (test-postgres.sh, test-e2e-postgres.sh): the server they
# run on. LIM_TEST_POSTGRES_URL if set (an admin URL on a server the tests may create and drop
# databases on), else a private cluster (scripts/postgres-test-cluster.sh), stopped when the
# sourcing script exits.
#
#   postgres_server NAME WHAT   sets pg_url; returns 2 (saying WHAT is skipped) when there is
#                               neither URL nor PostgreSQL installed, 1 when the cluster does not start

pg_cluster=""
pg_url=""
stop_pg_cluster() {
  if [ -n "$pg_cluster" ]; then scripts/postgres-test-cluster.sh stop "$pg_cluster"; fi
}
trap stop_pg_cluster EXIT

postgres_server() {
  pg_url="${LIM_TEST_POSTGRES_URL:-}"
  if [ -n "$pg_url" ]; then return 0; fi
  if ! scripts/postgres-test-cluster.sh bin >/dev/null 2>&1; then
    echo "PostgreSQL is not installed (no initdb) and LIM_TEST_POSTGRES_URL is not set: skipping $2"
    return 2
  fi
  pg_cluster="$(mktemp -d "/tmp/lim-pg-$1.XXXXXX")"
  pg_url="$(scripts/postgres-test-cluster.sh start "$pg_cluster")" || { echo "could not start a private PostgreSQL cluster"; return 1; }
}
