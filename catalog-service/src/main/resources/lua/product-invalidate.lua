-- After a committed write: bump the version (fencing off in-flight fills), drop the value and its
-- stale copy (so an outage can never bring back what a write replaced), and tell near caches.
-- KEYS: value, version, stale copy. ARGV: channel, message.
redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
