-- wrk script: POSTs the GraphQL request in the file named by QUERY_FILE,
-- with the bearer token in TOKEN when set, and counts answers that are not
-- 200 or carry errors (each thread counts; `done` adds the threads up).
-- Without QUERY_FILE it GETs the URL as it is (a portal page) and counts
-- the answers that are not 200.
local path = os.getenv("QUERY_FILE")
if path then
  local file = assert(io.open(path, "r"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  wrk.headers["Content-Type"] = "application/json"
  file:close()
end
local token = os.getenv("TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

failed = 0
function response(status, headers, body)
  if status ~= 200 or (path and string.find(body, '"errors"', 1, true)) then
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
