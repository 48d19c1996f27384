#!/usr/bin/env bash
# The file figures of BENCHMARKS.md, rerunnable: bench/files.sh
# Starts `gongkai serve --demo` on a fresh SQLite file with the folder store
# in a temporary directory, then as the demo clerk: uploads a 20 MiB file
# (MiB/s), downloads it (MiB/s), downloads it with 8 clients at once while
# sampling the server's resident memory (peak RSS before and during), and
# attaches a 100-page PDF to a draft (the attach time is mostly the text
# extraction). PROFILE (default release) names the cargo profile.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-release}
target=${CARGO_TARGET_DIR:-target}
gongkai=$target/$profile/gongkai
[ "$profile" = dev ] && gongkai=$target/debug/gongkai
cargo build --profile "$profile" --bin gongkai
work=$(mktemp -d)
port=${PORT:-18977}
base=http://127.0.0.1:$port
"$gongkai" serve --demo --bind 127.0.0.1:$port --database-url "sqlite://$work/g.db?mode=rwc" \
  --file-store "file://$work/files" >"$work/log" 2>&1 &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
for _ in $(seq 120); do curl -sf $base/healthz >/dev/null && break; sleep 1; done
token=$(curl -s $base/graphql -H 'content-type: application/json' \
  -d '{"query":"mutation { login(username: \"nancun.clerk\", password: \"demo-clerk-2026\") { accessToken } }"}' \
  | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
{ printf '%%PDF-1.4\n'; head -c $((20 * 1024 * 1024 - 9)) /dev/urandom; } >"$work/big.pdf"
rss() { grep -E "^$1" /proc/$server/status | awk '{print $2}'; }
up=$(curl -s -o "$work/up.json" -w '%{time_total}' $base/files -H "authorization: Bearer $token" \
  -H 'x-file-name: big.pdf' --data-binary @"$work/big.pdf")
id=$(sed 's/.*"id":"\([^"]*\)".*/\1/' "$work/up.json")
down=$(curl -s -o /dev/null -w '%{time_total}' -H "authorization: Bearer $token" $base/files/$id)
echo "upload 20 MiB: $(echo "20 / $up" | bc -l | cut -c1-6) MiB/s ($up s)"
echo "download 20 MiB: $(echo "20 / $down" | bc -l | cut -c1-6) MiB/s ($down s)"
before=$(rss VmRSS)
peak=$before
clients=()
for _ in $(seq 8); do
  curl -s -o /dev/null --limit-rate "${RATE:-8M}" -H "authorization: Bearer $token" $base/files/$id &
  clients+=($!)
done
running() { for p in "${clients[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while running; do
  now=$(rss VmRSS); [ "$now" -gt "$peak" ] && peak=$now
  sleep 0.1
done
echo "8 clients downloading at once: RSS ${before} kB before, peak ${peak} kB during"
python3 - "$work/hundred.pdf" <<'PY'
import sys
pages, objects = 100, []
def add(body): objects.append(body); return len(objects)
font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
kids, contents = [], []
pages_id = 2 * pages + 2
for n in range(pages):
    text = " ".join(f"(Line {l} of page {n + 1}: the annual report of Nancun, disclosure figures.) Tj 0 -14 Td" for l in range(40))
    stream = f"BT /F1 10 Tf 40 800 Td {text} ET"
    c = add(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /Contents {c} 0 R /Resources << /Font << /F1 {font} 0 R >> >> /MediaBox [0 0 595 842] >>"))
assert add("<< /Type /Pages /Kids [" + " ".join(f"{k} 0 R" for k in kids) + f"] /Count {pages} >>") == pages_id
catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
out, offsets = b"%PDF-1.4\n", []
for i, body in enumerate(objects, 1):
    offsets.append(len(out)); out += f"{i} 0 obj\n{body}\nendobj\n".encode()
xref = len(out)
out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
open(sys.argv[1], "wb").write(out)
PY
pdf=$(curl -s $base/files -H "authorization: Bearer $token" -H 'x-file-name: hundred.pdf' \
  --data-binary @"$work/hundred.pdf" | sed 's/.*"id":"\([^"]*\)".*/\1/')
draft=$(curl -s $base/graphql -H 'content-type: application/json' -H "authorization: Bearer $token" \
  -d '{"query":"{ disclosures(filter: { status: DRAFT }, first: 1) { edges { node { id } } } }"}' \
  | sed 's/.*"id":"\([^"]*\)".*/\1/')
attach=$(curl -s -o "$work/attach.json" -w '%{time_total}' $base/graphql -H 'content-type: application/json' \
  -H "authorization: Bearer $token" \
  -d "{\"query\":\"mutation { attachToDisclosure(disclosureId: \\\"$draft\\\", fileId: \\\"$pdf\\\") { id } }\"}")
grep -q '"attachToDisclosure"' "$work/attach.json" || cat "$work/attach.json"
echo "attach a 100-page PDF (text extraction included): $attach s"
