#!/usr/bin/env bash
# Starts a private, throw-away PostgreSQL cluster for the tests (sourced by scripts/test.sh).
# Sets ZENDER_TEST_POSTGRES_URL and registers a trap that stops and deletes the cluster.

start_test_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z "$bindir" ]]; then
    echo "PostgreSQL server binaries not found; run scripts/setup.sh --test" >&2
    return 1
  fi
  PG_TMP=$(mktemp -d /tmp/zender-pg.XXXXXX)
  local port run_as=()
  port=$(free_port)
  if [[ $(id -u) == 0 ]]; then
    # PostgreSQL refuses to run as root.
    chown postgres:postgres "$PG_TMP"
    run_as=(runuser -u postgres --)
  fi
  "${run_as[@]}" "$bindir/initdb" -D "$PG_TMP/data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
  "${run_as[@]}" "$bindir/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w -t 60 start \
    -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" >/dev/null
  export ZENDER_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  PG_STOP=("${run_as[@]}" "$bindir/pg_ctl" -D "$PG_TMP/data" -m immediate stop)
}

stop_test_postgres() {
  if [[ -n "${PG_TMP:-}" ]]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
