-- Moves delayed jobs and retries that are due by Redis's clock (the one paced jobs are scheduled
-- by) to their queues (queue-of.lua), atomically, so any number of replicas may run it at once
-- without moving a job twice. Returns how many moved.
-- KEYS[1] tasks:delayed, KEYS[2..] the queues' lists. ARGV[1] most jobs to move, ARGV[2..] the
-- queues' names (as KEYS[2..]).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, ARGV[1])
if #due == 0 then
  return 0
end
local named = queues_at(2, 2, #KEYS - 1)
for _, job in ipairs(due) do
  redis.call('LPUSH', queue_of(job, named), job)
end
for i = 1, #due, 1000 do
  redis.call('ZREM', KEYS[1], unpack(due, i, math.min(i + 999, #due)))
end
return #due
