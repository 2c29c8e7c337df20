-- Shows one more place of a category; at the last place the category is revealed.
-- KEYS: 1 revealed categories, 2 places shown. ARGV: 1 category, 2 places in the ranking
local rows = tonumber(ARGV[2])
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then
  return rows
end
local n = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
if n >= rows then
  redis.call('SADD', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  return rows
end
return n
