-- Sets a judge's password from an invitation and burns it, if the invitation still names them
-- and their record is still the one the caller read and changed. Returns 'OK', 'BAD_INVITE',
-- or 'MOVED' (nothing written) if the record changed since: the caller reads again.
local k_invite, k_user, k_invite_of = KEYS[1], KEYS[2], KEYS[3]
local user_id, read_sha1, user_json, invite_hash = ARGV[1], ARGV[2], ARGV[3], ARGV[4]

if redis.call('GET', k_invite) ~= user_id then
  return 'BAD_INVITE'
end
if redis.sha1hex(redis.call('GET', k_user) or '') ~= read_sha1 then
  return 'MOVED'
end
redis.call('SET', k_user, user_json)
redis.call('DEL', k_invite)
if redis.call('GET', k_invite_of) == invite_hash then
  redis.call('DEL', k_invite_of)
end
return 'OK'
