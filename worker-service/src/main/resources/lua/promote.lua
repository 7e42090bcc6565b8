-- Moves delayed jobs and retries that are due to their queues (queue-of.lua), atomically, so any
-- number of replicas may run it at once without moving a job twice. Returns how many moved.
-- KEYS[1] tasks:delayed, KEYS[2..] the queues' lists. ARGV[1] now ms, ARGV[2] most jobs to move,
-- ARGV[3] most bytes of a job read for its queue, ARGV[4..] the queues' names (as KEYS[2..]).
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due == 0 then
  return 0
end
local named = queues_at(2, 4, #KEYS - 1)
local max_bytes = tonumber(ARGV[3])
for _, job in ipairs(due) do
  redis.call('LPUSH', queue_of(job, named, max_bytes), job)
end
for i = 1, #due, 1000 do
  redis.call('ZREM', KEYS[1], unpack(due, i, math.min(i + 999, #due)))
end
return #due
