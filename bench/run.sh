#!/usr/bin/env bash
# Load benchmark over HTTP: 16 concurrent clients per scenario against a
# running gongkai (default http://127.0.0.1:8000), with wrk (apt-get install wrk).
#   bench/run.sh [BASE_URL] [DURATION]
# Fill the database first, e.g.
#   gongkai seed synthetic --database-url "$DATABASE_URL" --organizations 300 --disclosures 1000000
set -euo pipefail
cd "$(dirname "$0")"
base=${1:-http://127.0.0.1:8000}
duration=${2:-30s}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
for scenario in listing search; do
  printf '%-8s ' "$scenario"
  QUERY_FILE="$scenario.json" wrk -t2 -c16 -d"$duration" --latency -s graphql.lua "$base/graphql" | tail -n 1
done
