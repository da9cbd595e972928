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
#
# Then the same again with calamity mode on (switched on through the newsroom), an official
# message every 5 s besides the ticker posts, and /calamiteit among the pages: the same targets,
# and the worst delay until a message shows on both the home page and /calamiteit. Last,
# /calamiteit against nginx (Debian package) serving the very same bytes, identity and brotli,
# interleaved (this machine's speed drifts, so only the ratio means something): target >= 0.8x.
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
work=$(mktemp -d /tmp/zender-spike.XXXXXX)
port=$(free_port)
ZENDER_ADDR="127.0.0.1:$port" ZENDER_DATA_DIR="$work/data" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
  ZENDER_DEMO=1 ZENDER_DEMO_PASSWORD="$PASSWORD" env ${SPIKE_ENV:-} target/release/zender >"$work/server.log" 2>&1 &
server=$!
nginx_pid=
trap 'kill $server $nginx_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
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
cat >"$work/spread.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("SPIKE_URLS")) do paths[#paths + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], {["Accept-Encoding"] = "br"})
end
LUA

# The editor, posting through the newsroom once a second and timing when the home page (a
# request as a new reader makes it) first shows each post. In "calamity" mode it first switches
# calamity mode on, and every fifth second also posts an official message and times when both
# the home page and /calamiteit show it.
cat >"$work/editor.py" <<'PY'
import http.cookiejar, os, re, sys, time, urllib.parse, urllib.request

base, password, seconds, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
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

def shown(text, path, posted):
    """Seconds from `posted` until a fresh load of `path` shows `text` (infinite after 10 s)."""
    while True:
        if text in reader.open(base + path, timeout=10).read().decode():
            return time.monotonic() - posted
        if time.monotonic() - posted > 10:
            return float("inf")

post("/redactie/inloggen", {"email": "redactie@lindewijk.example", "wachtwoord": password})
calamity = None
if mode == "calamity":
    post("/redactie/calamiteit/aan", {"titel": "Spiketest: grote brand", "gebieden": "Lindewijk",
         "liveblog": "", "stream": "", "licht": "1", "bevestigd": "1", "woord": "AAN"})
    desk = editor.open(base + "/redactie/calamiteit", timeout=10).read().decode()
    calamity = re.search(r'name="calamiteit" value="(\d+)"', desk).group(1)
delays, messages, end = [], [], time.monotonic() + seconds
n = 0
while time.monotonic() < end:
    n += 1
    started = time.monotonic()
    text = f"Spikebericht {n} {os.getpid()}"
    post("/redactie/live/ticker", {"bericht": text, "link": "", "verloopt": ""})
    delays.append(shown(text, "/", time.monotonic()))
    if calamity and n % 5 == 0:
        message = f"Officieel spikebericht {n} {os.getpid()}"
        post("/redactie/calamiteit/berichten", {"calamiteit": calamity, "overheid": "gemeente",
             "bron": "Gemeente Lindewijk", "tijd": "", "tekst": message})
        posted = time.monotonic()
        messages.append(max(shown(message, "/", posted), shown(message, "/calamiteit", posted)))
    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
worst_message = max(messages) * 1000 if messages else 0
print(f"{len(delays)} {max(delays) * 1000:.0f} {len(messages)} {worst_message:.0f}")
PY

# spike LABEL MODE: wrk over the pages while the editor posts; prints one result line.
spike() {
  local label=$1 mode=$2
  SPIKE_URLS="$work/urls" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s "$work/spread.lua" "$base" >"$work/wrk.txt" &
  local load=$!
  sleep 1
  local posts worst messages worst_message
  read -r posts worst messages worst_message < <(python3 "$work/editor.py" "$base" "$PASSWORD" $((DURATION - 3)) "$mode")
  wait $load
  cat "$work/wrk.txt"
  local peak_kb rps p99 non2xx errors official=""
  peak_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server/status")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
  errors=$(awk '/Socket errors/ {sub(/.*connect /, ""); gsub(/[a-z,]+/, " "); n = 0; split($0, a, " "); for (i in a) n += a[i]; print n}' "$work/wrk.txt")
  if [[ $mode == calamity ]]; then
    official=", worst message-to-page delay ${worst_message} ms over ${messages} official messages (home and /calamiteit)"
  fi
  echo
  echo "RESULT $label: ${rps} requests/s, p99 ${p99}, errors $((${non2xx:-0} + ${errors:-0})), peak RSS $((peak_kb / 1024)) MB, worst post-to-page delay ${worst} ms over ${posts} posts${official} (target >= 15000 req/s, p99 <= 50ms, 0 errors, RSS <= 150 MB, delay <= 1000 ms)"
}

spike spike ticker
echo
echo "Calamity mode on"
echo /calamiteit >>"$work/urls"
spike "spike in calamity mode" calamity

# /calamiteit against nginx serving the bytes Zender sends, as files (identity and brotli).
mkdir -p "$work/nginx/html" "$work/nginx/logs"
curl -fs "$base/calamiteit" -o "$work/nginx/html/calamiteit.html"
curl -fs -H 'Accept-Encoding: br' "$base/calamiteit" -o "$work/nginx/html/calamiteit.html.br"
# nginx's workers run as an unprivileged user: let them read the files.
chmod 755 "$work"
chmod -R a+rX "$work/nginx"
nginx_port=$(free_port)
cat >"$work/nginx/nginx.conf" <<CONF
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
    location = /page { default_type "text/html; charset=utf-8"; try_files /calamiteit.html =404; }
    location = /page.br {
      default_type "text/html; charset=utf-8";
      add_header Content-Encoding br;
      try_files /calamiteit.html.br =404;
    }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$nginx_port/page" >/dev/null && break; sleep 0.1; done
echo
echo "/calamiteit: $(wc -c <"$work/nginx/html/calamiteit.html") B identity, $(wc -c <"$work/nginx/html/calamiteit.html.br") B brotli, as Zender sends them"
rate() {
  wrk -t"$THREADS" -c50 -d10s "$@" | awk '/^Requests\/sec:/ {print $2}'
}
for round in 1 2; do
  zi=$(rate "$base/calamiteit")
  ni=$(rate "http://127.0.0.1:$nginx_port/page")
  zb=$(rate -H 'Accept-Encoding: br' "$base/calamiteit")
  nb=$(rate "http://127.0.0.1:$nginx_port/page.br")
  printf '  round %s: identity zender %.0f, nginx %.0f req/s; brotli zender %.0f, nginx %.0f req/s\n' \
    "$round" "$zi" "$ni" "$zb" "$nb"
  echo "$zi $ni $zb $nb" >>"$work/ratios"
done
awk '{zi += $1; ni += $2; zb += $3; nb += $4} END {
  printf "RESULT /calamiteit: identity %.2fx nginx (%.0f / %.0f req/s), brotli %.2fx nginx (%.0f / %.0f req/s) (target >= 0.8x)\n", zi / ni, zi / NR, ni / NR, zb / nb, zb / NR, nb / NR
}' "$work/ratios"
