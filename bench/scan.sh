#!/usr/bin/env bash
# An active scan of a release build on loopback, with tools an attacker would use:
#   - sqlmap (PyPI) against the search, section paging, comment, correction and login forms;
#   - slowhttptest (Debian) in slowloris (slow headers), slow body and slow read modes, while it
#     checks that the site still answers.
# Not part of the test suite (it takes minutes and its tools probe for a living); run it after
# changes to the HTTP layer or storage, and read the summary at the end.
#
#   bench/scan.sh        (SQLMAP_LEVEL, SQLMAP_RISK and SLOW_SECONDS can be overridden)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/postgres.sh
SQLMAP_LEVEL=${SQLMAP_LEVEL:-2}
SQLMAP_RISK=${SQLMAP_RISK:-1}
SLOW_SECONDS=${SLOW_SECONDS:-40}

if ! command -v slowhttptest >/dev/null; then
  if [[ $(id -u) == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slowhttptest >/dev/null
  else
    echo "missing: sudo apt-get install slowhttptest" >&2
    exit 1
  fi
fi
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/zender-scan"
if [[ ! -x "$VENV/bin/sqlmap" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q sqlmap
fi

cargo leptos build --release --split --precompress >/dev/null 2>&1 || cargo leptos build --release --split --precompress
work=$(mktemp -d /tmp/zender-scan.XXXXXX)
pid=
keep=
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if [[ -n "$keep" ]]; then
    echo "logs kept in $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

port=$(free_port)
base="http://127.0.0.1:$port"
# Limits wide open, so every payload reaches the storage instead of a rate limit.
env ZENDER_ADDR="127.0.0.1:$port" ZENDER_DATA_DIR="$work/data" ZENDER_DEMO=1 \
  ZENDER_COMMENTS_MIN_SECONDS=0 ZENDER_COMMENTS_PER_CLIENT=1000000 ZENDER_COMMENTS_PER_EMAIL=1000000 \
  LEPTOS_SITE_ROOT=target/site RUST_LOG=warn target/release/zender >"$work/zender.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -fs "$base/readyz" >/dev/null && break
  sleep 0.1
done

article=$(curl -fs "$base/" | grep -o 'class="card-title"><a href="/[^"]*"' | head -n 1 | sed 's/.*href="//; s/"$//')
page=$(curl -fs "$base$article")
id=$(grep -o 'action="/reageren/[0-9]*"' <<<"$page" | head -n 1 | grep -o '[0-9]*')
token=$(grep -o 'name="geladen" value="[^"]*"' <<<"$page" | head -n 1 | sed 's/.*value="//; s/"$//')
correction_token=$(curl -fs "$base/correctie/$id" | grep -o 'name="geladen" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')

findings=()
sqlmap() {
  local name=$1
  shift
  echo "==> sqlmap: $name"
  "$VENV/bin/sqlmap" --batch --flush-session --level="$SQLMAP_LEVEL" --risk="$SQLMAP_RISK" \
    --technique=BEUST --time-sec=2 --threads=2 --output-dir="$work/sqlmap" \
    --headers="Origin: $base" "$@" >"$work/sqlmap-$name.log" 2>&1 || true
  if grep -qiE "is vulnerable|appears to be .* injectable|might be injectable|Parameter: .* \((GET|POST)\)" "$work/sqlmap-$name.log"; then
    findings+=("sqlmap $name: injectable (see the log)")
    grep -iE "injectable|Parameter:" "$work/sqlmap-$name.log" | head -n 5
  elif grep -q "do not appear to be injectable" "$work/sqlmap-$name.log"; then
    echo "    nothing injectable"
  else
    findings+=("sqlmap $name: did not finish cleanly")
    tail -n 5 "$work/sqlmap-$name.log"
  fi
}

sqlmap search -u "$base/zoeken?q=begroting" -p q
sqlmap paging -u "$base/nieuws?pagina=2" -p pagina
sqlmap comment -u "$base/reageren/$id" -p naam,email,bericht,antwoord \
  --data "naam=Lezer&email=lezer%40voorbeeld.nl&bericht=Een+reactie+om+te+testen.&antwoord=&geladen=$token"
sqlmap correction -u "$base/correctie/$id" -p naam,email,bericht \
  --data "naam=Lezer&email=lezer%40voorbeeld.nl&bericht=Er+staat+een+fout+in+de+tweede+alinea.&geladen=$correction_token"
sqlmap login -u "$base/redactie/inloggen" -p email \
  --data "email=redactie%40lindewijk.example&wachtwoord=geen-wachtwoord"

# slow_mode NAME [ARGS…]: runs slowhttptest and reports whether the site stayed available.
slow_mode() {
  local name=$1
  shift
  echo "==> slowhttptest: $name"
  slowhttptest -l "$SLOW_SECONDS" -c 500 -r 100 -p 3 -o "$work/slow-$name" -g "$@" \
    >"$work/slow-$name.log" 2>&1 || true
  local csv="$work/slow-$name.csv"
  if [[ ! -s "$csv" ]]; then
    findings+=("slowhttptest $name: no report")
    tail -n 5 "$work/slow-$name.log"
    return
  fi
  # Columns: seconds, closed, pending, connected, service available (1/0).
  local down
  down=$(awk -F, 'NR > 1 && $5 == 0 {n++} END {print n + 0}' "$csv")
  local most
  most=$(awk -F, 'NR > 1 && $4 > m {m = $4} END {print m + 0}' "$csv")
  echo "    seconds unavailable: $down, most connections held: $most"
  if ((down > 0)); then
    findings+=("slowhttptest $name: site unavailable for $down s")
  fi
}

slow_mode slowloris -H -i 5 -u "$base/"
slow_mode slow-body -B -i 5 -s 8192 -t POST -u "$base/reageren/$id"
slow_mode slow-read -X -w 10 -y 20 -n 5 -z 32 -k 3 -u "$base$article"

curl -fs --max-time 5 "$base/readyz" >/dev/null || findings+=("the server stopped answering")
grep -E "ERROR|panicked" "$work/zender.log" | head -n 5 | sed 's/^/    server log: /' || true
if grep -qE "ERROR|panicked" "$work/zender.log"; then
  findings+=("the server logged errors (see zender.log)")
fi
echo
if ((${#findings[@]})); then
  keep=1
  printf 'FINDINGS:\n'
  printf '  - %s\n' "${findings[@]}"
  exit 1
fi
echo "scan: no findings (sqlmap: 5 forms, nothing injectable; slowhttptest: 3 modes, always available)"
