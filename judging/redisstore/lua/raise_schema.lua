-- Raises the schema version, never lowers it (a newer instance may be further).
local k_schema = KEYS[1]
local version = tonumber(ARGV[1])

local current = tonumber(redis.call('GET', k_schema) or '0') or 0
if current < version then
  redis.call('SET', k_schema, version)
end
return 'OK'
