-- Enqueues a schedule's job by hand, now, and records it as the schedule's last run; its next
-- tick stays where it is.
-- KEYS[1] tasks, KEYS[2] tasks:schedule:<name>, KEYS[3] tasks:stats. ARGV[1] the job, ARGV[2] its
-- id, ARGV[3] its type. Returns 1.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'last_run_at', string.format('%.0f', now), 'last_job_id', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'enqueued', 1)
redis.call('HINCRBY', KEYS[3], 'scheduled', 1)
redis.call('HINCRBY', KEYS[3], 'scheduled:' .. ARGV[3], 1)
return 1
