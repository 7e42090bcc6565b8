-- A list page of the current generation in one round trip: returns {generation, json or false}.
-- KEYS: generation. ARGV: page suffix. The page key shares the {list} hash tag.
local generation = redis.call('GET', KEYS[1]) or '0'
local value = redis.call('GET', 'products:{list}:g' .. generation .. ':' .. ARGV[1])
return {generation, value}
