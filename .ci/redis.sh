#!/usr/bin/env bash
# Start or stop a throwaway redis-server on a free loopback port (no persistence).
#   eval "$(bash .ci/redis.sh start)"   -> exports REDIS_URL and REDIS_DIR
#   bash .ci/redis.sh stop DIR
set -euo pipefail

case "${1:-}" in
start)
    dir=$(mktemp -d /tmp/portal-redis.XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize yes \
        --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
    for _ in $(seq 50); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    redis-cli -p "$port" ping >/dev/null || { cat "$dir/redis.log" >&2; exit 1; }
    echo "export REDIS_DIR=$dir"
    echo "export REDIS_URL=redis://127.0.0.1:$port/0"
    ;;
stop)
    dir=${2:?usage: redis.sh stop DIR}
    [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
