-- Moves a job to the dead letters with its reason, counts it, trims the oldest dead letters past
-- the limit and releases the job's idempotency claim (an operator may retry it).
-- KEYS[1] processing list, KEYS[2] tasks:dead, KEYS[3] tasks:stats, KEYS[4] idempotency key
-- (optional). ARGV[1] the job as it was fetched, ARGV[2] the dead letter, ARGV[3] most dead
-- letters kept, ARGV[4] this job's claim mark, ARGV[5..] tasks:stats fields to count.
redis.call('LREM', KEYS[1], -1, ARGV[1])
redis.call('LPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
for i = 5, #ARGV do
  redis.call('HINCRBY', KEYS[3], ARGV[i], 1)
end
if KEYS[4] and redis.call('GET', KEYS[4]) == ARGV[4] then
  redis.call('DEL', KEYS[4])
end
return 1
