-- The stale copy of a list page, only if no write has bumped the generation since it was stored;
-- false otherwise. KEYS: generation, stale copy.
local generation = redis.call('GET', KEYS[1]) or '0'
local value = redis.call('GET', KEYS[2])
if not value then
  return false
end
local prefix = generation .. ':'
if string.sub(value, 1, #prefix) ~= prefix then
  return false
end
return string.sub(value, #prefix + 1)
