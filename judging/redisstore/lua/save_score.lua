-- KEYS: 1 programme, 2 judges of the entry, 3 counting scores of the category, 4 bodies of the
-- category, 5 history of (entry, judge), 6 audit stream, 7 audit head, 8 audit seq,
-- 9 scored categories, 10 scorers of the entry, 11 revealed categories, 12 places shown
-- ARGV: 1 programme rev, 2 judge, 3 entry, 4 category, 5 canonical body, 6 total, 7 at (RFC 3339)
local rev = redis.call('HGET', KEYS[1], 'rev')
if rev ~= ARGV[1] then
  return {'STALE'}
end
if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then
  return {'NOT_ASSIGNED'}
end
-- Even the same body again: once revealed, nothing about the category's scores is accepted.
if frozen(KEYS[11], KEYS[12], ARGV[4]) then
  return {'REVEALED'}
end
local field = ARGV[3] .. '|' .. ARGV[2]
local old = redis.call('HGET', KEYS[3], field)
if old and redis.call('HGET', KEYS[4], field) == ARGV[5] then
  return {'SAME', old}
end
local version = redis.call('LLEN', KEYS[5]) + 1
local ids = '"entry_id":"' .. ARGV[3] .. '","judge_id":"' .. ARGV[2] .. '","category_id":"' .. ARGV[4] .. '"'
local score = '{' .. ids .. ',"version":' .. version .. ',"total":' .. ARGV[6] .. ',"at":"' .. ARGV[7] .. '",' .. string.sub(ARGV[5], 2)
redis.call('HSET', KEYS[3], field, score)
redis.call('HSET', KEYS[4], field, ARGV[5])
redis.call('RPUSH', KEYS[5], score)
redis.call('SADD', KEYS[9], ARGV[4])
redis.call('SADD', KEYS[10], ARGV[2])
audit_append(KEYS[6], KEYS[7], KEYS[8], '"at":"' .. ARGV[7] .. '","by":"' .. ARGV[2] .. '","action":"score",' .. ids ..
  ',"version":' .. version .. ',"old":' .. (old or 'null') .. ',"new":' .. score)
return {'OK', score}
