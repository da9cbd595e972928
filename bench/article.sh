#!/usr/bin/env bash
# The article page against the ceiling of this machine: nginx (Debian package) serving the very
# same bytes as a static file, in the same run, interleaved (this machine's speed drifts ±20 %
# between runs, so only the ratio means something). Release build, SQLite with demo content,
# wrk with 50 connections (Debian package).
#
#   bench/article.sh     (CONNECTIONS, DURATION, ROUNDS and THREADS can be overridden)
#
# Measures, each as requests/s and p99:
#   - the page as kept in memory, identity and brotli (Accept-Encoding: br, as browsers ask),
#     against nginx serving the identical identity file and the identical brotli file;
#   - the page rendered for every request (ZENDER_PAGE_CACHE_MB=0: the miss path).
# Targets (2 cores): kept >= 0.5x nginx both ways with p99 <= 10 ms; miss >= 3,000 req/s, p99 <= 30 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/postgres.sh
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

cargo leptos build --release --split --precompress >/dev/null 2>&1 || cargo leptos build --release --split --precompress
work=$(mktemp -d /tmp/zender-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# start_zender NAME [ENV…]: a server on a fresh data directory; sets $port.
start_zender() {
  local name=$1
  shift
  mkdir -p "$work/$name"
  port=$(free_port)
  env ZENDER_ADDR="127.0.0.1:$port" ZENDER_DATA_DIR="$work/$name" ZENDER_DEMO=1 \
    LEPTOS_SITE_ROOT=target/site RUST_LOG=warn "$@" target/release/zender >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && return
    sleep 0.1
  done
  echo "zender did not start: $(cat "$work/$name.log")" >&2
  exit 1
}

start_zender kept
kept=$port
path=$(curl -fs "http://127.0.0.1:$kept/" | grep -o 'class="card-title"><a href="/[^"]*"' | head -n 1 | sed 's/.*href="//; s/"$//')
start_zender miss ZENDER_PAGE_CACHE_MB=0
miss=$port

# nginx serves the bytes Zender sends: the identity page and the brotli page, as files.
mkdir -p "$work/nginx/html" "$work/nginx/logs"
curl -fs "http://127.0.0.1:$kept$path" -o "$work/nginx/html/article.html"
curl -fs -H 'Accept-Encoding: br' "http://127.0.0.1:$kept$path" -o "$work/nginx/html/article.html.br"
# nginx's workers run as an unprivileged user: let them read the files.
chmod 755 "$work"
chmod -R a+rX "$work/nginx"
nginx_port=$(free_port)
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/html;
    location = /article { default_type "text/html; charset=utf-8"; try_files /article.html =404; }
    location = /article.br {
      default_type "text/html; charset=utf-8";
      add_header Content-Encoding br;
      try_files /article.html.br =404;
    }
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$nginx_port/article" >/dev/null && break; sleep 0.1; done

echo "Article page: $path ($(wc -c <"$work/nginx/html/article.html") B identity, $(wc -c <"$work/nginx/html/article.html.br") B brotli, as Zender sends them)"

# run LABEL URL [HEADER]: prints "requests/s p99-ms" and keeps them under $work/runs.
run() {
  local label=$1 url=$2 header=${3:-}
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
  [[ -n $header ]] && args+=(-H "$header")
  wrk "${args[@]}" "$url" >"$work/wrk.txt"
  local rps p99 bad
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}' "$work/wrk.txt")
  bad=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
  printf '  %-26s %10.0f req/s  p99 %6.2f ms%s\n' "$label" "$rps" "$p99" "${bad:+  non-2xx $bad}"
  echo "$label $rps $p99" >>"$work/runs"
}

for round in $(seq "$ROUNDS"); do
  echo "Round $round"
  run zender-identity "http://127.0.0.1:$kept$path"
  run nginx-identity "http://127.0.0.1:$nginx_port/article"
  run zender-br "http://127.0.0.1:$kept$path" "Accept-Encoding: br"
  run nginx-br "http://127.0.0.1:$nginx_port/article.br"
  run zender-miss "http://127.0.0.1:$miss$path"
done

mean() { awk -v l="$1" -v f="$2" '$1 == l {s += $f; n++} END {printf "%.2f", s / n}' "$work/runs"; }
ratio() { awk -v a="$(mean "$1" 2)" -v b="$(mean "$2" 2)" 'BEGIN {printf "%.2f", a / b}'; }
echo
echo "RESULT article page kept: identity $(mean zender-identity 2) req/s p99 $(mean zender-identity 3) ms = $(ratio zender-identity nginx-identity)x nginx ($(mean nginx-identity 2)); brotli $(mean zender-br 2) req/s p99 $(mean zender-br 3) ms = $(ratio zender-br nginx-br)x nginx ($(mean nginx-br 2)) (target >= 0.5x, p99 <= 10 ms)"
echo "RESULT article page rendered per request: $(mean zender-miss 2) req/s p99 $(mean zender-miss 3) ms (target >= 3000 req/s, p99 <= 30 ms)"
