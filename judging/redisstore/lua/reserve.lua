-- Reserves an idempotency key, or returns what it holds. KEYS: 1 the key. ARGV: 1 ttl in ms
if redis.call('SET', KEYS[1], 'pending', 'NX', 'PX', ARGV[1]) then
  return {1}
end
return {0, redis.call('GET', KEYS[1])}
