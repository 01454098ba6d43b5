-- One endpoint under load for bench.py:
--   wrk -s bench/endpoint.lua URL -- MODE THREADS STATUS [BODY] PATH...
-- MODE "get" walks the paths; "toggle" POSTs to them, each wrk thread to its own
-- share, so two connections never flip the same task at once and every request
-- writes; "quick_add" POSTs a new task's text to the first path every time;
-- "post_json" POSTs BODY, a JSON document, to the first path every time.
-- Cookies, X-CSRFToken, Authorization and HX-Request come from wrk's -H options
-- (a Content-Type given there is replaced by the mode's). Any answer
-- but STATUS counts as unexpected (wrk itself only counts 4xx and 5xx).
-- done() prints one line "BENCH {json}" with the totals and a latency sketch,
-- so bench.py can merge rounds into percentiles over every request.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  mode = args[1]
  local count = tonumber(args[2])
  expected = tonumber(args[3])
  local first = 4
  if mode == "post_json" then
    body = args[4]
    first = 5
  end
  paths = {}
  for i = first, #args do
    if mode ~= "toggle" or (i - first) % count == id then
      paths[#paths + 1] = args[i]
    end
  end
  if #paths == 0 then
    error("no paths for thread " .. id)
  end
  n = 0
  unexpected = 0
  if mode == "post_json" then
    wrk.headers["Content-Type"] = "application/json"
  else
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

function request()
  n = n + 1
  if mode == "quick_add" then
    -- No date or #project: new tasks land in the Inbox, off the measured pages.
    return wrk.format("POST", paths[1], nil, "text=Bench+task+t" .. id .. "n" .. n)
  end
  if mode == "post_json" then
    return wrk.format("POST", paths[1], nil, body)
  end
  local path = paths[(n - 1) % #paths + 1]
  return wrk.format(mode == "toggle" and "POST" or "GET", path)
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  -- wrk's Lua API offers percentiles but not the raw histogram, so print a
  -- fine quantile sketch: each point stands for 1/1000 of the requests.
  local points = {}
  for k = 0, 999 do
    points[#points + 1] = string.format("%d", latency:percentile((k + 0.5) / 10))
  end
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("unexpected")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"unexpected":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"quantiles_us":[%s]}\n',
    summary.requests, summary.duration, summary.bytes, bad,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(points, ",")))
end
