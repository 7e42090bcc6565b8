-- Finds a dead letter by its id without sending the whole list over the wire. Dead letters are
-- written with their id first, so a prefix comparison is exact.
-- KEYS[1] tasks:dead. ARGV[1] the prefix '{"id":"<id>"'. Returns the entry or false.
local len = redis.call('LLEN', KEYS[1])
local prefix = ARGV[1]
for start = 0, len - 1, 500 do
  local chunk = redis.call('LRANGE', KEYS[1], start, start + 499)
  for _, entry in ipairs(chunk) do
    if string.sub(entry, 1, #prefix) == prefix then
      return entry
    end
  end
end
return false
