#!/usr/bin/env bash
# The reminder figures of BENCHMARKS.md, rerunnable:
#   bench/reminders.sh DATABASE_URL...
# For each database (an empty SQLite file URL or PostgreSQL database):
# loads the synthetic data set (100k applications; DISCLOSURES, default
# 10000, published items, which the sweep does not read), then runs
# `gongkai sweep-reminders` — the first sweep looks at every application,
# the second is idle — and prints both lines. Then 1,000 subscribers on one
# instance (SUBSCRIBERS to change), through the ignored integration test.
# PROFILE (default release) names the cargo profile to build and use.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-release}
target=${CARGO_TARGET_DIR:-target}
gongkai=$target/$profile/gongkai
[ $# -gt 0 ] || { echo "usage: bench/reminders.sh DATABASE_URL..." >&2; exit 1; }
cargo build --profile "$profile" --bin gongkai
for url in "$@"; do
  echo "== $url"
  "$gongkai" seed synthetic --database-url "$url" --applications 100000 \
    --disclosures "${DISCLOSURES:-10000}"
  "$gongkai" sweep-reminders --database-url "$url"
done
echo "== ${SUBSCRIBERS:-1000} subscribers"
GONGKAI_BENCH_SUBSCRIBERS=${SUBSCRIBERS:-1000} cargo test --profile "$profile" --test api \
  thousand_subscribers -- --ignored --nocapture 2>&1 | grep -E "^subscribers:|test result"
