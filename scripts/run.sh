#!/usr/bin/env bash
# Builds Zender (release) and runs it on SQLite with demo content.
#
#   scripts/run.sh
#
# Environment: ZENDER_ADDR (default 127.0.0.1:3000), ZENDER_DATA_DIR (default ./data); see README.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo leptos build --release --split --precompress
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
# The binary loads no demo content unless asked; this script is the demo.
export ZENDER_DEMO="${ZENDER_DEMO:-1}"
exec target/release/zender "$@"
