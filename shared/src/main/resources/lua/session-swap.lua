-- Replaces a session's value only if it is still the one read (compare-and-set), so that a change
-- built on what was read never undoes a write made since, such as a cart edited in another tab.
-- KEYS[1] session:<id>. ARGV[1] the value read, ARGV[2] the new value, ARGV[3] its TTL (seconds).
-- Answers 1 if written, 0 if the value changed since it was read (read it again), -1 if it is gone.
local now = redis.call('GET', KEYS[1])
if not now then
  return -1
end
if now ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
