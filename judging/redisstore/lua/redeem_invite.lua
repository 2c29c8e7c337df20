-- Sets a judge's password from an invitation and burns it, if the invitation still names them.
-- KEYS: 1 invitation, 2 user, 3 the user's invitation pointer
-- ARGV: 1 user id, 2 user JSON with the new password hash, 3 invitation hash
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 'BAD_INVITE'
end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[3]) == ARGV[3] then
  redis.call('DEL', KEYS[3])
end
return 'OK'
