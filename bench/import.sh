#!/usr/bin/env bash
# The import figures of BENCHMARKS.md ("Import (issue 16)"), rerunnable:
#   bench/import.sh DATABASE_URL...
# Writes the benchmark spreadsheets (examples/import_bench_files.rs:
# DISCLOSURES rows, default 100000, and APPLICATIONS rows, default 10000, of
# one town BENCH in 2025), then for each EMPTY database (a SQLite file URL
# or a PostgreSQL database): creates the town, imports each file, imports it
# again (every row unchanged) and exports the year back, each timed with
# /usr/bin/time -v (wall clock, peak resident memory). Prints one Markdown
# row per step. BENCH_LOCK names a lock file to hold (flock) while timing,
# so that two measurements on a shared machine never overlap. PROFILE
# (default release) names the cargo profile to build and use.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-release}
target=${CARGO_TARGET_DIR:-target}
gongkai=$target/$profile/gongkai
files=${FILES:-$target/import-bench}
[ $# -gt 0 ] || { echo "usage: bench/import.sh DATABASE_URL..." >&2; exit 1; }
nice -n 19 cargo build --profile "$profile" --bin gongkai --example import_bench_files
"$target/$profile/examples/import_bench_files" "${DISCLOSURES:-100000}" "${APPLICATIONS:-10000}" "$files"
ls -l "$files"

# timed DATABASE STEP COMMAND...: one Markdown row.
timed() {
  local database=$1 step=$2
  shift 2
  local log
  log=$(mktemp)
  local lock=()
  [ -n "${BENCH_LOCK:-}" ] && lock=(flock "$BENCH_LOCK")
  "${lock[@]}" /usr/bin/time -v -o "$log" "$@" >"$log.out" 2>"$log.err" || {
    cat "$log.out" "$log.err" >&2
    exit 1
  }
  local wall rss summary
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  summary=$(grep -E "rows read|wrote" "$log.out" | head -1 | sed 's/.*: \([0-9]* rows read\)/\1/')
  printf '| %s | %s | %s | %s MB | %s |\n' "$database" "$step" "$wall" "$((rss / 1024))" "$summary"
  rm -f "$log" "$log.out" "$log.err"
}

echo "| database | step | wall clock | peak RSS | what it printed |"
echo "|---|---|---|---|---|"
for url in "$@"; do
  case $url in
    sqlite*) database=SQLite ;;
    *) database=PostgreSQL ;;
  esac
  "$gongkai" create-organization --database-url "$url" --code BENCHX --name 基准县人民政府 --kind DISTRICT >/dev/null
  "$gongkai" create-organization --database-url "$url" --code BENCH --name 基准镇人民政府 --kind TOWN \
    --parent BENCHX >/dev/null
  for kind in disclosures applications; do
    file=$files/$kind.xlsx
    timed "$database" "import $kind" "$gongkai" import "$kind" "$file" --organization BENCH --database-url "$url"
    timed "$database" "import $kind again" "$gongkai" import "$kind" "$file" --organization BENCH --database-url "$url"
    timed "$database" "export $kind" "$gongkai" export "$kind" --organization BENCH --year 2025 \
      --out "$files/exported-$kind.xlsx" --database-url "$url"
  done
done
