-- Replaces the programme if it is still at the expected revision, no changed category was ever
-- scored and no removed category holds entries. Returns {'OK', new revision}, {'STALE'},
-- {'FROZEN', category} or {'IN_USE'}.
local k_programme, k_scored = KEYS[1], KEYS[2]
local expected_rev, programme_json = tonumber(ARGV[1]), ARGV[2]
-- Then KEYS[3..]: the entries of each removed category; ARGV[3..]: the changed category ids.
local first_removed, first_changed = 3, 3

local rev = tonumber(redis.call('HGET', k_programme, 'rev') or '0')
if rev ~= expected_rev then
  return {'STALE'}
end
for i = first_changed, #ARGV do
  if redis.call('SISMEMBER', k_scored, ARGV[i]) == 1 then
    return {'FROZEN', ARGV[i]}
  end
end
for i = first_removed, #KEYS do
  if redis.call('ZCARD', KEYS[i]) > 0 then
    return {'IN_USE'}
  end
end
redis.call('HSET', k_programme, 'json', programme_json, 'rev', rev + 1)
return {'OK', tostring(rev + 1)}
