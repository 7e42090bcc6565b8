-- Stores a loaded list page under its generation, and a stale copy of it (served only while
-- PostgreSQL is away) tagged with that generation: one stale copy per page, which any later write
-- makes unservable by bumping the generation.
-- KEYS: page key, stale copy. ARGV: json, ttl ms, generation, stale ttl ms (0: keep none).
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[2], ARGV[3] .. ':' .. ARGV[1], 'PX', ARGV[4])
end
return 1
