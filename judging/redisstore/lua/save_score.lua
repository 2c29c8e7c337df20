-- Saves a judge's score for an entry in one step with every check it rests on, answered in
-- this order: the judge is still a user with that role, the entry exists and is in the
-- category the caller judged the marks by, the programme is the revision it judged them by,
-- the judge is assigned, judging is open, the category is not frozen, the marks are valid.
-- A changed score is written with its history, tally state and audit record, and its events
-- are published; the answer is its version (the caller has the rest). The same body again
-- answers the counting score as stored.
local k_user, k_entry, k_programme, k_judges = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local k_counting, k_bodies, k_history, k_scored, k_scorers = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local k_audit, k_audit_head, k_audit_seq, k_revealed, k_partial = KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14]
local judge, role, entry, category, rev = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local closed, refused = ARGV[6] == '1', ARGV[7] == '1'
local body, total, at = ARGV[8], ARGV[9], ARGV[10]
local channel, first_event = ARGV[11], 12 -- events: ARGV[12..], each a JSON message

local user = redis.call('GET', k_user)
if not user or cjson.decode(user).role ~= role then
  return {'UNAUTHORIZED'}
end
if redis.call('HEXISTS', k_entry, 'json') == 0 then
  return {'NOT_FOUND'}
end
local entry_category = redis.call('HGET', k_entry, 'cat') or ''
if entry_category ~= category then
  return {'CATEGORY', entry_category}
end
if (redis.call('HGET', k_programme, 'rev') or '0') ~= rev then
  return {'STALE'}
end
if redis.call('SISMEMBER', k_judges, judge) == 0 then
  return {'NOT_ASSIGNED'}
end
if closed then
  return {'CLOSED'}
end
-- Even the same body again: once revealed, nothing about the category's scores is accepted.
if frozen(k_revealed, k_partial, category) then
  return {'REVEALED'}
end
if refused then
  return {'REFUSED'}
end

local field = entry .. '|' .. judge
local old = redis.call('HGET', k_counting, field)
if old and redis.call('HGET', k_bodies, field) == body then
  return {'SAME', old}
end
local version = redis.call('LLEN', k_history) + 1
local ids = '"entry_id":"' .. entry .. '","judge_id":"' .. judge .. '","category_id":"' .. category .. '"'
local score = '{' .. ids .. ',"version":' .. version .. ',"total":' .. total .. ',"at":"' .. at .. '",' .. string.sub(body, 2)
redis.call('HSET', k_counting, field, score)
redis.call('HSET', k_bodies, field, body)
redis.call('RPUSH', k_history, score)
redis.call('SADD', k_scored, category)
redis.call('SADD', k_scorers, judge)
audit_append(k_audit, k_audit_head, k_audit_seq, '"at":"' .. at .. '","by":"' .. judge .. '","action":"score",' .. ids ..
  ',"version":' .. version .. ',"old":' .. (old or 'null') .. ',"new":' .. score)
for i = first_event, #ARGV do
  redis.call('PUBLISH', channel, ARGV[i])
end
return {'OK', tostring(version)}
