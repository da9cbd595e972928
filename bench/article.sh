#!/usr/bin/env bash
# Throughput of the article page: release build, SQLite with demo content, uncached render.
# 50 connections for 20 s with wrk (Debian package); prints requests/s and p99 latency.
# Target on a 2-core machine: >= 2,000 req/s and p99 <= 50 ms.
#
#   bench/article.sh            (CONNECTIONS, DURATION and THREADS can be overridden)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/postgres.sh
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is missing: sudo apt-get install wrk" >&2
    exit 1
  fi
fi

cargo leptos build --release --split --precompress >/dev/null 2>&1 || cargo leptos build --release --split --precompress
data=$(mktemp -d /tmp/zender-bench.XXXXXX)
port=$(free_port)
ZENDER_ADDR="127.0.0.1:$port" ZENDER_DATA_DIR="$data" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
  target/release/zender >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
path=$(curl -fs "http://127.0.0.1:$port/" | grep -o 'class="card-title"><a href="/[^"]*"' | head -n 1 | sed 's/.*href="//; s/"$//')
url="http://127.0.0.1:$port$path"
echo "Article page: $path ($(curl -fs "$url" | wc -c) bytes of HTML)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" | tee "$data/wrk.txt"
rps=$(awk '/^Requests\/sec:/ {print $2}' "$data/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$data/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$data/wrk.txt")
echo
echo "RESULT article page: ${rps} requests/s, p99 ${p99}, non-2xx ${non2xx:-0} (target >= 2000 req/s, p99 <= 50ms)"
