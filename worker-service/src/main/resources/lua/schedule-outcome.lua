-- Records how a run of a schedule's job ended, on the schedule's state, only if that state exists:
-- a job naming a schedule nobody has configured creates no key.
-- KEYS[1] tasks:schedule:<name>. ARGV[1] 'succeeded', 'failed' (a retry follows) or 'dead',
-- ARGV[2] when (epoch ms), ARGV[3] the error ('' on success), ARGV[4] the job's id.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'last_outcome', ARGV[1], 'last_outcome_at', ARGV[2], 'last_error',
  ARGV[3], 'last_outcome_job_id', ARGV[4])
return 1
