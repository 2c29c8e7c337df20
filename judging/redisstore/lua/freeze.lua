-- Freezes a category before its first step is counted: it is marked as being revealed with no
-- place shown yet, unless it is revealed or being revealed already.
local k_revealed, k_partial = KEYS[1], KEYS[2]
local category = ARGV[1]

if redis.call('SISMEMBER', k_revealed, category) == 0 then
  redis.call('HSETNX', k_partial, category, 0)
end
return 'OK'
