-- Makes a new invitation the user's one invitation, voiding the one the pointer named when the
-- caller read it. Returns 'OK', 'NO_USER', or 'MOVED' (nothing written) if the pointer moved
-- since: the caller reads again.
local k_user, k_invite_of, k_earlier, k_new = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local user_id, earlier_hash, new_hash, ttl_ms = ARGV[1], ARGV[2], ARGV[3], ARGV[4] -- earlier_hash: as read, "" for none

if redis.call('EXISTS', k_user) == 0 then
  return 'NO_USER'
end
local current = redis.call('GET', k_invite_of) or ''
if current ~= earlier_hash then
  return 'MOVED'
end
if current ~= '' then
  redis.call('DEL', k_earlier)
end
redis.call('SET', k_new, user_id, 'PX', ttl_ms)
redis.call('SET', k_invite_of, new_hash, 'PX', ttl_ms)
return 'OK'
