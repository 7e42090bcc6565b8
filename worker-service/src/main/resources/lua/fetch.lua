-- Reliable fetch of a batch: moves up to ARGV[1] jobs from the right of the queue to the left of
-- this worker's processing list in one atomic step, so a job is always in one of the two lists.
-- Answers {jobs, counts}: counts[i] is how often a reaper handed jobs[i] back after its worker
-- died (empty when no job has been handed back, the usual case: no hashing then).
-- KEYS[1] tasks, KEYS[2] tasks:processing:{worker}, KEYS[3] tasks:deliveries
local jobs = redis.call('RPOP', KEYS[1], ARGV[1])
if not jobs then
  return {{}, {}}
end
for i = 1, #jobs, 1000 do
  redis.call('LPUSH', KEYS[2], unpack(jobs, i, math.min(i + 999, #jobs)))
end
local counts = {}
if redis.call('EXISTS', KEYS[3]) == 1 then
  for i, job in ipairs(jobs) do
    counts[i] = tonumber(redis.call('HGET', KEYS[3], redis.sha1hex(job)) or 0)
  end
end
return {jobs, counts}
