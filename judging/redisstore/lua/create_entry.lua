-- Stores a new entry and indexes it, if its owner has fewer than the allowed entries.
-- KEYS: 1 entry, 2 all entries, 3 entries of its category, 4 entries of its owner
-- ARGV: 1 entry id, 2 entry JSON, 3 status, 4 category, 5 created (ms), 6 title, 7 company,
-- 8 most entries the owner may have
if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[8]) then
  return 'TOO_MANY'
end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'status', ARGV[3], 'cat', ARGV[4], 'created', ARGV[5],
  'title', ARGV[6], 'company', ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
return 'OK'
