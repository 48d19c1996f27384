-- wrk script: POSTs the GraphQL request in the file named by the
-- environment variable QUERY_FILE, and counts answers that carry errors.
local file = assert(io.open(os.getenv("QUERY_FILE"), "r"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()

local failed = 0
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failed = failed + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, failed %d, %.1f req/s, median %.2f ms, p99 %.2f ms\n",
    summary.requests, failed, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
