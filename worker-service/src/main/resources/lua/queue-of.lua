-- Prelude of the scripts that put jobs back on their queues (LuaScript joins it before them).
-- queues_at(k, a, n): the worker's n queues, name to list, from KEYS[k..] and the names in
-- ARGV[a..]. queue_of(job, named): the list the job's "queue" field names when that is one of
-- them, else default's. Souq's envelopes end with it (shared Task's property order), so the tail
-- is read first; other jobs are decoded only while small, so no script stalls Redis on a big job.
-- put_back(list, jobs): pushes jobs taken oldest first to the right end of their queues, so the
-- oldest is taken next.
local DECODE_MAX = 16384
local function queues_at(k, a, n)
  local named = {}
  for i = 0, n - 1 do
    named[ARGV[a + i]] = KEYS[k + i]
  end
  return named
end
local function queue_of(job, named)
  local name = string.match(string.sub(job, -64), '"queue":"([a-z][a-z0-9_-]*)"}%s*$')
  if not name and #job <= DECODE_MAX then
    local ok, decoded = pcall(cjson.decode, job)
    if ok and type(decoded) == 'table' and type(decoded.queue) == 'string' then
      name = decoded.queue
    end
  end
  return named[name] or named['default']
end
local function put_back(jobs, named)
  for i = #jobs, 1, -1 do
    redis.call('RPUSH', queue_of(jobs[i], named), jobs[i])
  end
end
-- let_go(held, paused, inflight, job_type, limit, most, named): unless the type is paused, moves
-- up to most of its held jobs (never more than its free slots when limited) back to their queues,
-- oldest first. Returns how many went.
local function let_go(held, paused, inflight, job_type, limit, most, named)
  if redis.call('SISMEMBER', paused, 'type:' .. job_type) == 1 then
    return 0
  end
  local room = most
  if limit > 0 then
    room = math.min(most, limit - (tonumber(redis.call('HGET', inflight, job_type)) or 0))
  end
  if room <= 0 then
    return 0
  end
  local jobs = redis.call('RPOP', held, room)
  if not jobs then
    return 0
  end
  put_back(jobs, named)
  return #jobs
end
