-- wrk script for every case: prints one line `BENCH_RESULT {json}` at the end.
-- Counts every response outside 200-299 itself: wrk's own error count leaves out 3xx, and a
-- redirect to /login would otherwise pass for a rendered page.
--
-- Environment:
--   BENCH_METHOD, BENCH_BODY   method and body of every request (default: GET, none)
--   BENCH_TOGGLE_IDS           "1,2,3": alternate PATCH <base>/todos/<id> (rotating over the ids,
--                              flipping is_done each round) with GET <base>/todos
--   BENCH_TOGGLE_BASE          the API prefix for the toggle requests, e.g. /api
--   BENCH_ACTION_BODIES        bodies of a server action, one per line: POST them in turn (the
--                              method, path and headers are wrk's), each `@KEY@` replaced by a
--                              fresh UUID (the change's idempotency key, so that none is a replay)
--   BENCH_ACTION_SEQ           "first:count": each `@SEQ@` in a body is the next of `count` ids from
--                              `first` on, walked by all threads together (BENCH_THREADS of them),
--                              so that each is used once (until they run out and start again)
--   BENCH_EXPECT               a 2xx response whose body lacks this text counts as refused (an
--                              action answers 200 with its result, applied or not)

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
local bodies = {}
local seq_first, seq_count, thread_count = 0, 1, 1
local expect = nil

local function uuid()
  local r = math.random
  return string.format('%04x%04x-%04x-4%03x-%04x-%04x%04x%04x',
    r(0, 0xffff), r(0, 0xffff), r(0, 0xffff), r(0, 0xfff), r(0x8000, 0xbfff), r(0, 0xffff), r(0, 0xffff), r(0, 0xffff))
end

local function action_request()
  step = step + 1
  local body = bodies[(step - 1 + thread_id * 7) % #bodies + 1]
  local id = seq_first + ((step - 1) * thread_count + thread_id) % seq_count
  return wrk.format(nil, nil, nil, (body:gsub('@KEY@', uuid()):gsub('@SEQ@', tostring(id))))
end

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
  local action = os.getenv('BENCH_ACTION_BODIES')
  if action and action ~= '' then
    for line in string.gmatch(action, '[^\n]+') do table.insert(bodies, line) end
    -- Seeded from the kernel: runs started in the same second (the slices, the cases) must not
    -- repeat each other's keys, or the app rightly answers them as replays or conflicts.
    local urandom = io.open('/dev/urandom', 'rb')
    local b1, b2, b3, b4 = urandom:read(4):byte(1, 4)
    urandom:close()
    math.randomseed(((b1 * 256 + b2) * 256 + b3) * 128 + b4 % 128 + thread_id)
    request = action_request
    local seq = os.getenv('BENCH_ACTION_SEQ')
    if seq and seq ~= '' then
      local first, count = string.match(seq, '(%d+):(%d+)')
      seq_first, seq_count = tonumber(first), tonumber(count)
      thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")
    end
  end
  local wanted = os.getenv('BENCH_EXPECT')
  if wanted and wanted ~= '' then expect = wanted end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  elseif expect and not (body and string.find(body, expect, 1, true)) then
    non2xx = non2xx + 1
  end
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
