#!/usr/bin/env bash
# Installs what heard needs to build and test, skipping whatever is already
# there at the right version. Only the package registries are used: crates.io,
# npm and Debian. Usage: .ci/tools.sh [build|test]
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-build}
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# 0.3.11 needs a newer rustc than these machines have; --locked keeps its
# dependencies at versions this rustc builds.
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "0.3.10" ]; then
  say "installing cargo-leptos 0.3.10 (about 17 minutes, once)"
  cargo install cargo-leptos --locked --version 0.3.10
fi

# The wasm-bindgen CLI must match the library in Cargo.lock exactly.
wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb" ]; then
  say "installing wasm-bindgen-cli $wb"
  # Not --locked: its lock file pins a crate the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$wb"
fi

# wasm-opt comes from npm's binaryen (Debian's is too old and breaks the wasm),
# alongside Playwright and axe for the end-to-end tests.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.installed ]; then
  say "installing npm packages (binaryen, Playwright, axe)"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi

# brotli makes the .br copies of the wasm, JS and CSS (a fifth smaller than gzip).
if ! command -v brotli >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    say "installing brotli from Debian"
    apt_install brotli
  else
    say "brotli is missing (apt-get install brotli as root): assets will be served with gzip only"
  fi
fi

if [ "$want" = test ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium from Debian"
    apt_install chromium
  fi
  # A real QR decoder reads the join code a live session draws.
  if ! command -v zbarimg >/dev/null; then
    say "installing zbar-tools (zbarimg) from Debian"
    apt_install zbar-tools
  fi
  # Downloads are checked the way people open them: openpyxl reads the
  # workbooks, LibreOffice (headless) converts them.
  if ! /usr/bin/python3 -c 'import openpyxl' 2>/dev/null || ! command -v soffice >/dev/null; then
    say "installing openpyxl and LibreOffice Calc (headless) from Debian"
    apt_install python3-openpyxl libreoffice-calc-nogui
  fi
  if [ -z "${TEST_POSTGRES_URL:-}" ] && ! command -v pg_ctlcluster >/dev/null; then
    say "installing PostgreSQL from Debian"
    apt_install postgresql
  fi
fi
