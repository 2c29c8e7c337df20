-- Deletes a ceremony screen's account, if the id is a screen's.
-- KEYS: 1 user, 2 the screen role set. ARGV: 1 user id
if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then
  return 'NOT_FOUND'
end
redis.call('DEL', KEYS[1])
return 'OK'
