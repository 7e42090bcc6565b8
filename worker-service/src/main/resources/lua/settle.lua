-- Settles a failed job: takes it out of the processing list and either schedules it again
-- (ARGV[6] 'retry': on tasks:delayed, due at ARGV[3] ms) or buries it (ARGV[6] 'bury': on
-- tasks:dead, which keeps the newest ARGV[3]). Either way it counts the outcome, forgets the job's
-- delivery count (a retry is a new envelope) and releases its idempotency claim, so the retry (or
-- an operator's) may run.
-- Safe to run again after a lost reply: in reliable mode a job no longer in the processing list
-- was settled already (or handed back by a reaper), and nothing is written twice. (Byte-identical
-- copies of one job in the list are one job to it: the retry settles the next copy.)
-- KEYS[1] processing list, KEYS[2] tasks:delayed or tasks:dead, KEYS[3] tasks:stats,
-- KEYS[4] tasks:deliveries, KEYS[5] idempotency key (optional). ARGV[1] the job's exact bytes as
-- fetched, ARGV[2] the job to retry or the dead letter, ARGV[3] as above, ARGV[4] this job's claim
-- mark, ARGV[5] its delivery field ('' if it was never handed back), ARGV[6] 'retry' or 'bury',
-- ARGV[7] '1' in reliable mode (the job is in the processing list), ARGV[8..] tasks:stats fields
-- to count. Returns 1, or 0 if it had been settled.
if ARGV[6] ~= 'retry' and ARGV[6] ~= 'bury' then
  return redis.error_reply('settle: ARGV[6] must be retry or bury')
end
if redis.call('LREM', KEYS[1], -1, ARGV[1]) == 0 and ARGV[7] == '1' then
  return 0
end
if ARGV[6] == 'retry' then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
else
  redis.call('LPUSH', KEYS[2], ARGV[2])
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
end
for i = 8, #ARGV do
  redis.call('HINCRBY', KEYS[3], ARGV[i], 1)
end
if ARGV[5] ~= '' then
  redis.call('HDEL', KEYS[4], ARGV[5])
end
if KEYS[5] and redis.call('GET', KEYS[5]) == ARGV[4] then
  redis.call('DEL', KEYS[5])
end
return 1
