-- Takes a failed job out of the processing list and schedules it again on tasks:delayed, forgetting
-- its delivery count (the retry is a new envelope) and releasing its idempotency claim so the
-- retry may run.
-- KEYS[1] processing list, KEYS[2] tasks:delayed, KEYS[3] tasks:stats, KEYS[4] tasks:deliveries,
-- KEYS[5] idempotency key (optional). ARGV[1] the job's exact bytes as fetched, ARGV[2] the job to
-- retry, ARGV[3] due time ms, ARGV[4] this job's claim mark, ARGV[5] its delivery field ('' if it
-- was never handed back), ARGV[6..] tasks:stats fields to count.
redis.call('LREM', KEYS[1], -1, ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
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
