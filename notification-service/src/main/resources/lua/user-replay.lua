-- One round trip per replay: what a user's stream holds after an offset, and where it starts.
-- KEYS: the user's stream. ARGV: the offset (exclusive), how many entries at most.
-- Returns {} without a stream, else {its length, its first id, the entries after the offset}.
-- (XINFO's entries-added would tell trimming apart directly, but the embedded Redis is 6.2.)
local info = redis.pcall('XINFO', 'STREAM', KEYS[1])
if info.err then
  return {}
end
local length, first = 0, '0-0'
for i = 1, #info, 2 do
  if info[i] == 'length' then
    length = info[i + 1]
  elseif info[i] == 'first-entry' and info[i + 1] then
    first = info[i + 1][1]
  end
end
return {length, first, redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])}
