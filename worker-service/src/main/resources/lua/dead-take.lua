-- Removes one dead letter and, for a retry, queues its job, only if the entry is still there: two
-- operators pressing retry at once queue it once.
-- KEYS[1] tasks:dead, KEYS[2] the job's queue. ARGV[1] the exact entry, ARGV[2] the job to queue ('' to
-- delete only). Returns 1 if taken, 0 if already gone.
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
  return 0
end
if ARGV[2] ~= '' then
  redis.call('LPUSH', KEYS[2], ARGV[2])
end
return 1
