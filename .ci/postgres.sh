#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster on a free loopback port.
#   eval "$(bash .ci/postgres.sh start)"   -> exports DATABASE_URL and PGDATA_DIR
#   bash .ci/postgres.sh stop DIR
# PG_DURABLE=1 runs it as production does (for benchmarks); CI's tests run it without durability.
set -euo pipefail

pg_bin() {
    # Debian keeps the server tools (initdb, pg_ctl, createdb) together here.
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ]; then echo "$dir"; else dirname "$(command -v initdb)"; fi
}
BIN=$(pg_bin)

case "${1:-}" in
start)
    dir=$(mktemp -d /tmp/portal-pg.XXXXXX)
    chmod 755 "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg=()
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; as_pg=(runuser -u postgres --); fi
    "${as_pg[@]}" "$BIN/initdb" -D "$dir/data" -U portal --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # A throwaway cluster for tests: nothing to keep across a crash, no standby to feed, and
    # no autovacuum spending the cores the tests need (each test's rows are rolled back or flushed).
    # Without autovacuum no table has statistics, so the planner guesses millions of rows for
    # a join of a few and JIT-compiles it: 29 ms of compiling for a 1 ms query (EXPLAIN ANALYZE).
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal"
    durability+=" -c max_wal_senders=0 -c autovacuum=off -c jit=off"
    [ "${PG_DURABLE:-0}" = 1 ] && durability=""
    "${as_pg[@]}" "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir $durability -c max_connections=200" \
        start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    "${as_pg[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$port" -U portal portal >&2
    echo "export PGDATA_DIR=$dir"
    echo "export DATABASE_URL=postgres://portal@127.0.0.1:$port/portal"
    ;;
stop)
    dir=${2:?usage: postgres.sh stop DIR}
    as_pg=()
    [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
    "${as_pg[@]}" "$BIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
