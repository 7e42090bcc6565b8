-- A list page, or its stale copy, only if no write has bumped the pages' generation since it was
-- stored: {generation, json or false} in one round trip. Each page has one key whatever the
-- generation (its value begins with the generation it was loaded in), so the pages of the
-- generations every write leaves behind do not pile up in Redis until their TTL.
-- KEYS: generation, page key (or its stale copy).
local generation = redis.call('GET', KEYS[1]) or '0'
local value = redis.call('GET', KEYS[2])
local prefix = generation .. ':'
if not value or string.sub(value, 1, #prefix) ~= prefix then
  return {generation, false}
end
return {generation, string.sub(value, #prefix + 1)}
