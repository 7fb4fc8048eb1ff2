#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests: initdb under a temporary folder, the server on
# 127.0.0.1 and a free port, its socket in the same folder (never /var/run).
#
#   scripts/postgres-test-cluster.sh start DIR   prints the admin URL (postgresql://lim@127.0.0.1:PORT/postgres)
#   scripts/postgres-test-cluster.sh stop DIR    stops the server and deletes DIR
#   scripts/postgres-test-cluster.sh bin         prints the folder holding initdb, or exits 1 when PostgreSQL is absent
#
# initdb refuses to run as root, so as root the cluster runs as the postgres user (Debian's
# package creates it); as any other user it runs as that user.
set -euo pipefail

find_bin() {
  if [ -n "${LIM_POSTGRES_BIN:-}" ] && [ -x "$LIM_POSTGRES_BIN/initdb" ]; then echo "$LIM_POSTGRES_BIN"; return 0; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  return 1
}

as_owner() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

cmd="${1:-}"
case "$cmd" in
  bin)
    find_bin
    ;;
  start)
    dir="${2:?usage: $0 start DIR}"
    bin="$(find_bin)" || { echo "PostgreSQL is not installed (no initdb found)" >&2; exit 1; }
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; fi
    as_owner "'$bin/initdb' -D '$dir/data' -U lim --auth=trust --encoding=UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1" \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3; do
      port="$(free_port)"
      # fsync off: a test cluster is thrown away, and durability costs the tests most of their time.
      if as_owner "'$bin/pg_ctl' -D '$dir/data' -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c TimeZone=UTC' -l '$dir/pg.log' -w start >/dev/null"; then
        echo "$port" >"$dir/port"
        echo "postgresql://lim@127.0.0.1:$port/postgres"
        exit 0
      fi
    done
    cat "$dir/pg.log" >&2
    exit 1
    ;;
  stop)
    dir="${2:?usage: $0 stop DIR}"
    bin="$(find_bin)" || exit 0
    if [ -d "$dir/data" ]; then as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast stop >/dev/null 2>&1" || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR | stop DIR | bin" >&2
    exit 2
    ;;
esac
