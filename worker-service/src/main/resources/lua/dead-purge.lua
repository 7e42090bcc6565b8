-- Removes dead letters older than a cutoff, from the oldest end (tasks:dead is newest first), up to
-- ARGV[2] entries per call so a long list never blocks Redis for long. It stops at the first entry
-- within the cutoff; entries without a readable dead_at (pushed by hand) are kept and stepped over:
-- ARGV[3] counts those kept at the tail so far, so the next call starts past them.
-- KEYS[1] tasks:dead, KEYS[2] tasks:stats. ARGV[1] the cutoff 'YYYY-MM-DDTHH:MM:SS' (UTC), ARGV[2]
-- batch size, ARGV[3] entries kept at the tail. Returns {removed, kept, 1 if done else 0}.
local batch, skip = tonumber(ARGV[2]), tonumber(ARGV[3])
local entries = redis.call('LRANGE', KEYS[1], -(skip + batch), -(skip + 1))
local removed, kept, done = 0, 0, #entries < batch
for i = #entries, 1, -1 do
  -- dead_at is a top-level field: inside a string value its quotes would be escaped.
  local at = string.match(entries[i], '"dead_at":"(%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d)')
  if not at then
    kept = kept + 1
  elseif at < ARGV[1] then
    redis.call('LREM', KEYS[1], -1, entries[i])
    removed = removed + 1
  else
    done = true
    break
  end
end
if removed > 0 then
  redis.call('HINCRBY', KEYS[2], 'purged', removed)
end
return {removed, kept, done and 1 or 0}
