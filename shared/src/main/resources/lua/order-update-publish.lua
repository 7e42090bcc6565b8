-- One round trip per order update: append it to the capped stream (replay after reconnect) and,
-- under the same id, to its user's small stream (what a replay reads), then publish it live with
-- the stream id it got, so live and replayed messages carry the same offset.
-- KEYS: the stream; optional: the user's stream, the marker of where user streams begin.
-- ARGV: max stream length (approximate), message JSON, channel, user stream length, its TTL (s).
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'data', ARGV[2])
if KEYS[2] then
  -- The first id with user streams: a replay from before it may lack updates (an upgrade).
  redis.call('SET', KEYS[3], id, 'NX')
  local added = redis.pcall('XADD', KEYS[2], 'MAXLEN', ARGV[4], id, 'data', ARGV[2])
  if type(added) == 'table' and added.err then
    -- The user stream is ahead of the global one (which went back, e.g. deleted by hand): start
    -- it again, and move the marker so any replay from before this id is told to reload.
    redis.call('DEL', KEYS[2])
    redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[4], id, 'data', ARGV[2])
    redis.call('SET', KEYS[3], id)
  end
  redis.call('EXPIRE', KEYS[2], ARGV[5])
end
redis.call('PUBLISH', ARGV[3], string.sub(ARGV[2], 1, -2) .. ',"stream_id":"' .. id .. '"}')
return id
