-- Gives back slots of a limited type and, unless the type is paused, lets held jobs of it go back
-- to the right end of their queues (queue-of.lua), next to be taken: one per slot given back, or
-- a batch when the type is resumed. One at a time the oldest goes; a batch takes the newest of
-- the held list first, pushing each in front of the last, so that across batches the oldest still
-- come out first.
-- KEYS[1] tasks:inflight, KEYS[2] a worker's tasks:slots, KEYS[3] tasks:paused, KEYS[4]
-- tasks:held:<type>, KEYS[5..] the queues' lists. ARGV[1] the type, ARGV[2] slots given back (0:
-- none), ARGV[3] most held jobs to let go, ARGV[4] most bytes of a job read for its queue,
-- ARGV[5..] the queues' names. Returns how many held jobs went back.
local job_type, give, most = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if give > 0 then
  if redis.call('HINCRBY', KEYS[1], job_type, -give) <= 0 then
    redis.call('HDEL', KEYS[1], job_type)
  end
  if redis.call('HINCRBY', KEYS[2], job_type, -give) <= 0 then
    redis.call('HDEL', KEYS[2], job_type)
  end
end
if most == 0 or redis.call('SISMEMBER', KEYS[3], 'type:' .. job_type) == 1 then
  return 0
end
local named = queues_at(5, 5, #KEYS - 4)
local max_bytes = tonumber(ARGV[4])
local moved = 0
while moved < most do
  local job = most == 1 and redis.call('RPOP', KEYS[4]) or redis.call('LPOP', KEYS[4])
  if not job then
    break
  end
  redis.call('RPUSH', queue_of(job, named, max_bytes), job)
  moved = moved + 1
end
return moved
