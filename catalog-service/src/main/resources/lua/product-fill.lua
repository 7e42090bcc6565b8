-- Stores a loaded product only if no write has bumped its version since the load began: a slow
-- reader can never put back a value read before a committed write. The stale copy (served only
-- while PostgreSQL is away) is fenced the same way. Releases the caller's lock.
-- KEYS: value, version, lock, stale copy. ARGV: version seen before the load, json, ttl ms, lock
-- token, stale ttl ms (0: keep no stale copy).
local filled = 0
if (redis.call('GET', KEYS[2]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  if tonumber(ARGV[5]) > 0 then
    redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[5])
  end
  filled = 1
end
if redis.call('GET', KEYS[3]) == ARGV[4] then
  redis.call('DEL', KEYS[3])
end
return filled
