-- Finishes a batch of jobs that succeeded (or were dropped as repeats): removes each from the
-- processing list (jobs are sent as the exact bytes fetched), counts them per type, forgets the
-- delivery counts of jobs that had been handed back, and marks their idempotency keys done.
-- KEYS[1] processing list, KEYS[2] tasks:stats, KEYS[3] tasks:deliveries, KEYS[4..] idempotency
-- keys. ARGV[1] idempotency window ms, ARGV[2] n jobs, then n jobs, then m, then m (field, count)
-- pairs for tasks:stats, then d, then d delivery fields, then one done-mark per idempotency key.
local n = tonumber(ARGV[2])
for i = 3, n + 2 do
  redis.call('LREM', KEYS[1], -1, ARGV[i])
end
local m = tonumber(ARGV[n + 3])
for i = 0, m - 1 do
  redis.call('HINCRBY', KEYS[2], ARGV[n + 4 + 2 * i], ARGV[n + 5 + 2 * i])
end
local d = tonumber(ARGV[n + 4 + 2 * m])
local first = n + 5 + 2 * m
if d > 0 then
  redis.call('HDEL', KEYS[3], unpack(ARGV, first, first + d - 1))
end
local marks = first + d
for k = 4, #KEYS do
  redis.call('SET', KEYS[k], ARGV[marks + k - 4], 'PX', ARGV[1])
end
return n
