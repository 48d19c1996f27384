#!/usr/bin/env bash
# The portal in a real browser: starts a gongkai server with the demo data on
# SQLite in a folder of its own (a free port, --bind :0), runs the tests in
# Debian's Chromium, saves the screenshots to target/screenshots/, stops the
# server.
#   tests/browser/run.sh [path/to/gongkai]   (default: target/release/gongkai)
# GONGKAI_URL=http://… skips starting a server and tests that one instead.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
binary="$(realpath -m "${1:-$target_dir/release/gongkai}")"
# Absolute, since the tests run from this folder.
export GONGKAI_SCREENSHOTS="$(realpath -m "${GONGKAI_SCREENSHOTS:-$target_dir/screenshots}")"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

[ -x "$CHROMIUM" ] || { echo "no Chromium at $CHROMIUM (apt-get install chromium fonts-wqy-microhei)"; exit 1; }
(cd "$here" && npm ci --silent --no-audit --no-fund)

server_pid=""
work_dir=""
stop() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [ -n "$work_dir" ] && rm -rf "$work_dir"
}
trap stop EXIT

if [ -z "${GONGKAI_URL:-}" ]; then
  work_dir="$(mktemp -d)"
  "$binary" serve --demo --bind 127.0.0.1:0 \
    --database-url "sqlite://$work_dir/gongkai.db?mode=rwc" --file-store "file://$work_dir/files" \
    >"$work_dir/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 60); do
    GONGKAI_URL="$(grep -o 'http://[^ ]*/graphql' "$work_dir/server.log" | head -n 1 | sed 's|/graphql$||' || true)"
    [ -n "$GONGKAI_URL" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 1
  done
  if [ -z "$GONGKAI_URL" ]; then
    echo "the server did not start:"; cat "$work_dir/server.log"; exit 1
  fi
  export GONGKAI_URL
fi

rm -rf "$GONGKAI_SCREENSHOTS"
echo "browser tests against $GONGKAI_URL (screenshots in $GONGKAI_SCREENSHOTS)"
cd "$here"
node --test --test-concurrency=1 portal.test.mjs
