-- Enqueues the ticks that are due, each once however many replicas look: for a due schedule it
-- moves the next tick on and LPUSHes the tick's job in one atomic step. Time is Redis's own, so
-- replicas whose clocks disagree still agree on which tick is due. Ticks are multiples of the
-- interval since the epoch; when several were missed (all replicas down) only the latest runs. A
-- schedule seen for the first time, or whose interval changed, waits for its next tick. Replicas
-- that disagree on an interval (a rolling deploy that changes it) do not take turns resetting it:
-- the one started last sets it ('every_since' keeps its start), and older ones leave that schedule
-- to the newer ones while any of them still looks after it ('every_lease', renewed by each look of
-- a replica that agrees, lapses after LEASE): a newer replica that went away for good does not
-- leave the schedule to nobody. A tick is
-- never enqueued twice, nor one older than the last (Redis's clock stepping back after a
-- failover). A name nobody configures any longer is not claimed; a day overdue, it is dropped.
-- KEYS[1] tasks:schedules, KEYS[2] tasks, KEYS[3] tasks:stats, KEYS[3 + i] tasks:schedule:<name i>.
-- ARGV[1] n, ARGV[2] when this replica started (epoch ms), then for each schedule: name,
-- interval ms, type, its job up to the tick (ending in
-- '"idempotency_key":"schedule-<name>-'), that job's id. Returns {name, tick, …} of each job queued.
local DROP_AFTER = 86400000
local LEASE = 30000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function ms(value)
  return string.format('%.0f', value)
end
local queued, named = {}, {}
local started = tonumber(ARGV[2])
for i = 1, tonumber(ARGV[1]) do
  local at = 3 + (i - 1) * 5
  local name, every, type = ARGV[at], tonumber(ARGV[at + 1]), ARGV[at + 2]
  local state = KEYS[3 + i]
  named[name] = true
  local due = redis.call('ZSCORE', KEYS[1], name)
  local stored = redis.call('HGET', state, 'every')
  local changed = stored and stored ~= ARGV[at + 1]
  if changed and started < tonumber(redis.call('HGET', state, 'every_since') or '0')
      and now < tonumber(redis.call('HGET', state, 'every_lease') or '0') then
    -- A newer replica set another interval and still looks after it: it runs this schedule.
  elseif not due or changed or not stored then
    redis.call('ZADD', KEYS[1], ms(now + (every - now % every) % every), name)
    redis.call('HSET', state, 'every', ARGV[at + 1], 'every_since', ARGV[2], 'every_lease',
      ms(now + LEASE))
  else
    redis.call('HSET', state, 'every_lease', ms(now + LEASE))
  end
  if stored == ARGV[at + 1] and due and now >= tonumber(due) then
    local tick = now - now % every
    local last = tonumber(redis.call('HGET', state, 'last_tick') or '-1')
    if tick > last then
      redis.call('LPUSH', KEYS[2], ARGV[at + 3] .. ms(tick) .. '"}')
      redis.call('HSET', state, 'last_tick', ms(tick), 'last_run_at', ms(now), 'last_job_id',
        ARGV[at + 4])
      redis.call('HINCRBY', state, 'enqueued', 1)
      redis.call('HINCRBY', KEYS[3], 'scheduled', 1)
      redis.call('HINCRBY', KEYS[3], 'scheduled:' .. type, 1)
      queued[#queued + 1] = name
      queued[#queued + 1] = ms(tick)
    else
      tick = last
    end
    redis.call('ZADD', KEYS[1], ms(tick + every), name)
  end
end
for _, name in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ms(now - DROP_AFTER))) do
  if not named[name] then
    redis.call('ZREM', KEYS[1], name)
  end
end
return queued
