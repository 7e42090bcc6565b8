-- After a committed write: a new generation makes every cached list page unreachable (they expire
-- by their TTL), and near caches are told. KEYS: generation. ARGV: channel, message.
redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
