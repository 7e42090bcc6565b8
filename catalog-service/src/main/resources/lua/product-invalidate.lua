-- After a committed write: bump the version (fencing off in-flight fills), drop the value, and tell
-- near caches. KEYS: value, version. ARGV: channel, message.
redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
