-- Stores a new entry and indexes it, if its owner has fewer than the allowed entries.
-- Returns 'OK', or 'TOO_MANY' (nothing written).
local k_entry, k_entries, k_of_category, k_of_owner = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, entry_json, status, category, created_ms = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local title, company, max_entries = ARGV[6], ARGV[7], tonumber(ARGV[8])

if redis.call('ZCARD', k_of_owner) >= max_entries then
  return 'TOO_MANY'
end
redis.call('HSET', k_entry, 'json', entry_json, 'status', status, 'cat', category, 'created', created_ms,
  'title', title, 'company', company)
redis.call('ZADD', k_entries, created_ms, id)
redis.call('ZADD', k_of_category, created_ms, id)
redis.call('ZADD', k_of_owner, created_ms, id)
return 'OK'
