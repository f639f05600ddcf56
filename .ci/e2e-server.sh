#!/usr/bin/env bash
# The server the end-to-end tests drive: the built binary, a fresh SQLite
# database with demo data, on its own port.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${TMPDIR:-/tmp}/heard-e2e-$$.db"
uploads="${TMPDIR:-/tmp}/heard-e2e-uploads-$$"
rm -rf "$db" "$db-wal" "$db-shm" "$uploads"
trap 'rm -rf "$db" "$db-wal" "$db-shm" "$uploads"' EXIT
export DATABASE_URL="sqlite://$db" HEARD_UPLOADS_DIR="$uploads" HEARD_ADDR="${E2E_ADDR:-127.0.0.1:3111}" LEPTOS_SITE_ROOT=target/site-test RUST_LOG=warn
target/debug/heard demo >/dev/null
exec target/debug/heard serve
