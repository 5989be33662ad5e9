-- wrk script for bench/checkin_create.py: POST one JSON check-in per request.
-- BENCH_TOKEN (optional) is sent as a bearer token. At the end it prints one line,
-- "BENCH {json}", with the counts and latency percentiles (microseconds).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or '{"pain": 4, "note": "benchmark"}'
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "non2xx": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
