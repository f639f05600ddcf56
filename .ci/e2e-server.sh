#!/usr/bin/env bash
# The server the end-to-end tests drive: the built binary, a fresh SQLite
# database with demo data, on its own port.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${TMPDIR:-/tmp}/heard-e2e-$$.db"
uploads="${TMPDIR:-/tmp}/heard-e2e-uploads-$$"
key="${TMPDIR:-/tmp}/heard-e2e-feed-$$.key"
rm -rf "$db" "$db-wal" "$db-shm" "$uploads" "$key"
trap 'rm -rf "$db" "$db-wal" "$db-shm" "$uploads" "$key"' EXIT
export DATABASE_URL="sqlite://$db" HEARD_UPLOADS_DIR="$uploads" HEARD_ADDR="${E2E_ADDR:-127.0.0.1:3111}" LEPTOS_SITE_ROOT=target/site-test RUST_LOG=warn
# The same heard is a local instance with a signed feed and the national hub
# it feeds (and imports national questions from), so one server shows both
# ends of the national feed.
target/debug/heard feed keygen --out "$key" >/dev/null 2>&1
export HEARD_HUB=true HEARD_HUB_URL="http://$HEARD_ADDR" HEARD_FEED_KEY="$key" \
  HEARD_FEED_TOKEN=e2e-feed-token-that-only-the-hub-knows HEARD_INSTANCE_ID=e2e HEARD_INSTANCE_NAME="This heard"
target/debug/heard demo >/dev/null
exec target/debug/heard serve
