-- One round trip per replay: what a user's stream holds after an offset, and where it starts.
-- KEYS: the user's stream, the marker of where user streams begin, the global stream.
-- ARGV: the offset (exclusive), how many entries at most.
-- Returns {false, 1 or 0: whether the global stream exists} before any user stream began;
-- {marker} without this user's stream; else {marker, its length, its first id, the entries after
-- the offset}. (XINFO's entries-added would tell trimming apart directly, but the embedded Redis
-- is 6.2.)
local marker = redis.call('GET', KEYS[2])
if not marker then
  return {false, redis.call('EXISTS', KEYS[3])}
end
local info = redis.pcall('XINFO', 'STREAM', KEYS[1])
if info.err then
  return {marker}
end
local length, first = 0, '0-0'
for i = 1, #info, 2 do
  if info[i] == 'length' then
    length = info[i + 1]
  elseif info[i] == 'first-entry' and info[i + 1] then
    first = info[i + 1][1]
  end
end
return {marker, length, first, redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])}
