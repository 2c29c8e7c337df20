-- Stores a new user, claiming its email atomically: the login index (the email lower-cased)
-- and the look-alike index (judging.EmailKey) must both be free.
-- KEYS: 1 email claim, 2 user, 3 role set, 4 invitation, 5 the user's invitation pointer,
-- 6 look-alike email claim
-- ARGV: 1 user id, 2 user JSON, 3 has email ("1"), 4 has invitation ("1"), 5 invitation hash,
-- 6 invitation TTL in ms
if ARGV[3] == '1' then
  if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[6]) == 1 then
    return 'EMAIL_TAKEN'
  end
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('SET', KEYS[6], ARGV[1])
end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
if ARGV[4] == '1' then
  redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[6])
  redis.call('SET', KEYS[5], ARGV[5], 'PX', ARGV[6])
end
return 'OK'
