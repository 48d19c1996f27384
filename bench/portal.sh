#!/usr/bin/env bash
# The portal's figures of BENCHMARKS.md ("Portal (issue 13)"), rerunnable:
#   bench/portal.sh DATABASE_URL [DURATION]
# Starts the release server on DATABASE_URL (filled by `gongkai seed
# synthetic`), then measures with wrk (2 threads, 16 clients) the home page
# with a search (/?q=安全) and an item page, each beside the same data over
# POST /graphql: the page's own GraphQL document (read from
# src/http/portal/pages.rs, so the two cannot drift) with the variables the
# page sends. Prints a Markdown table (each scenario's best of ROUNDS,
# default 3) and the cost ratio of each page to its bare API call (req/s of
# the API over req/s of the page, and p99 of the page over p99 of the API). Needs wrk,
# curl and python3; run it under `flock /work/notes/bench.lock` on a shared
# machine.
set -euo pipefail
cd "$(dirname "$0")/.."
database=${1:?usage: bench/portal.sh DATABASE_URL [DURATION]}
duration=${2:-20s}
bind=127.0.0.1:${PORT:-18813}
base="http://$bind"
gongkai=${CARGO_TARGET_DIR:-target}/release/gongkai
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
[ -x "$gongkai" ] || cargo build --release

"$gongkai" serve --database-url "$database" --bind "$bind" --jwt-secret bench-secret-bench-secret-32bytes \
  >/tmp/gongkai-portal-bench.log 2>&1 &
server=$!
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  # Our server, not another one that holds the port.
  kill -0 $server 2>/dev/null || { echo "the server did not start:" >&2; tail -n 3 /tmp/gongkai-portal-bench.log >&2; exit 1; }
  curl -fs "$base/readyz" >/dev/null && break
  sleep 0.2
done

# The page's document and the variables it runs it with, as one request.
request() { # const-name variables-json → file
  python3 - "$1" "$2" >"$work/$1.json" <<'PY'
import json, re, sys
source = open("src/http/portal/pages.rs", encoding="utf-8").read()
document = re.search(r'const ' + sys.argv[1] + r': &str = r#"(.*?)"#;', source, re.S).group(1)
print(json.dumps({"query": document, "variables": json.loads(sys.argv[2])}))
PY
}
search='"search": "安全"'
request HOME "{\"filter\": { $search }, \"order\": \"RELEVANCE\", \"first\": 20}"
item=$(curl -fs "$base/graphql" -H 'Content-Type: application/json' \
  -d '{"query":"{ disclosures(first: 1, filter: { search: \"安全\" }, orderBy: RELEVANCE) { edges { node { id } } } }"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["disclosures"]["edges"][0]["node"]["id"])')
request ITEM "{\"id\": \"$item\"}"

# The machine is shared: the four scenarios run in turn, ROUNDS times, and
# each keeps its best round (the one least disturbed by other work).
rounds=${ROUNDS:-3}
run() { # scenario-number then the wrk arguments
  local n=$1
  shift
  wrk -t2 -c16 -d"$duration" "$@" | tail -n 1 >>"$work/rows.$n"
}
for _ in $(seq "$rounds"); do
  run 0 -s bench/graphql.lua "$base/?q=%E5%AE%89%E5%85%A8"
  QUERY_FILE="$work/HOME.json" TOKEN="" run 1 -s bench/graphql.lua "$base/graphql"
  run 2 -s bench/graphql.lua "$base/disclosures/$item"
  QUERY_FILE="$work/ITEM.json" TOKEN="" run 3 -s bench/graphql.lua "$base/graphql"
done
python3 - "$work" "$item" <<'PY'
import sys
work, item = sys.argv[1], sys.argv[2]
names = ["page `/?q=安全`", "POST /graphql, the home page's document", f"page `/disclosures/{item}`",
         "POST /graphql, the item page's document"]
best = []
for n in range(4):
    rows = [line.split("|") for line in open(f"{work}/rows.{n}") if line.strip()]
    best.append(max(rows, key=lambda r: float(r[3])))
print("| scenario | requests | failed | req/s | median ms | p99 ms |")
print("|---|---|---|---|---|---|")
for name, row in zip(names, best):
    print(f"| {name} |" + "|".join(row[1:]).rstrip())
rate = [float(r[3]) for r in best]
p99 = [float(r[5]) for r in best]
for name, page, api in (("home with a search", 0, 1), ("item", 2, 3)):
    print(f"{name}: the page costs {rate[api] / rate[page]:.2f}x the API call in throughput, "
          f"{p99[page] / p99[api]:.2f}x in p99")
PY
echo "server peak resident memory: $(grep VmHWM /proc/$server/status | awk '{print $2 / 1024 " MiB"}')"
