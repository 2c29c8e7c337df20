-- Counts one attempt on every counter, or on none when one of them is full.
-- KEYS: the counters. ARGV: for each counter in turn, its max and its window in ms.
-- Returns 0 when counted; else the longest time left (ms, at least 1) of the full counters.
local wait = 0
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0')
  if n >= tonumber(ARGV[2 * i - 1]) then
    local left = redis.call('PTTL', key)
    if left < 0 then -- a full counter with no window: give it one rather than block forever
      left = tonumber(ARGV[2 * i])
      redis.call('PEXPIRE', key, left)
    end
    wait = math.max(wait, left, 1)
  end
end
if wait > 0 then
  return wait
end
for i, key in ipairs(KEYS) do
  -- The window starts at the first attempt and is never extended.
  if redis.call('INCR', key) == 1 or redis.call('PTTL', key) < 0 then
    redis.call('PEXPIRE', key, ARGV[2 * i])
  end
end
return 0
