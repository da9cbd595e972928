#!/usr/bin/env bash
# The whole town opens the site at once: 200 connections over 40 public pages for 30 s (wrk)
# while an editor posts a ticker item every second through the newsroom. Release build, SQLite
# with demo content.
#
#   bench/spike.sh     (CONNECTIONS, DURATION, URLS and THREADS can be overridden; SPIKE_ENV adds
#                       settings for the server, e.g. SPIKE_ENV=ZENDER_PAGE_CACHE_MB=0)
#
# Prints requests/s, p99, errors, the server's peak RSS, and the worst delay between a post
# (its 303 from the newsroom) and the first fresh load of the home page that shows it.
# Targets (2 cores): >= 15,000 req/s, p99 <= 50 ms, 0 errors, RSS <= 150 MB, worst delay <= 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/postgres.sh
CONNECTIONS=${CONNECTIONS:-200}
DURATION=${DURATION:-30}
URLS=${URLS:-40}
THREADS=${THREADS:-2}
PASSWORD=bench-spike-demo-password

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is missing: sudo apt-get install wrk" >&2
    exit 1
  fi
fi

cargo leptos build --release --split --precompress >/dev/null 2>&1 || cargo leptos build --release --split --precompress
work=$(mktemp -d /tmp/zender-spike.XXXXXX)
port=$(free_port)
ZENDER_ADDR="127.0.0.1:$port" ZENDER_DATA_DIR="$work/data" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
  ZENDER_DEMO=1 ZENDER_DEMO_PASSWORD="$PASSWORD" env ${SPIKE_ENV:-} target/release/zender >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
base="http://127.0.0.1:$port"

# The pages a town reads: home, the sections, the articles, tags, feeds; as many as asked for.
{
  echo /
  curl -fs "$base/" | grep -o 'href="/[a-z0-9/-]*"' | sed 's/href="//; s/"$//' | grep -v '^/redactie'
  curl -fs "$base/sitemap.xml" | grep -o '<loc>[^<]*' | sed "s|<loc>[a-z]*://[^/]*||"
  echo /feeds/rss.xml
} | awk '!seen[$0]++' | head -n "$URLS" >"$work/urls"
echo "Pages: $(wc -l <"$work/urls") different public addresses"
cat >"$work/spread.lua" <<'EOF'
local paths = {}
for line in io.lines(os.getenv("SPIKE_URLS")) do paths[#paths + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], {["Accept-Encoding"] = "br"})
end
EOF

# The editor, posting through the newsroom once a second and timing when the home page (a
# request as a new reader makes it) first shows each post.
cat >"$work/editor.py" <<'EOF'
import http.cookiejar, os, sys, time, urllib.parse, urllib.request

base, password, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
jar = http.cookiejar.CookieJar()

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

editor = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
reader = urllib.request.build_opener()

def post(path, fields):
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Origin": base})
    try:
        editor.open(request, timeout=10)
    except urllib.error.HTTPError as answer:
        if answer.code != 303:
            raise

post("/redactie/inloggen", {"email": "redactie@lindewijk.example", "wachtwoord": password})
delays, end = [], time.monotonic() + seconds
n = 0
while time.monotonic() < end:
    n += 1
    text = f"Spikebericht {n} {os.getpid()}"
    started = time.monotonic()
    post("/redactie/live/ticker", {"bericht": text, "link": "", "verloopt": ""})
    posted = time.monotonic()
    while True:
        page = reader.open(base + "/", timeout=10).read().decode()
        if text in page:
            delays.append(time.monotonic() - posted)
            break
        if time.monotonic() - posted > 10:
            delays.append(float("inf"))
            break
    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
print(f"{len(delays)} {max(delays) * 1000:.0f}")
EOF

SPIKE_URLS="$work/urls" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
  -s "$work/spread.lua" "$base" >"$work/wrk.txt" &
load=$!
sleep 1
read -r posts worst < <(python3 "$work/editor.py" "$base" "$PASSWORD" $((DURATION - 3)))
wait $load
cat "$work/wrk.txt"
peak_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server/status")
rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
errors=$(awk '/Socket errors/ {sub(/.*connect /, ""); gsub(/[a-z,]+/, " "); n = 0; split($0, a, " "); for (i in a) n += a[i]; print n}' "$work/wrk.txt")
echo
echo "RESULT spike: ${rps} requests/s, p99 ${p99}, errors $((${non2xx:-0} + ${errors:-0})), peak RSS $((peak_kb / 1024)) MB, worst post-to-page delay ${worst} ms over ${posts} posts (target >= 15000 req/s, p99 <= 50ms, 0 errors, RSS <= 150 MB, delay <= 1000 ms)"
