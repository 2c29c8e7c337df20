-- Shows one more place (one rank) of a category; at the last place the category is revealed.
-- Returns the places shown.
local k_revealed, k_partial = KEYS[1], KEYS[2]
local category, places = ARGV[1], tonumber(ARGV[2])

if redis.call('SISMEMBER', k_revealed, category) == 1 then
  return places
end
local shown = redis.call('HINCRBY', k_partial, category, 1)
if shown >= places then
  redis.call('SADD', k_revealed, category)
  redis.call('HDEL', k_partial, category)
  return places
end
return shown
