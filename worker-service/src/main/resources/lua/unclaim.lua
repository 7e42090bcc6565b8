-- Ends a claim that a run past its time limit kept (claim.lua) once that run has ended, if this
-- delivery still holds it: marked done (ARGV[2], for ARGV[3] ms) if the run succeeded after all, so
-- its retry is dropped as a duplicate; else given up, so the retry may run.
-- KEYS[1] idempotency key. ARGV[1] the delivery's mark, ARGV[2] 'done:<job id>' or '', ARGV[3] the
-- idempotency window ms. Returns 1, or 0 if the claim was no longer this delivery's.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
return 1
