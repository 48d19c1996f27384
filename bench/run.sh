#!/usr/bin/env bash
# Load benchmark over HTTP: the seven scenarios of issue 5, 16 concurrent
# clients each, against a release server it starts on DATABASE_URL; prints
# a Markdown table and the server's peak resident memory.
#   bench/run.sh DATABASE_URL [DURATION] [SCENARIOS...]
# Fill the database first (see BENCHMARKS.md):
#   gongkai seed synthetic --database-url "$DATABASE_URL"
# Needs wrk (apt-get install wrk), curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
database=${1:?usage: bench/run.sh DATABASE_URL [DURATION] [SCENARIOS]}
duration=${2:-20s}
only=${3:-}
bind=127.0.0.1:8800
base="http://$bind"
gongkai=target/release/gongkai
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
[ -x "$gongkai" ] || cargo build --release

# Two staff accounts of the synthetic district (kept once created).
password=bench-password-1
for account in "bench-clerk CLERK SYN0001" "bench-oversight OVERSIGHT SYN"; do
  read -r username role org <<<"$account"
  echo "$password" | "$gongkai" create-user --database-url "$database" --username "$username" \
    --display-name "$username" --role "$role" --organization "$org" --password-stdin \
    >/dev/null 2>&1 || true
done

"$gongkai" serve --database-url "$database" --bind "$bind" --jwt-secret bench-secret-bench-secret-32bytes \
  >/tmp/gongkai-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/readyz" >/dev/null && break
  sleep 0.2
done

graphql() { # token query-json → response
  curl -fs "$base/graphql" -H 'Content-Type: application/json' ${1:+-H "Authorization: Bearer $1"} -d "$2"
}
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
login() {
  graphql "" "{\"query\":\"mutation { login(username: \\\"$1\\\", password: \\\"$password\\\") { accessToken } }\"}" \
    | field 'd["data"]["login"]["accessToken"]'
}
clerk=$(login bench-clerk)
oversight=$(login bench-oversight)
district=$(graphql "" '{"query":"{ organization(code: \"SYN\") { id } }"}' | field 'd["data"]["organization"]["id"]')
category=$(graphql "" '{"query":"{ disclosureCategories { id parent { id } } }"}' \
  | field '[c for c in d["data"]["disclosureCategories"] if c["parent"]][0]["id"]')
index_no=$(graphql "" '{"query":"{ disclosures(first: 1, filter: { year: 2024 }) { edges { node { indexNo } } } }"}' \
  | field 'd["data"]["disclosures"]["edges"][0]["node"]["indexNo"]')
year=$(( $(date +%Y) - 1 ))

scenarios=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$scenarios"' EXIT
query() { # name token graphql
  python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$3" >"$scenarios/$1.json"
  echo "$2" >"$scenarios/$1.token"
}
list_fields='totalCount totalCountIsExact edges { node { id indexNo title publishedAt organization { code name } category { name } } } pageInfo { hasNextPage endCursor }'
query listing "" "{ disclosures(first: 20) { $list_fields } }"
query category-year "" "{ disclosures(first: 20, filter: { categoryId: \"$category\", year: $year }) { $list_fields } }"
query search "" "{ disclosures(first: 20, filter: { search: \"安全\" }, orderBy: RELEVANCE) { $list_fields } }"
query index-number "" "{ disclosure(indexNo: \"$index_no\") { id indexNo title body publishedAt publishDueOn publishedLate organization { name } category { name } } }"
query due-soon "$clerk" "{ applications(first: 20, filter: { dueWithinWorkingDays: 5 }, orderBy: DUE_ON_ASC) { totalCount edges { node { id trackingNo status dueOn workingDaysLeft applicantName } } } }"
query completion-stats "$oversight" "{ completionStats(organizationId: \"$district\", from: \"$year-01-01\", to: \"$year-12-31\") { organization { code name } received carriedOver closed closedOnTime open overdue completionRate onTimeRate medianWorkingDaysToClose closingTimeBands { label count } } }"
query annual-report "$oversight" "{ annualReport(organizationId: \"$district\", year: $year, includeDescendants: true) { rows { label naturalPerson commercialEnterprise researchInstitution socialWelfareOrganization legalServiceOrganization otherOrganization total } markdown } }"

echo "| scenario | requests | failed | req/s | median ms | p99 ms |"
echo "|---|---|---|---|---|---|"
for name in ${only:-listing category-year search index-number due-soon completion-stats annual-report}; do
  printf '| %s ' "$name"
  QUERY_FILE="$scenarios/$name.json" TOKEN=$(cat "$scenarios/$name.token") \
    wrk -t2 -c16 -d"$duration" -s bench/graphql.lua "$base/graphql" | tail -n 1
done
echo "server peak resident memory: $(grep VmHWM /proc/$server/status | awk '{print $2 / 1024 " MiB"}')"
