-- Reliable fetch of a batch: moves up to ARGV[1] jobs from the right of the queue to the left of
-- this worker's processing list in one atomic step, so a job is always in one of the two lists.
-- Answers {jobs, counts}: counts[i] is how often a reaper handed jobs[i] back after its worker
-- died. When no job has been handed back (the usual case) counts is empty and nothing is hashed.
-- Otherwise the batch ends at the first job handed back: the worker runs that one alone, so if it
-- kills the worker again no other job is in the processing list to be counted with it.
-- KEYS[1] tasks, KEYS[2] tasks:processing:{worker}, KEYS[3] tasks:deliveries
if redis.call('EXISTS', KEYS[3]) == 0 then
  local jobs = redis.call('RPOP', KEYS[1], ARGV[1])
  if not jobs then
    return {{}, {}}
  end
  for i = 1, #jobs, 1000 do
    redis.call('LPUSH', KEYS[2], unpack(jobs, i, math.min(i + 999, #jobs)))
  end
  return {jobs, {}}
end
local jobs, counts = {}, {}
for i = 1, tonumber(ARGV[1]) do
  local job = redis.call('RPOP', KEYS[1])
  if not job then
    break
  end
  redis.call('LPUSH', KEYS[2], job)
  jobs[i] = job
  counts[i] = tonumber(redis.call('HGET', KEYS[3], redis.sha1hex(job)) or 0)
  if counts[i] > 0 then
    break
  end
end
return {jobs, counts}
