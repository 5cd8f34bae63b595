-- wrk's --latency prints the 50th, 75th, 90th and 99th percentiles only; the
-- benchmark also wants the 95th. done() runs once after the run with all threads'
-- latencies merged, and prints one line that bench/load.py reads.
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d "
      .. "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
