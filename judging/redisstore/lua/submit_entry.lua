-- Moves a draft to submitted, unless its category is frozen: a ranking being revealed never
-- gains a row. Returns 'OK', 'NOT_FOUND', 'SUBMITTED' or 'REVEALED'.
local k_entry, k_revealed, k_partial = KEYS[1], KEYS[2], KEYS[3]
local submitted_at = ARGV[1] -- RFC 3339

local status = redis.call('HGET', k_entry, 'status')
if not status then
  return 'NOT_FOUND'
end
if status ~= 'draft' then
  return 'SUBMITTED'
end
if frozen(k_revealed, k_partial, redis.call('HGET', k_entry, 'cat')) then
  return 'REVEALED'
end
redis.call('HSET', k_entry, 'status', 'submitted', 'submitted_at', submitted_at)
return 'OK'
