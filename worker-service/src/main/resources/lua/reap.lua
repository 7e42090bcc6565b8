-- Returns the jobs of a worker whose heartbeat is gone to the right end of the queue (next to be
-- taken), oldest first, and forgets the worker. Atomic, so every replica may run it at once.
-- KEYS[1] its heartbeat, KEYS[2] its processing list, KEYS[3] tasks, KEYS[4] tasks:workers.
-- ARGV[1] its id. Returns how many jobs went back, or -1 if the worker is alive.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return -1
end
local jobs = redis.call('LRANGE', KEYS[2], 0, -1)
for i = 1, #jobs, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(jobs, i, math.min(i + 999, #jobs)))
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[4], ARGV[1])
return #jobs
