-- Reserves an idempotency key, or returns what it holds: {1} when reserved, else {0, value}
-- ({0} if the key expired in between).
local k_idempotency = KEYS[1]
local ttl_ms = ARGV[1]

if redis.call('SET', k_idempotency, 'pending', 'NX', 'PX', ttl_ms) then
  return {1}
end
return {0, redis.call('GET', k_idempotency)}
