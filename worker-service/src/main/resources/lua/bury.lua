-- Moves a job to the dead letters with its reason, counts it, trims the oldest dead letters past
-- the limit, forgets its delivery count and releases its idempotency claim (an operator may retry).
-- KEYS[1] processing list, KEYS[2] tasks:dead, KEYS[3] tasks:stats, KEYS[4] tasks:deliveries,
-- KEYS[5] idempotency key (optional). ARGV[1] the job's exact bytes as fetched, ARGV[2] the dead
-- letter, ARGV[3] most dead letters kept, ARGV[4] this job's claim mark, ARGV[5] its delivery
-- field ('' if it was never handed back), ARGV[6..] tasks:stats fields to count.
redis.call('LREM', KEYS[1], -1, ARGV[1])
redis.call('LPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
for i = 6, #ARGV do
  redis.call('HINCRBY', KEYS[3], ARGV[i], 1)
end
if ARGV[5] ~= '' then
  redis.call('HDEL', KEYS[4], ARGV[5])
end
if KEYS[5] and redis.call('GET', KEYS[5]) == ARGV[4] then
  redis.call('DEL', KEYS[5])
end
return 1
