-- wrk script: every request is a GET of a random line of a file of paths (one path per line, ids drawn
-- from the heavy tenant by the bench). Headers come from wrk's own -H options. At the end it prints one
-- JSON line that bench/load.py reads: counts, errors and latency percentiles in microseconds.
--
--   wrk -t1 -c32 -d10s -s bench/wrk/paths.lua http://127.0.0.1:8000 -- bench/data/paths/get_order.txt

local requests = {}

function init(args)
  local file = args[1]
  if file == nil then
    error("usage: wrk ... -s paths.lua URL -- PATHS_FILE")
  end
  for line in io.lines(file) do
    if #line > 0 then
      requests[#requests + 1] = wrk.format("GET", line)
    end
  end
  if #requests == 0 then
    error("no paths in " .. file)
  end
  -- Different threads (and runs) draw different sequences.
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000) % 1000)
end

function request()
  return requests[math.random(#requests)]
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, '
      .. '"timeouts": %d, "status_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
