-- Stores a new user, claiming its email atomically: the login index (the email lower-cased)
-- and the look-alike index (judging.EmailKey) must both be free. Returns 'OK', or
-- 'EMAIL_TAKEN' (nothing written).
local k_email, k_user, k_role, k_invite, k_invite_of, k_email_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local user_id, user_json = ARGV[1], ARGV[2]
local has_email, has_invite = ARGV[3] == '1', ARGV[4] == '1'
local invite_hash, invite_ttl_ms = ARGV[5], ARGV[6]

if has_email then
  if redis.call('EXISTS', k_email) == 1 or redis.call('EXISTS', k_email_key) == 1 then
    return 'EMAIL_TAKEN'
  end
  redis.call('SET', k_email, user_id)
  redis.call('SET', k_email_key, user_id)
end
redis.call('SET', k_user, user_json)
redis.call('SADD', k_role, user_id)
if has_invite then
  redis.call('SET', k_invite, user_id, 'PX', invite_ttl_ms)
  redis.call('SET', k_invite_of, invite_hash, 'PX', invite_ttl_ms)
end
return 'OK'
