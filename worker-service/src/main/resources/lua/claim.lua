-- Claims an idempotency key before a run. Returns 'run' (go), 'duplicate' (a job with this key
-- already finished within the window: drop it) or 'busy' (another delivery with this key runs on a
-- live worker: try again later).
-- A claim belongs to one delivery, 'run@<worker id>#<life>.<n>'. One whose worker's heartbeat no
-- longer holds that life is taken over: that run died with its process (a restart under a fixed
-- WORKER_ID has a life of its own). One of a live process is not, even by a copy of the same job
-- (an LPUSH resent after a lost reply, both copies fetched at once). An earlier version's
-- 'run@<worker id>#<n>' is held while that worker has a heartbeat; a 'run:<job id>' until its
-- lease ends.
-- KEYS[1] idempotency key. ARGV[1] this delivery's mark, ARGV[2] lease ms, ARGV[3] the prefix of
-- the heartbeat keys (on a Cluster in the slot of KEYS[1]: both carry the {tasks} hash tag).
local state = redis.call('GET', KEYS[1])
if state then
  if string.sub(state, 1, 5) == 'done:' then
    return 'duplicate'
  end
  if state ~= ARGV[1] then
    local owner, life = string.match(state, '^run@(.+)#(%x+)%.%d+$')
    if owner then
      if redis.call('GET', ARGV[3] .. owner) == life then
        return 'busy'
      end
    else
      owner = string.match(state, '^run@(.+)#%d+$')
      if not owner or redis.call('EXISTS', ARGV[3] .. owner) == 1 then
        return 'busy'
      end
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'run'
