-- Returns the jobs of a worker whose heartbeat is gone to the right end of their queues
-- (queue-of.lua; next to be taken), oldest first, gives back its slots of limited types and
-- forgets the worker. Atomic, so every replica may run it at once.
-- A job handed back after its worker died has its delivery count raised (field: the SHA-1 of its
-- bytes), so a job that kills every worker that runs it is dead-lettered after a few rounds; a
-- worker returning its own leftovers at a clean shutdown does not count them. Copies of the same
-- bytes share a count, raised once per hand-back: one crash is one delivery of each distinct job.
-- KEYS[1] its heartbeat, KEYS[2] its processing list, KEYS[3] tasks:workers, KEYS[4]
-- tasks:deliveries, KEYS[5] tasks:inflight, KEYS[6] its tasks:slots, KEYS[7..] the queues' lists.
-- ARGV[1] its id, ARGV[2] '1' to count deliveries, ARGV[3] how long (ms) the counts are kept after
-- the last hand-back, ARGV[4..] the queues' names.
-- Returns {jobs returned, {types whose slots it gave back}}, or {-1, {}} if the worker is alive.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {-1, {}}
end
local jobs = redis.call('LRANGE', KEYS[2], 0, -1)
if ARGV[2] == '1' and #jobs > 0 then
  local counted = {}
  for _, job in ipairs(jobs) do
    local sha = redis.sha1hex(job)
    if not counted[sha] then
      counted[sha] = true
      redis.call('HINCRBY', KEYS[4], sha, 1)
    end
  end
  redis.call('PEXPIRE', KEYS[4], ARGV[3])
end
local named = queues_at(7, 4, #KEYS - 6)
for _, job in ipairs(jobs) do
  redis.call('RPUSH', queue_of(job, named), job)
end
local freed, by_type = {}, {}
for _, job_type in ipairs(redis.call('HVALS', KEYS[6])) do
  by_type[job_type] = (by_type[job_type] or 0) + 1
end
for job_type, n in pairs(by_type) do
  if redis.call('HINCRBY', KEYS[5], job_type, -n) <= 0 then
    redis.call('HDEL', KEYS[5], job_type)
  end
  freed[#freed + 1] = job_type
end
redis.call('DEL', KEYS[2], KEYS[6])
redis.call('SREM', KEYS[3], ARGV[1])
return {#jobs, freed}
