-- The jobs a fetch moved into this worker's processing list whose answer never reached the worker
-- (a lost reply). Called only with nothing in flight and no fetch on the wire, so everything the
-- list holds is such a job. Oldest first, at most ARGV[1], each with how often a reaper handed it
-- back after a worker died: fetch.lua's {jobs, counts}, so the worker treats them as one batch.
-- KEYS[1] tasks:processing:{worker}, KEYS[2] tasks:deliveries. ARGV[1] most jobs.
local newest_first = redis.call('LRANGE', KEYS[1], -tonumber(ARGV[1]), -1)
local jobs, counts = {}, {}
for i = #newest_first, 1, -1 do
  local job = newest_first[i]
  jobs[#jobs + 1] = job
  counts[#jobs] = tonumber(redis.call('HGET', KEYS[2], redis.sha1hex(job)) or 0)
end
return {jobs, counts}
