-- Makes a new invitation the user's one invitation, voiding the one the pointer named when the
-- caller read it; if the pointer moved since, nothing is written and the caller reads again.
-- KEYS: 1 user, 2 the user's invitation pointer, 3 the earlier invitation, 4 the new invitation
-- ARGV: 1 user id, 2 the earlier invitation's hash as read ("" for none), 3 the new hash,
-- 4 TTL in ms
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'NO_USER'
end
local current = redis.call('GET', KEYS[2]) or ''
if current ~= ARGV[2] then
  return 'MOVED'
end
if current ~= '' then
  redis.call('DEL', KEYS[3])
end
redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[4])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
return 'OK'
