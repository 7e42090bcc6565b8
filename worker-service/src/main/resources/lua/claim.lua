-- Claims an idempotency key before a run. Returns 'run' (go), 'duplicate' (a job with this key
-- already finished within the window: drop it) or 'busy' (another job with this key is running).
-- A redelivery of the same job (same mark) may run again: its earlier run never finished.
-- KEYS[1] idempotency key. ARGV[1] this job's claim mark 'run:<id>', ARGV[2] lease ms.
local state = redis.call('GET', KEYS[1])
if state and string.sub(state, 1, 5) == 'done:' then
  return 'duplicate'
end
if state and state ~= ARGV[1] then
  return 'busy'
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'run'
