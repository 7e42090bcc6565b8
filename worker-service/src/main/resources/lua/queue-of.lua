-- Prelude of the scripts that put jobs back on their queues (LuaScript joins it before them).
-- queues_at(k, a, n): the worker's n queues, name to list, from KEYS[k..] and the names in
-- ARGV[a..]. queue_of(job, named, max_bytes): the list the job's "queue" field names when that is
-- one of them, else default's. A job over max_bytes is not decoded: the worker dead-letters it
-- unread anyway, and decoding it would stall Redis.
local function queues_at(k, a, n)
  local named = {}
  for i = 0, n - 1 do
    named[ARGV[a + i]] = KEYS[k + i]
  end
  return named
end
local function queue_of(job, named, max_bytes)
  if #job <= max_bytes then
    local ok, decoded = pcall(cjson.decode, job)
    if ok and type(decoded) == 'table' and type(decoded.queue) == 'string'
        and named[decoded.queue] then
      return named[decoded.queue]
    end
  end
  return named['default']
end
