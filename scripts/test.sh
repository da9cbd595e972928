#!/usr/bin/env bash
# Runs every test: unit, integration on SQLite and PostgreSQL, and Playwright end-to-end in
# Debian's Chromium against a release build.
#
#   scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/postgres.sh

E2E_DATA=$(mktemp -d /tmp/zender-e2e.XXXXXX)
cleanup() {
  stop_test_postgres
  rm -rf "$E2E_DATA"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

if [[ -z "${ZENDER_TEST_POSTGRES_URL:-}" ]]; then
  step "Starting a private PostgreSQL cluster"
  start_test_postgres
fi
export ZENDER_TEST_REQUIRE_POSTGRES=1
# The OASIS schema the CAP alerts are validated against (scripts/setup.sh --test fetches it).
export ZENDER_TEST_CAP_SCHEMA="$PWD/target/cap-schema/CAP-v1.2.xsd"

LOG="$E2E_DATA/test.log"

step "Unit and integration tests (SQLite and PostgreSQL)"
cargo test -p app -p server 2>&1 | tee "$LOG"

step "Release build (server and WASM)"
cargo leptos build --release --split --precompress

step "End-to-end tests (Playwright, Debian Chromium, desktop and mobile)"
export ZENDER_E2E_PORT ZENDER_E2E_CALAMITY_PORT
ZENDER_E2E_PORT=$(free_port)
ZENDER_E2E_CALAMITY_PORT=$(free_port)
while [[ $ZENDER_E2E_CALAMITY_PORT == "$ZENDER_E2E_PORT" ]]; do ZENDER_E2E_CALAMITY_PORT=$(free_port); done
export ZENDER_E2E_DATA_DIR="$E2E_DATA"
export ZENDER_E2E_SERVER="$PWD/target/release/zender"
export LEPTOS_SITE_ROOT="$PWD/target/site"
(cd end2end && npx playwright test) 2>&1 | tee -a "$LOG"

step "Two instances behind nginx (scripts/cluster.sh, scripts/cluster_check.py)"
python3 scripts/cluster_check.py 2>&1 | tee -a "$LOG"

# One closing line over everything that ran.
rust=$(awk '/^test result:/ {sum += $4} END {print sum + 0}' "$LOG")
e2e=$(awk '$2 == "passed" && $1 ~ /^[0-9]+$/ {print $1}' "$LOG" | tail -n 1)
echo
cluster=$(grep -c '^ok  ' "$LOG" || true)
echo "Rust tests: $rust, Playwright tests: ${e2e:-0}, cluster checks: $cluster"
echo "all: $((rust + ${e2e:-0} + cluster)) passed, 0 failed"
