-- Moves a draft to submitted. KEYS: 1 entry. ARGV: 1 submitted at (RFC 3339)
local st = redis.call('HGET', KEYS[1], 'status')
if not st then
  return 'NOT_FOUND'
end
if st ~= 'draft' then
  return 'SUBMITTED'
end
redis.call('HSET', KEYS[1], 'status', 'submitted', 'submitted_at', ARGV[1])
return 'OK'
