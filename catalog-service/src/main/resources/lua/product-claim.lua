-- On a miss: the cached value if someone filled it meanwhile (1), else the product's version and
-- whether this caller won the right to load it from PostgreSQL (2) or must wait for the winner (3).
-- KEYS: value, version, lock. ARGV: lock token, lock ttl ms.
local value = redis.call('GET', KEYS[1])
if value then
  return {1, value}
end
local version = redis.call('GET', KEYS[2]) or '0'
if redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {2, version}
end
return {3, version}
