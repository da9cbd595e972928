#!/usr/bin/env bash
# Live-update fan-out: release build, SQLite with demo content, READERS open /live streams
# (bench/sse-load), then POSTS ticker posts from a logged-in editor, one per INTERVAL_MS.
# Prints readers held, deliveries, publish-to-receipt latency p50/p99/max and the server's RSS,
# then sends the server SIGTERM with every stream open and times its exit.
# Target on a 2-core machine: 20,000 streams held, p99 <= 1000 ms, exit within 10 s.
#
#   bench/sse.sh    (READERS, POSTS, INTERVAL_MS, CONNECT_RATE, SOURCES and SETTLE_SECS can be
#                    overridden; e.g. READERS=500 bench/sse.sh for a quick check)
#
# Every stream is an open file on both ends, so the script raises the open-files limit (and as
# root net.core.somaxconn, restored on exit) before starting either side.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/postgres.sh
READERS=${READERS:-20000}
POSTS=${POSTS:-20}
INTERVAL_MS=${INTERVAL_MS:-1000}
CONNECT_RATE=${CONNECT_RATE:-2000}
SOURCES=${SOURCES:-8}
SETTLE_SECS=${SETTLE_SECS:-5}
PASSWORD=bench-sse-demo-password

# Open files: as many as allowed, up to 1,048,576 (the server and the client inherit this).
want=1048576
ulimit -Hn "$want" 2>/dev/null || true
hard=$(ulimit -Hn)
[[ $hard == unlimited || $hard -gt $want ]] && hard=$want
ulimit -n "$hard"
if (($(ulimit -n) < READERS + 100)); then
  echo "warning: open files limited to $(ulimit -n) (hard limit; raising it needs CAP_SYS_RESOURCE)," \
    "fewer than $READERS streams need on each side" >&2
fi

# Accept queue for the connect storm: tokio's listener asks for a backlog of 1024, which the
# kernel caps at net.core.somaxconn.
somaxconn_was=$(sysctl -n net.core.somaxconn 2>/dev/null || echo 0)
restore_somaxconn=
if ((somaxconn_was < 65535)); then
  if [[ $(id -u) == 0 ]] && sysctl -qw net.core.somaxconn=65535 2>/dev/null; then
    restore_somaxconn=$somaxconn_was
  else
    echo "note: net.core.somaxconn stays at $somaxconn_was (raising it needs root)" >&2
  fi
fi

cargo leptos build --release --split --precompress >/dev/null 2>&1 || cargo leptos build --release --split --precompress
cargo build --release -p sse-load --quiet
data=$(mktemp -d /tmp/zender-bench.XXXXXX)
port=$(free_port)
ZENDER_ADDR="127.0.0.1:$port" ZENDER_DATA_DIR="$data" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
  ZENDER_DEMO=1 ZENDER_DEMO_PASSWORD="$PASSWORD" \
  ZENDER_STREAMS_MAX=$((READERS + 100)) ZENDER_STREAMS_PER_CLIENT=$((READERS + 100)) \
  target/release/zender >"$data/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null
  wait "$server" 2>/dev/null
  [[ -n $restore_somaxconn ]] && sysctl -qw net.core.somaxconn="$restore_somaxconn" 2>/dev/null
  rm -rf "$data"
}
trap 'cleanup || true' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
echo "Server $server on port $port, open files limit $(ulimit -n), somaxconn $(sysctl -n net.core.somaxconn 2>/dev/null || echo '?')"

status=0
target/release/sse-load --addr "127.0.0.1:$port" --readers "$READERS" --posts "$POSTS" \
  --interval-ms "$INTERVAL_MS" --connect-rate "$CONNECT_RATE" --sources "$SOURCES" \
  --settle-secs "$SETTLE_SECS" --password "$PASSWORD" --server-pid "$server" --sigterm |
  tee "$data/result.txt" || status=$?

# The client ends the server with SIGTERM (timing its shutdown): it should have exited cleanly.
grep -q "RESULT shutdown: with" "$data/result.txt" || kill "$server" 2>/dev/null || true
server_status=0
wait "$server" 2>/dev/null || server_status=$?
if ((server_status != 0)); then
  echo "The server exited with status $server_status; its log ends with:" >&2
  tail -n 20 "$data/server.log" >&2
  status=1
elif [[ -s "$data/server.log" ]]; then
  echo "Server log: $(wc -l <"$data/server.log") lines; most frequent:" >&2
  sed -E 's/^[^ ]+ +//; s/[0-9]+/N/g' "$data/server.log" | sort | uniq -c | sort -rn | head -n 5 >&2
fi
exit "$status"
