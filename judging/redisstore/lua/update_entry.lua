-- Replaces an entry's fields. A submitted entry keeps its category; with ARGV[2] = "1" only a
-- draft may change.
-- KEYS: 1 entry, 2 entries of its current category, 3 entries of the new category
-- ARGV: 1 entry JSON, 2 draft only, 3 new category, 4 entry id, 5 title, 6 company
local st = redis.call('HGET', KEYS[1], 'status')
if not st then
  return 'NOT_FOUND'
end
local cat = redis.call('HGET', KEYS[1], 'cat')
if (ARGV[2] == '1' and st ~= 'draft') or (st ~= 'draft' and cat ~= ARGV[3]) then
  return 'SUBMITTED'
end
if cat ~= ARGV[3] then
  local created = redis.call('HGET', KEYS[1], 'created')
  redis.call('ZREM', KEYS[2], ARGV[4])
  redis.call('ZADD', KEYS[3], created, ARGV[4])
end
redis.call('HSET', KEYS[1], 'json', ARGV[1], 'cat', ARGV[3], 'title', ARGV[5], 'company', ARGV[6])
return 'OK'
