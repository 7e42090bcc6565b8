-- Finishes a batch of jobs that succeeded (or were dropped as repeats): removes each from the
-- processing list (jobs are sent as the exact bytes fetched), counts them per type, forgets the
-- delivery counts of jobs that had been handed back, and marks their idempotency keys done.
-- A held job is counted only if this call removed it: a batch sent again after its reply was lost
-- (or merged into the next) finds it gone and does not count it twice.
-- KEYS[1] processing list, KEYS[2] tasks:stats, KEYS[3] tasks:deliveries, KEYS[4..] idempotency
-- keys. ARGV[1] idempotency window ms, ARGV[2] n held jobs, then n jobs, then their n stat fields,
-- then m, then m (field, count) pairs for jobs no list holds (brpop mode), then d, then d delivery
-- fields, then one done-mark per idempotency key.
local n = tonumber(ARGV[2])
local counts = {}
for i = 1, n do
  if redis.call('LREM', KEYS[1], -1, ARGV[2 + i]) > 0 then
    local field = ARGV[2 + n + i]
    counts[field] = (counts[field] or 0) + 1
    if string.sub(field, 1, 10) == 'processed:' then
      counts['processed'] = (counts['processed'] or 0) + 1
    end
  end
end
for field, count in pairs(counts) do
  redis.call('HINCRBY', KEYS[2], field, count)
end
local m = tonumber(ARGV[2 * n + 3])
for i = 0, m - 1 do
  redis.call('HINCRBY', KEYS[2], ARGV[2 * n + 4 + 2 * i], ARGV[2 * n + 5 + 2 * i])
end
local d = tonumber(ARGV[2 * n + 4 + 2 * m])
local first = 2 * n + 5 + 2 * m
if d > 0 then
  redis.call('HDEL', KEYS[3], unpack(ARGV, first, first + d - 1))
end
local marks = first + d
for k = 4, #KEYS do
  redis.call('SET', KEYS[k], ARGV[marks + k - 4], 'PX', ARGV[1])
end
return n
