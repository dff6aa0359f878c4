-- wrk script for every case: prints one line `BENCH_RESULT {json}` at the end.
-- Counts every response outside 200-299 itself: wrk's own error count leaves out 3xx, and a
-- redirect to /login would otherwise pass for a rendered page.
--
-- Environment:
--   BENCH_METHOD, BENCH_BODY   method and body of every request (default: GET, none)
--   BENCH_TOGGLE_IDS           "1,2,3": alternate PATCH <base>/todos/<id> (rotating over the ids,
--                              flipping is_done each round) with GET <base>/todos
--   BENCH_TOGGLE_BASE          the API prefix for the toggle requests, e.g. /api

local threads = {}
local next_thread_id = 0

function setup(thread)
  thread:set('thread_id', next_thread_id)
  next_thread_id = next_thread_id + 1
  table.insert(threads, thread)
end

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

local ids = {}
local base = ''
local step = 0
local patch_headers, read_headers

local function toggle_request()
  step = step + 1
  if step % 2 == 1 then
    local n = (step - 1) / 2
    local id = ids[(n + thread_id * 7) % #ids + 1]
    local done = (math.floor(n / #ids) % 2 == 0) and 'true' or 'false'
    return wrk.format('PATCH', base .. '/todos/' .. id, patch_headers, '{"is_done":' .. done .. '}')
  end
  return wrk.format('GET', base .. '/todos', read_headers, nil)
end

function init(args)
  non2xx = 0
  local method = os.getenv('BENCH_METHOD')
  local body = os.getenv('BENCH_BODY')
  if method and method ~= '' then wrk.method = method end
  if body and body ~= '' then wrk.body = body end
  local toggle = os.getenv('BENCH_TOGGLE_IDS')
  if toggle and toggle ~= '' then
    for id in string.gmatch(toggle, '%d+') do table.insert(ids, id) end
    base = os.getenv('BENCH_TOGGLE_BASE') or ''
    -- wrk.format fills in Content-Length and Host on the table it is given: one table per shape.
    patch_headers = copy(wrk.headers)
    patch_headers['Content-Type'] = 'application/json'
    read_headers = copy(wrk.headers)
    request = toggle_request
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get('non2xx') end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"non2xx":%d,' ..
      '"connect":%d,"read":%d,"write":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), bad,
    e.connect, e.read, e.write, e.timeout))
end
