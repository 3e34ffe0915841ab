-- wrk script of bench/ingest.py: every request PUTs a new highlight (a fresh UUID,
-- so every request is an insert) with one of the bodies of the file INGEST_BODIES
-- (one JSON body a line). INGEST_TOKENS holds the API tokens, comma-separated
-- (requests take them in turn: one token per user), INGEST_NONCE 8 hex digits that
-- make this run's UUIDs its own. done() prints one line, WRK_RESULT {json}.

local threads, count = {}, 0
local bodies, tokens, sent = {}, {}, 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("INGEST_BODIES")) do
    bodies[#bodies + 1] = line
  end
  for token in string.gmatch(os.getenv("INGEST_TOKENS"), "[^,]+") do
    tokens[#tokens + 1] = token
  end
  wrk.method = "PUT"
  non2xx, first_failure = 0, ""
end

function request()
  sent = sent + 1
  local uuid = string.format("%s-%04x-4000-8000-%012x", os.getenv("INGEST_NONCE"), id, sent)
  local headers = {["Content-Type"] = "application/json",
                   ["Authorization"] = "Bearer " .. tokens[(sent + id) % #tokens + 1]}
  return wrk.format(nil, "/api/v1/highlights/" .. uuid, headers, bodies[(sent + id * 997) % #bodies + 1])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_failure == "" then
      first_failure = string.gsub(status .. " " .. string.sub(body, 1, 300), '[%c"\\]', "?")
    end
  end
end

function done(summary, latency, requests)
  local failed, failure = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("non2xx")
    if failure == "" then failure = thread:get("first_failure") end
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non2xx": %d, "socket_errors": %d, "first_failure": "%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, failed,
    errors.connect + errors.read + errors.write + errors.timeout, failure))
end
