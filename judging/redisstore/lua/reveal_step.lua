-- Shows one more place (one rank) of a category; at the last place the category is revealed.
-- KEYS: 1 revealed categories, 2 places shown. ARGV: 1 category, 2 places in the ranking
local places = tonumber(ARGV[2])
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then
  return places
end
local n = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
if n >= places then
  redis.call('SADD', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  return places
end
return n
