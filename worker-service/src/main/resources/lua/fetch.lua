-- Reliable fetch of a batch: moves up to ARGV[1] jobs from the right of the queue to the left of
-- this worker's processing list in one atomic step, so a job is always in one of the two lists.
-- KEYS[1] tasks, KEYS[2] tasks:processing:{worker}
local jobs = redis.call('RPOP', KEYS[1], ARGV[1])
if not jobs then
  return {}
end
for i = 1, #jobs, 1000 do
  redis.call('LPUSH', KEYS[2], unpack(jobs, i, math.min(i + 999, #jobs)))
end
return jobs
