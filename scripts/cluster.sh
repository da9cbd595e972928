#!/usr/bin/env bash
# The scale-out recipe, on one machine: PostgreSQL, two Zender instances and nginx (Debian) as
# the load balancer in front (round robin, live streams unbuffered), all on loopback. Prints the
# URL and runs until Ctrl-C, then stops everything it started.
#
#   scripts/cluster.sh             builds (release) first, like scripts/run.sh
#   scripts/cluster.sh --no-build  uses the build in target/ as it is
#
# Environment:
#   ZENDER_CLUSTER_DIR   where PostgreSQL's data, the logs and nginx's config go
#                        (default data/cluster; kept between runs, demo content loaded once)
#   ZENDER_CLUSTER_PORT  the balancer's port (default 8080)
#   ZENDER_DEMO_PASSWORD the demo accounts' password (default: a random one, printed once)
#
# Writes <dir>/instances: one line per instance, "name port pid", for whoever checks on it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=1
[[ "${1:-}" == "--no-build" ]] && build=0

if [[ $build == 1 ]]; then
  scripts/setup.sh
  export PATH="$HOME/.cargo/bin:$PATH"
  cargo leptos build --release --split --precompress
fi
for tool in nginx python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/setup.sh --test" >&2; exit 1; }
done
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -n "$bindir" ]] || { echo "PostgreSQL is missing: run scripts/setup.sh --test" >&2; exit 1; }

dir=$(mkdir -p "${ZENDER_CLUSTER_DIR:-data/cluster}" && cd "${ZENDER_CLUSTER_DIR:-data/cluster}" && pwd)
port=${ZENDER_CLUSTER_PORT:-8080}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

pids=()
pg_stop=()
stopping=0
stop() {
  ((stopping)) && return
  stopping=1
  say "Stopping"
  # The balancer first, so nobody is sent to an instance on its way out; then the instances
  # (SIGTERM: they finish open requests); the database last.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  ((${#pg_stop[@]})) && "${pg_stop[@]}" >/dev/null 2>&1 || true
  rm -f "$dir/instances"
  say "Stopped"
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# PostgreSQL: a cluster of its own in the cluster directory, created on the first run.
run_as=()
if [[ $(id -u) == 0 ]]; then
  run_as=(runuser -u postgres --) # PostgreSQL refuses to run as root.
fi
mkdir -p "$dir/postgres"
[[ $(id -u) == 0 ]] && chown postgres:postgres "$dir/postgres"
if [[ ! -f "$dir/postgres/data/PG_VERSION" ]]; then
  say "Creating a PostgreSQL cluster in $dir/postgres"
  "${run_as[@]}" "$bindir/initdb" -D "$dir/postgres/data" -A trust -U postgres -E UTF8 >/dev/null
fi
pg_port=$(free_port)
say "Starting PostgreSQL on 127.0.0.1:$pg_port"
"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/postgres/data" -l "$dir/postgres/log" -w -t 60 start \
  -o "-p $pg_port -k $dir/postgres -c listen_addresses=127.0.0.1" >/dev/null
pg_stop=("${run_as[@]}" "$bindir/pg_ctl" -D "$dir/postgres/data" -m fast stop)
database_url="postgres://postgres@127.0.0.1:$pg_port/postgres"

export ZENDER_DATABASE_URL=$database_url
export ZENDER_PUBLIC_URL="http://127.0.0.1:$port"
# Only the balancer's word on who the client is counts.
export ZENDER_TRUSTED_PROXIES=127.0.0.1
export ZENDER_DEMO=1
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$root/target/site}"

: >"$dir/instances"
start_instance() {
  local name=$1 instance_port
  instance_port=$(free_port)
  # One data directory for both: an upload or tip photo taken by one is served by the other.
  mkdir -p "$dir/data"
  ZENDER_ADDR="127.0.0.1:$instance_port" ZENDER_DATA_DIR="$dir/data" \
    "$root/target/release/zender" >"$dir/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do
    if curl -fs "http://127.0.0.1:$instance_port/readyz" >/dev/null 2>&1; then
      echo "$name $instance_port $pid" >>"$dir/instances"
      say "Instance $name on 127.0.0.1:$instance_port (log: $dir/$name.log)"
      return
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "Instance $name did not start; its log:" >&2
  tail -n 20 "$dir/$name.log" >&2
  exit 1
}
# One after the other: the first migrates and loads the demo, the second finds it done.
start_instance a
grep -h "Demo-accounts" "$dir/a.log" || true
start_instance b
read -r _ port_a _ < <(sed -n 1p "$dir/instances")
read -r _ port_b _ < <(sed -n 2p "$dir/instances")

# nginx: round robin over both; the live stream unbuffered and long-lived. X-Upstream says
# which instance answered (for the check; harmless to keep).
mkdir -p "$dir/nginx/logs" "$dir/nginx/tmp"
cat >"$dir/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/tmp/body;
  proxy_temp_path $dir/nginx/tmp/proxy;
  fastcgi_temp_path $dir/nginx/tmp/fastcgi;
  uwsgi_temp_path $dir/nginx/tmp/uwsgi;
  scgi_temp_path $dir/nginx/tmp/scgi;
  upstream zender {
    server 127.0.0.1:$port_a max_fails=1 fail_timeout=5s;
    server 127.0.0.1:$port_b max_fails=1 fail_timeout=5s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 600m;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$http_host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    add_header X-Upstream \$upstream_addr always;
    location / {
      proxy_pass http://zender;
    }
    location = /live {
      proxy_pass http://zender;
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
EOF
nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" &
pids=("$!" "${pids[@]}")
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "nginx did not start" >&2; exit 1; }
echo "Zender-cluster draait op http://127.0.0.1:$port/ (stoppen: Ctrl-C)"
# Runs until Ctrl-C. An instance that ends on its own is reported, and the balancer sends its
# readers to the other one.
declare -A reported=()
while :; do
  while read -r name _ pid; do
    if [[ -z "${reported[$name]:-}" ]] && ! kill -0 "$pid" 2>/dev/null; then
      reported[$name]=1
      echo "Instance $name (pid $pid) has stopped; the balancer sends its readers to the other." >&2
    fi
  done <"$dir/instances"
  sleep 1 &
  wait $! || true
done
