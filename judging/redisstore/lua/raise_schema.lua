-- Raises the schema version to ARGV[1], never lowers it (a newer instance may be further).
-- KEYS: 1 schema version
local v = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if v < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
end
return 'OK'
