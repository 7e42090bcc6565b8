-- The job next in line on a queue (its right end), for its age: the job itself while it is
-- small, else only its enqueued_at, as {"enqueued_at":"…"} (a producer's job can be bigger than
-- the worker's heap, which reading it whole would exhaust). Souq's envelopes put enqueued_at after
-- the payload (shared Task's property order), so a big job's is sought in its last 4 KiB.
-- KEYS[1] the queue. ARGV[1] the most bytes of a job returned whole.
local job = redis.call('LINDEX', KEYS[1], -1)
if not job or #job <= tonumber(ARGV[1]) then
  return job
end
local at = ''
for found in string.gmatch(string.sub(job, -4096), '"enqueued_at"%s*:%s*"([^"\\]*)"') do
  at = found
end
return '{"enqueued_at":"' .. at .. '"}'
