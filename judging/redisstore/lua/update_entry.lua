-- Replaces an entry's fields and moves it to its category's index; a submitted entry keeps its
-- category, and with draft_only only a draft may change. Returns 'OK', 'NOT_FOUND',
-- 'SUBMITTED', or 'MOVED' (nothing written) if the entry left the category the caller read,
-- whose index k_old_category is: the caller reads again.
local k_entry, k_old_category, k_new_category = KEYS[1], KEYS[2], KEYS[3]
local entry_json, draft_only, read_category = ARGV[1], ARGV[2] == '1', ARGV[3]
local id, category, title, company = ARGV[4], ARGV[5], ARGV[6], ARGV[7]

local status = redis.call('HGET', k_entry, 'status')
if not status then
  return 'NOT_FOUND'
end
local current = redis.call('HGET', k_entry, 'cat')
if current ~= read_category then
  return 'MOVED'
end
if status ~= 'draft' and (draft_only or current ~= category) then
  return 'SUBMITTED'
end
if current ~= category then
  local created_ms = redis.call('HGET', k_entry, 'created')
  redis.call('ZREM', k_old_category, id)
  redis.call('ZADD', k_new_category, created_ms, id)
end
redis.call('HSET', k_entry, 'json', entry_json, 'cat', category, 'title', title, 'company', company)
return 'OK'
