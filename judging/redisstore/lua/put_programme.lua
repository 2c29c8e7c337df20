-- Replaces the programme if it is still at the expected revision, no changed category was ever
-- scored and no removed category holds entries. Returns the new revision or an error word.
-- KEYS: 1 programme, 2 scored categories, 3.. entries of each removed category
-- ARGV: 1 expected revision, 2 programme JSON, 3.. changed category ids
local rev = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0')
if rev ~= tonumber(ARGV[1]) then
  return {'STALE'}
end
for i = 3, #ARGV do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 1 then
    return {'FROZEN', ARGV[i]}
  end
end
for i = 3, #KEYS do
  if redis.call('ZCARD', KEYS[i]) > 0 then
    return {'IN_USE'}
  end
end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'rev', rev + 1)
return {'OK', tostring(rev + 1)}
