-- Counts one attempt on every counter, or on none when one of them is full. Returns 0 when
-- counted; else the longest time left (ms, at least 1) of the full counters.
local counters = KEYS
-- For each counter i in turn: its max and its window in ms.
local function limit(i)
  return tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
end

local wait = 0
for i, key in ipairs(counters) do
  local max, window_ms = limit(i)
  if tonumber(redis.call('GET', key) or '0') >= max then
    local left = redis.call('PTTL', key)
    if left < 0 then -- a full counter with no window: give it one rather than block forever
      left = window_ms
      redis.call('PEXPIRE', key, left)
    end
    wait = math.max(wait, left, 1)
  end
end
if wait > 0 then
  return wait
end
for i, key in ipairs(counters) do
  local _, window_ms = limit(i)
  -- The window starts at the first attempt and is never extended.
  if redis.call('INCR', key) == 1 or redis.call('PTTL', key) < 0 then
    redis.call('PEXPIRE', key, window_ms)
  end
end
return 0
