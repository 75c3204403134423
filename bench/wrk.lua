-- wrk script for bench/run.py.
--
-- With BENCH_QUERIES set to a file of request paths (one a line), each thread cycles through
-- them, starting at a different place; without it, wrk requests the URL it was given.
-- Headers given to wrk with -H (a signed-in reader's Cookie) go with every request either way:
-- wrk.format adds wrk.headers.
-- done() prints one machine-readable line that run.py parses:
--   BENCH_RESULT {"requests": ..., "rps": ..., "p50_ms": ..., ...}

local paths = nil
local queries_file = os.getenv("BENCH_QUERIES")
if queries_file and queries_file ~= "" then
  paths = {}
  for line in io.lines(queries_file) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
end

local thread_count = 0

function setup(thread)
  -- Runs in the main state, once per thread: spread the threads over the list.
  thread:set("start_at", thread_count * 997)
  thread_count = thread_count + 1
end

if paths then
  local position = nil

  request = function()
    if position == nil then
      position = (start_at or 0) % #paths
    end
    position = position % #paths + 1
    return wrk.format("GET", paths[position])
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local seconds = summary.duration / 1000000
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "non_2xx_3xx": %d, "socket_errors": %d, ' ..
    '"distinct_paths": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    paths and #paths or 1
  ))
end
