-- Gives back one attempt on every counter that holds one; never creates a counter nor takes
-- one below zero, and keeps its window.
local counters = KEYS

for _, key in ipairs(counters) do
  if tonumber(redis.call('GET', key) or '0') > 0 then
    redis.call('DECR', key)
  end
end
return 0
