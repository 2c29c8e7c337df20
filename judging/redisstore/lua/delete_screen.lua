-- Deletes a ceremony screen's account, if the id is a screen's. Returns 'OK' or 'NOT_FOUND'.
local k_user, k_screens = KEYS[1], KEYS[2]
local user_id = ARGV[1]

if redis.call('SREM', k_screens, user_id) == 0 then
  return 'NOT_FOUND'
end
redis.call('DEL', k_user)
return 'OK'
