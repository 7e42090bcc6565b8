-- Lets a fetched job of a paused, paced or limited type start, or holds it back:
-- * a job of a paused type moves from the processing list to the type's held list, its attempts
--   untouched, until the type is resumed;
-- * a paced type (a rate of jobs per second) takes the next free time by GCRA, as rate-limit.lua
--   counts requests: within the burst of a second the job runs now; later, it waits on
--   tasks:delayed until that time, with a ticket (tasks:paced:<type>, by the job's SHA-1) that lets
--   it run then without taking another turn, so a backlog is spread out, not retried over and over;
-- * a job of a limited type runs only while fewer than the limit run across all replicas: it takes
--   a slot (tasks:inflight counts them per type; this worker's tasks:slots names the job holding
--   each, by SHA-1, so the reaper can give them back) or waits on the held list until one frees.
-- Safe to run again after a lost reply: a job no longer in the processing list is 'gone' (already
-- held, paced or reaped), and a job that holds a slot keeps it without taking another. (A job let
-- run within its type's rate takes another turn when asked again: paced a little more, never less.)
-- KEYS[1] processing list, KEYS[2] tasks:paused, KEYS[3] tasks:inflight, KEYS[4] this worker's
-- tasks:slots, KEYS[5] tasks:held:<type>, KEYS[6] tasks:delayed, KEYS[7] tasks:paced:<type>,
-- KEYS[8] the type's GCRA key, KEYS[9] tasks:stats. ARGV[1] the job's exact bytes as fetched,
-- ARGV[2] its type, ARGV[3] the type's limit (0: none), ARGV[4] its rate per second (0: none),
-- ARGV[5] '1' in reliable mode (the job is in the processing list).
-- Returns 'run', 'slot' (run, holding a slot), 'held', 'paced' or 'gone'.
local job, job_type = ARGV[1], ARGV[2]
local sha = redis.sha1hex(job)
local function taken()
  return ARGV[5] ~= '1' or redis.call('LREM', KEYS[1], -1, job) == 1
end
if redis.call('HEXISTS', KEYS[4], sha) == 1 then
  return 'slot'
end
-- Held or paced by a call whose reply was lost: that call's verdict stands. Let run now, the job
-- would also run again from where that call put it.
if ARGV[5] == '1' and not redis.call('LPOS', KEYS[1], job) then
  return 'gone'
end
if redis.call('SISMEMBER', KEYS[2], 'type:' .. job_type) == 1 then
  if not taken() then
    return 'gone'
  end
  redis.call('LPUSH', KEYS[5], job)
  return 'held'
end
local rate = tonumber(ARGV[4])
if rate > 0 and not redis.call('ZSCORE', KEYS[6], job) then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  -- Tickets of jobs that never came back (deleted by hand) go after a day.
  redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', now - 86400000)
  if redis.call('ZREM', KEYS[7], sha) == 0 then
    local window, interval = 1000, 1000 / rate
    local tat = math.max(tonumber(redis.call('GET', KEYS[8])) or now, now)
    if tat + interval - now > window then
      if not taken() then
        return 'gone'
      end
      local due = string.format('%.0f', tat + interval - window)
      redis.call('ZADD', KEYS[6], due, job)
      redis.call('ZADD', KEYS[7], due, sha)
      redis.call('HINCRBY', KEYS[9], 'paced', 1)
      redis.call('HINCRBY', KEYS[9], 'paced:' .. job_type, 1)
    end
    redis.call('SET', KEYS[8], string.format('%.17g', tat + interval), 'PX',
      math.max(1, math.ceil(tat + interval - now)))
    if tat + interval - now > window then
      return 'paced'
    end
  end
end
local limit = tonumber(ARGV[3])
if limit == 0 then
  return 'run'
end
if tonumber(redis.call('HGET', KEYS[3], job_type) or '0') >= limit then
  if not taken() then
    return 'gone'
  end
  redis.call('LPUSH', KEYS[5], job)
  return 'held'
end
redis.call('HINCRBY', KEYS[3], job_type, 1)
redis.call('HSET', KEYS[4], sha, job_type)
return 'slot'
