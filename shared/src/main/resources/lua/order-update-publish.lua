-- One round trip per order update: append it to the capped stream (replay after reconnect) and,
-- under the same id, to its user's small stream (what a replay reads), then publish it live with
-- the stream id it got, so live and replayed messages carry the same offset.
-- KEYS: the stream, the user's stream (optional).
-- ARGV: max stream length (approximate), message JSON, channel, user stream length, its TTL (s).
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'data', ARGV[2])
if KEYS[2] then
  -- pcall: a user stream ahead of the global one (the global stream deleted by hand) must not
  -- stop the live update.
  redis.pcall('XADD', KEYS[2], 'MAXLEN', ARGV[4], id, 'data', ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[5])
end
redis.call('PUBLISH', ARGV[3], string.sub(ARGV[2], 1, -2) .. ',"stream_id":"' .. id .. '"}')
return id
