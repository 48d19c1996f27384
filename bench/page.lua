-- wrk script: GETs the page, counts answers that are not 200 (each
-- thread counts; `done` adds the threads up), and prints the row
-- bench/graphql.lua prints.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

failed = 0
function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local failures = 0
  for _, thread in ipairs(threads) do
    failures = failures + thread:get("failed")
  end
  io.write(string.format("| %d | %d | %.0f | %.1f | %.1f |\n",
    summary.requests, failures, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
