-- One round trip per order update: append it to the capped stream (replay after reconnect), then
-- publish it live with the stream id it got, so live and replayed messages carry the same offset.
-- KEYS: the stream. ARGV: max stream length (approximate), message JSON, channel.
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'data', ARGV[2])
redis.call('PUBLISH', ARGV[3], string.sub(ARGV[2], 1, -2) .. ',"stream_id":"' .. id .. '"}')
return id
