-- Moves delayed jobs and retries that are due to the queue, atomically, so any number of replicas
-- may run it at once without moving a job twice. Returns how many moved.
-- KEYS[1] tasks:delayed, KEYS[2] tasks. ARGV[1] now ms, ARGV[2] most jobs to move.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due == 0 then
  return 0
end
for i = 1, #due, 1000 do
  local last = math.min(i + 999, #due)
  redis.call('LPUSH', KEYS[2], unpack(due, i, last))
  redis.call('ZREM', KEYS[1], unpack(due, i, last))
end
return #due
