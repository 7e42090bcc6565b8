-- Takes a failed job out of the processing list and schedules it again on tasks:delayed, releasing
-- its idempotency claim so the retry may run.
-- KEYS[1] processing list, KEYS[2] tasks:delayed, KEYS[3] tasks:stats, KEYS[4] idempotency key
-- (optional). ARGV[1] the job as it was fetched, ARGV[2] the job to retry, ARGV[3] due time ms,
-- ARGV[4] this job's claim mark, ARGV[5..] tasks:stats fields to count.
redis.call('LREM', KEYS[1], -1, ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
for i = 5, #ARGV do
  redis.call('HINCRBY', KEYS[3], ARGV[i], 1)
end
if KEYS[4] and redis.call('GET', KEYS[4]) == ARGV[4] then
  redis.call('DEL', KEYS[4])
end
return 1
