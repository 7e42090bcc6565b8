-- Returns the jobs of a worker whose heartbeat is gone to the right end of the queue (next to be
-- taken), oldest first, and forgets the worker. Atomic, so every replica may run it at once.
-- A job handed back after its worker died has its delivery count raised (field: the SHA-1 of its
-- bytes), so a job that kills every worker that runs it is dead-lettered after a few rounds; a
-- worker returning its own leftovers at a clean shutdown does not count them. Copies of the same
-- bytes share a count, raised once per hand-back: one crash is one delivery of each distinct job.
-- KEYS[1] its heartbeat, KEYS[2] its processing list, KEYS[3] tasks, KEYS[4] tasks:workers,
-- KEYS[5] tasks:deliveries. ARGV[1] its id, ARGV[2] '1' to count deliveries, ARGV[3] how long
-- (ms) the counts are kept after the last hand-back. Returns how many jobs went back, or -1 if
-- the worker is alive.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return -1
end
local jobs = redis.call('LRANGE', KEYS[2], 0, -1)
if ARGV[2] == '1' and #jobs > 0 then
  local counted = {}
  for _, job in ipairs(jobs) do
    local sha = redis.sha1hex(job)
    if not counted[sha] then
      counted[sha] = true
      redis.call('HINCRBY', KEYS[5], sha, 1)
    end
  end
  redis.call('PEXPIRE', KEYS[5], ARGV[3])
end
for i = 1, #jobs, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(jobs, i, math.min(i + 999, #jobs)))
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[4], ARGV[1])
return #jobs
