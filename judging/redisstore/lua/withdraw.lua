-- Ends an assignment and stops its score counting (the score stays in the history and the
-- audit trail); with recuse the pair is also blocked for good. Returns 1 if the assignment
-- existed, 0 if not, or 'REVEALED' (nothing written) if the category is frozen.
local k_assignments, k_of_category, k_of_judge, k_judges_of_entry = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local k_recused, k_counting, k_bodies = KEYS[5], KEYS[6], KEYS[7]
local k_audit, k_audit_head, k_audit_seq = KEYS[8], KEYS[9], KEYS[10]
local k_revealed, k_partial = KEYS[11], KEYS[12]
local entry, judge, category, recuse = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1'
local audit_members = ARGV[5] -- the audit record's JSON members from "at" to "category_id"

if frozen(k_revealed, k_partial, category) then
  return 'REVEALED'
end
local pair = entry .. '|' .. judge
local existed = redis.call('SREM', k_judges_of_entry, judge)
redis.call('SREM', k_assignments, pair .. '|' .. category)
redis.call('SREM', k_of_category, pair)
redis.call('SREM', k_of_judge, entry)
if recuse then
  redis.call('SADD', k_recused, pair)
end
local old = redis.call('HGET', k_counting, pair)
if old then
  redis.call('HDEL', k_counting, pair)
  redis.call('HDEL', k_bodies, pair)
  audit_append(k_audit, k_audit_head, k_audit_seq, audit_members .. ',"old":' .. old .. ',"new":null')
end
return existed
