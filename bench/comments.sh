#!/usr/bin/env bash
# Comment writes under load, and a crash in the middle of them: release build, SQLite with demo
# content, WRITERS (50) concurrent writers posting through the real form (page, token, post) for
# DURATION (60) seconds; at the end the server is killed with `kill -9` while they are still
# writing, then restarted on the same database. Checks: no 5xx during the run, and every comment
# that got a success answer is in the database after the restart. Prints RESULT lines; exits
# non-zero when a check fails.
#
#   bench/comments.sh            (WRITERS and DURATION can be overridden)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/postgres.sh
WRITERS=${WRITERS:-50}
DURATION=${DURATION:-60}

cargo leptos build --release --split --precompress >/dev/null 2>&1 || cargo leptos build --release --split --precompress
cargo build --release -p sse-load --bin comment-load --quiet
data=$(mktemp -d /tmp/zender-bench.XXXXXX)
port=$(free_port)
server=
start_server() {
  # Spam limits off: this measures the write path, not the rate limiter.
  ZENDER_ADDR="127.0.0.1:$port" ZENDER_DATA_DIR="$data" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
    ZENDER_COMMENTS_MIN_SECONDS=0 ZENDER_COMMENTS_PER_CLIENT=1000000000 \
    ZENDER_COMMENTS_PER_EMAIL=1000000000 ZENDER_DEMO=1 target/release/zender >>"$data/server.log" 2>&1 &
  server=$!
  for _ in $(seq 200); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    sleep 0.1
  done
  echo "the server did not start; its log:" >&2
  tail -n 20 "$data/server.log" >&2
  return 1
}
trap 'kill -9 $server 2>/dev/null; rm -rf "$data"' EXIT
start_server
articles=$(curl -fs "http://127.0.0.1:$port/" | grep -o 'class="card-title"><a href="/[^"]*"' |
  sed 's/.*href="//; s/"$//' | sort -u | head -n 12 | paste -sd, -)

# The writers run a little longer than DURATION, so the kill lands in the middle of their work.
target/release/comment-load --addr "127.0.0.1:$port" --writers "$WRITERS" \
  --seconds $((DURATION + 5)) --articles "$articles" --accepted "$data/accepted.txt" \
  >"$data/result.txt" &
client=$!
sleep "$DURATION"
kill -9 "$server"
wait "$server" 2>/dev/null || true
wait "$client" || true
cat "$data/result.txt"

start_server
python3 - "$data/zender.db" "$data/accepted.txt" "$data/result.txt" <<'PY'
import re, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
bodies = {row[0] for row in db.execute("SELECT body FROM comments")}
markers = [line.strip() for line in open(sys.argv[2]) if line.strip()]
missing = [m for m in markers if f"Reactie {m} over dit artikel." not in bodies]
errors = int(re.search(r"(\d+) server errors", open(sys.argv[3]).read()).group(1))
print(f"RESULT crash: {len(markers)} comments answered with success, "
      f"{len(markers) - len(missing)} in the database after kill -9 and restart, "
      f"{len(missing)} missing; {errors} server errors (target: 0 missing, 0 errors)")
sys.exit(1 if missing or errors else 0)
PY
