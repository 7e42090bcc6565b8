-- Stores a list page loaded in generation ARGV[3], tagged with it, and a stale copy of it (served
-- only while PostgreSQL is away), unless a write has bumped the generation meanwhile: that page
-- could not be served, and would only overwrite a newer one.
-- KEYS: page key, stale copy, generation. ARGV: json, ttl ms, generation, stale ttl ms (0: none).
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[3] then
  return 0
end
local value = ARGV[3] .. ':' .. ARGV[1]
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[2], value, 'PX', ARGV[4])
end
return 1
