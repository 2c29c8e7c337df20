-- Moves a draft to submitted, unless its category is frozen: a ranking being revealed never
-- gains a row. KEYS: 1 entry, 2 revealed categories, 3 places shown. ARGV: 1 submitted at (RFC 3339)
local st = redis.call('HGET', KEYS[1], 'status')
if not st then
  return 'NOT_FOUND'
end
if st ~= 'draft' then
  return 'SUBMITTED'
end
if frozen(KEYS[2], KEYS[3], redis.call('HGET', KEYS[1], 'cat')) then
  return 'REVEALED'
end
redis.call('HSET', KEYS[1], 'status', 'submitted', 'submitted_at', ARGV[1])
return 'OK'
