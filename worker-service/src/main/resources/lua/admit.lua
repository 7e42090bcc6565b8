-- Lets a fetched job of a paused or limited type start, or holds it back: a job of a paused type,
-- or of a type with its limit of jobs in flight across all replicas, moves from the processing
-- list to the type's held list, its attempts untouched; release.lua lets it go again. A job of a
-- limited type that starts takes a slot, counted for the type and for this worker (whose slots the
-- reaper gives back if it dies).
-- KEYS[1] processing list, KEYS[2] tasks:paused, KEYS[3] tasks:inflight, KEYS[4] this worker's
-- tasks:slots, KEYS[5] tasks:held:<type>. ARGV[1] the job's exact bytes as fetched, ARGV[2] its
-- type, ARGV[3] the type's limit (0: none). Returns 'run', 'slot' (run, holding a slot) or 'held'.
local function hold()
  redis.call('LREM', KEYS[1], -1, ARGV[1])
  redis.call('LPUSH', KEYS[5], ARGV[1])
  return 'held'
end
if redis.call('SISMEMBER', KEYS[2], 'type:' .. ARGV[2]) == 1 then
  return hold()
end
local limit = tonumber(ARGV[3])
if limit == 0 then
  return 'run'
end
if tonumber(redis.call('HGET', KEYS[3], ARGV[2]) or '0') >= limit then
  return hold()
end
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
redis.call('HINCRBY', KEYS[4], ARGV[2], 1)
return 'slot'
