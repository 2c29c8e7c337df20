-- Stores a new user, claiming its email atomically.
-- KEYS: 1 email claim, 2 user, 3 role set, 4 invitation, 5 the user's invitation pointer
-- ARGV: 1 user id, 2 user JSON, 3 has email ("1"), 4 has invitation ("1"), 5 invitation hash,
-- 6 invitation TTL in ms
if ARGV[3] == '1' and redis.call('SET', KEYS[1], ARGV[1], 'NX') == false then
  return 'EMAIL_TAKEN'
end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
if ARGV[4] == '1' then
  redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[6])
  redis.call('SET', KEYS[5], ARGV[5], 'PX', ARGV[6])
end
return 'OK'
