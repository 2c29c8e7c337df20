-- Shared by the scripts that change a counting score: appends one record to the hash-chained
-- audit trail. rest is the payload's JSON members after "seq" (built by the caller).
local function audit_append(kstream, khead, kseq, rest)
  local seq = redis.call('INCR', kseq)
  local prev = redis.call('GET', khead) or ''
  local payload = '{"seq":' .. seq .. ',' .. rest .. '}'
  local h = redis.sha1hex(prev .. '\n' .. payload)
  redis.call('XADD', kstream, '*', 'payload', payload, 'prev', prev, 'hash', h)
  redis.call('SET', khead, h)
end
