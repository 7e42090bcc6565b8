-- Gives back the slot a job of a limited type held (once: a second call finds no slot, as after
-- the reaper gave it back already) and lets as many held jobs of the type go back to the front of
-- their queues as there are free slots (let_go in queue-of.lua).
-- KEYS[1] tasks:inflight, KEYS[2] the worker's tasks:slots, KEYS[3] tasks:paused, KEYS[4]
-- tasks:held:<type>, KEYS[5..] the queues' lists. ARGV[1] the type, ARGV[2] the SHA-1 of the job
-- that held the slot, ARGV[3] the type's limit, ARGV[4..] the queues' names.
-- Returns how many held jobs went back.
if redis.call('HDEL', KEYS[2], ARGV[2]) == 1 then
  if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then
    redis.call('HDEL', KEYS[1], ARGV[1])
  end
end
return let_go(KEYS[4], KEYS[3], KEYS[1], ARGV[1], tonumber(ARGV[3]), 1000,
  queues_at(5, 4, #KEYS - 4))
