-- Reliable fetch of a batch from the queues: moves up to ARGV[1] jobs from the right of the
-- queues to the left of this worker's processing list in one atomic step, so a job is always in
-- one list or the other. First each queue gives up to its share of the batch (the worker rotates
-- the shares by weight, so no queue starves), then whatever room is left is filled from the
-- queues in priority order. A paused queue gives nothing.
-- Answers {jobs, counts, paused}: counts[i] is how often a reaper handed jobs[i] back after its
-- worker died; paused is what tasks:paused holds (queue:<name>, type:<type>), so the worker knows
-- which fetched types to check. When no job was ever handed back (the usual case) counts is empty
-- and nothing is hashed. Otherwise the batch ends at the first job handed back: the worker runs
-- that one alone, so if it kills the worker again no other job is in the processing list with it.
-- The batch also stops before the job that would take its bytes past ARGV[2] (the worker's room for
-- bytes in flight), which goes back where it was; the first job is always taken, whatever its size.
-- A job over ARGV[3] bytes (a sixteenth of the worker's heap, at least worker.max-job-bytes) never
-- leaves Redis whole: it is cut to its stand-in in the batch and in the processing list, a NUL,
-- "souq-cut:", its size, ":" and its first ARGV[4] bytes (Java's CutJob), which the worker buries
-- as too_large as it would the job; whole, a job bigger than the worker's heap stopped it. A job
-- that goes back to its queue goes back whole. No JSON starts with a NUL, so no job that runs can
-- be taken for a stand-in.
-- KEYS[1] tasks:processing:{worker}, KEYS[2] tasks:deliveries, KEYS[3] tasks:paused, KEYS[4..] the
-- queues' lists in priority order. ARGV[1] most jobs, ARGV[2] most bytes, ARGV[3] most bytes of a
-- job, ARGV[4] bytes of a cut job kept, then per queue: its name, its share.
local room = tonumber(ARGV[1])
local budget = tonumber(ARGV[2])
local largest = tonumber(ARGV[3])
local kept_of_cut = tonumber(ARGV[4])
local bytes = 0
local paused = redis.call('SMEMBERS', KEYS[3])
local skip = {}
for _, member in ipairs(paused) do
  skip[member] = true
end
local careful = redis.call('EXISTS', KEYS[2]) == 1

-- The job itself if it is small enough or a stand-in already, else its stand-in.
local function cut(job, largest, kept)
  if #job <= largest or string.sub(job, 1, 10) == '\0souq-cut:' then
    return job
  end
  return '\0souq-cut:' .. #job .. ':' .. string.sub(job, 1, kept)
end

local jobs, counts, stop = {}, {}, false

-- Whether job fits the bytes left, with taken jobs in the batch already; once one does not, the
-- batch is over.
local function fits(job, taken)
  if taken > 0 and bytes + #job > budget then
    stop = true
    return false
  end
  return true
end

local function take(list, n)
  if n <= 0 or stop then
    return
  end
  if not careful then
    local got = redis.call('RPOP', list, n)
    if got then
      local taken = {}
      for i, job in ipairs(got) do
        local handed = cut(job, largest, kept_of_cut)
        if not fits(handed, #jobs + i - 1) then
          break
        end
        bytes = bytes + #handed
        taken[i] = handed
      end
      for i = #got, #taken + 1, -1 do
        redis.call('RPUSH', list, got[i])
      end
      for i = 1, #taken, 1000 do
        redis.call('LPUSH', KEYS[1], unpack(taken, i, math.min(i + 999, #taken)))
      end
      for i = 1, #taken do
        jobs[#jobs + 1] = taken[i]
      end
    end
    return
  end
  for _ = 1, n do
    local whole = redis.call('RPOP', list)
    if not whole then
      return
    end
    local job = cut(whole, largest, kept_of_cut)
    if not fits(job, #jobs) then
      redis.call('RPUSH', list, whole)
      return
    end
    bytes = bytes + #job
    redis.call('LPUSH', KEYS[1], job)
    jobs[#jobs + 1] = job
    counts[#jobs] = tonumber(redis.call('HGET', KEYS[2], redis.sha1hex(job)) or 0)
    if counts[#jobs] > 0 then
      stop = true
      return
    end
  end
end

for i = 4, #KEYS do
  if not skip['queue:' .. ARGV[2 * i - 3]] then
    take(KEYS[i], tonumber(ARGV[2 * i - 2]))
  end
end
for i = 4, #KEYS do
  if not skip['queue:' .. ARGV[2 * i - 3]] then
    take(KEYS[i], room - #jobs)
  end
end
return {jobs, counts, paused}
