-- wrk script for bench/load.sh: each request picks a random URL from the file named by $URLS_FILE
-- (one path per line), and done() prints errors and latency percentiles as KEY=VALUE lines.
local paths = {}

local function load_paths()
  local name = os.getenv("URLS_FILE") or "urls.txt"
  for line in io.lines(name) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end

load_paths()
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() + (seed or 0) * 7919)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT requests=%d duration_s=%.1f rps=%.1f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("RESULT non_2xx_3xx=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    e.status, socket, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("RESULT latency_ms p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f mean=%.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000))
end
