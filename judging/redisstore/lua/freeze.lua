-- Freezes a category before its first step is counted: it is marked as being revealed with no
-- place shown yet, unless it is revealed or being revealed already.
-- KEYS: 1 revealed categories, 2 places shown. ARGV: 1 category
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
  redis.call('HSETNX', KEYS[2], ARGV[1], 0)
end
return 'OK'
