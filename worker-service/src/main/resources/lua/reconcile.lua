-- Puts a type's books right, on every replica now and then: its count in tasks:inflight becomes
-- the slots the live workers' tasks:slots say they hold (a give-back lost to a crash, or a reaper
-- that knew no slots, leaves it too high for good otherwise), and its held jobs go back to their
-- queues as far as it is not paused and has free slots (a resume or a give-back cut short, a limit
-- removed by configuration). The count and the let-go are one step, so no admit runs between.
-- KEYS[1] tasks:inflight, KEYS[2] tasks:paused, KEYS[3] tasks:held:<type>, KEYS[4..3+q] the
-- queues' lists, KEYS[4+q..] the tasks:slots of every worker in tasks:workers. ARGV[1] the type,
-- ARGV[2] its limit (0: none), ARGV[3] most held jobs to let go, ARGV[4] q, ARGV[5..] the queues'
-- names. Returns how many held jobs went back.
local job_type, q = ARGV[1], tonumber(ARGV[4])
local held = 0
for k = 4 + q, #KEYS do
  for _, owner in ipairs(redis.call('HVALS', KEYS[k])) do
    if owner == job_type then
      held = held + 1
    end
  end
end
if held > 0 then
  redis.call('HSET', KEYS[1], job_type, held)
else
  redis.call('HDEL', KEYS[1], job_type)
end
return let_go(KEYS[3], KEYS[2], KEYS[1], job_type, tonumber(ARGV[2]), tonumber(ARGV[3]),
  queues_at(4, 5, q))
