-- Counts one failure; the window starts with the first. KEYS: 1 counter. ARGV: 1 window in ms
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
