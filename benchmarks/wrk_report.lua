-- wrk's done() callback: one machine-readable line for benchmarks/run to parse.
-- Latencies are in microseconds; errors are socket errors (connect, read, write, timeout)
-- plus responses with a status outside 2xx (wrk counts those in errors.status).
-- The session cookie comes from the environment (BENCH_COOKIE), never from the command line.
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.2f p50_us=%d p95_us=%d p99_us=%d max_us=%d "
      .. "mean_us=%.0f connect=%d read=%d write=%d timeout=%d status=%d bytes=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.timeout, e.status, summary.bytes))
end
