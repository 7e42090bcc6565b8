-- GCRA (generic cell rate algorithm) for a batch of clients: one key per client holds its
-- theoretical arrival time (TAT). Each key's requests are admitted one after the other, exactly as
-- if each had run this script alone, and the whole batch is atomic in one round trip. Redis' own
-- clock, so replicas with skewed clocks agree.
-- KEYS: one per client. ARGV: limit per window, window ms, then for each key how many requests.
-- Returns for each key {admitted, TAT before the first of them minus now in ms (text, fractional)};
-- from these the caller derives each request's remaining, retry and reset as the one-by-one
-- script would have returned them.
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local interval = window / limit
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local out = {}
for i, key in ipairs(KEYS) do
  local count = tonumber(ARGV[i + 2])
  local tat = tonumber(redis.call('GET', key)) or now
  if tat < now then
    tat = now
  end
  local base = tat
  local admitted = 0
  while admitted < count and tat + interval - now <= window do
    tat = tat + interval
    admitted = admitted + 1
  end
  if admitted > 0 then
    redis.call('SET', key, string.format('%.17g', tat), 'PX', math.max(1, math.ceil(tat - now)))
  end
  out[2 * i - 1] = admitted
  out[2 * i] = string.format('%.17g', base - now)
end
return out
