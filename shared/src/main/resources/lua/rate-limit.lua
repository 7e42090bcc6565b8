-- GCRA (generic cell rate algorithm): one key per client holds its theoretical arrival time (TAT).
-- Atomic in one round trip; Redis' own clock, so replicas with skewed clocks agree.
-- KEYS: the client's key. ARGV: limit per window, window ms.
-- Returns {allowed 1|0, remaining, ms until a request is allowed again, ms until the budget is full}.
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local interval = window / limit
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then
  tat = now
end
local new_tat = tat + interval
if new_tat - now > window then
  local retry = math.ceil(new_tat - now - window)
  return {0, 0, retry, math.ceil(tat - now)}
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now))
local remaining = math.floor((window - (new_tat - now)) / interval)
return {1, remaining, 0, math.ceil(new_tat - now)}
