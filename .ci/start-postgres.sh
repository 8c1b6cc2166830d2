#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the tests and print its URL.
# Usage: .ci/start-postgres.sh DATA_DIR PORT   (run as root; the server runs as postgres)
set -euo pipefail
data_dir=${1:-/tmp/retrovue-pg}
port=${2:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2
  exit 1
fi
run_as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
if [ ! -f "$data_dir/PG_VERSION" ]; then
  mkdir -p "$data_dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$data_dir"
  run_as_postgres "'$bin/initdb' -D '$data_dir' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >&2
fi
if ! run_as_postgres "'$bin/pg_ctl' -D '$data_dir' status" >/dev/null 2>&1; then
  run_as_postgres "'$bin/pg_ctl' -D '$data_dir' -l '$data_dir/server.log' -w -t 60 \
    -o \"-h 127.0.0.1 -p $port -k /tmp -c fsync=off -c full_page_writes=off\" start" >&2
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
