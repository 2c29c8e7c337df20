-- Ends an assignment and stops its score counting (the score stays in the history and the
-- audit trail). With ARGV[6] = "1" the pair is also recused for good. Returns 1 if the
-- assignment existed, 0 if not, or 'REVEALED' (nothing written) if the category is frozen.
-- KEYS: 1 all assignments, 2 assignments of the category, 3 entries of the judge, 4 judges of
-- the entry, 5 recusals, 6 counting scores of the category, 7 bodies of the category,
-- 8 audit stream, 9 audit head, 10 audit seq, 11 revealed categories, 12 places shown
-- ARGV: 1 entry, 2 judge, 3 category, 4 reason, 5 at, 6 recuse, 7 who did it
if frozen(KEYS[11], KEYS[12], ARGV[3]) then
  return 'REVEALED'
end
local field = ARGV[1] .. '|' .. ARGV[2]
local existed = redis.call('SREM', KEYS[4], ARGV[2])
redis.call('SREM', KEYS[1], field .. '|' .. ARGV[3])
redis.call('SREM', KEYS[2], field)
redis.call('SREM', KEYS[3], ARGV[1])
if ARGV[6] == '1' then
  redis.call('SADD', KEYS[5], field)
end
local old = redis.call('HGET', KEYS[6], field)
if old then
  redis.call('HDEL', KEYS[6], field)
  redis.call('HDEL', KEYS[7], field)
  audit_append(KEYS[8], KEYS[9], KEYS[10], '"at":"' .. ARGV[5] .. '","by":"' .. ARGV[7] .. '","action":"withdraw","reason":"' .. ARGV[4] ..
    '","entry_id":"' .. ARGV[1] .. '","judge_id":"' .. ARGV[2] .. '","category_id":"' .. ARGV[3] ..
    '","old":' .. old .. ',"new":null')
end
return existed
