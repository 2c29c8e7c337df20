-- Adds assignments that are not there yet, skipping recused pairs. Returns how many it added,
-- or 'REVEALED' (nothing written) if the category of any of them is frozen.
local k_assignments, k_recused, k_revealed, k_partial = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
-- Then, per assignment i from 0: its entry, judge and category, and its three index keys.
local count = #ARGV / 3
local function assignment(i)
  local entry, judge, category = ARGV[1 + 3 * i], ARGV[2 + 3 * i], ARGV[3 + 3 * i]
  local k_of_category, k_of_judge, k_judges_of_entry = KEYS[5 + 3 * i], KEYS[6 + 3 * i], KEYS[7 + 3 * i]
  return entry, judge, category, k_of_category, k_of_judge, k_judges_of_entry
end

for i = 0, count - 1 do
  local _, _, category = assignment(i)
  if frozen(k_revealed, k_partial, category) then
    return 'REVEALED'
  end
end
local added = 0
for i = 0, count - 1 do
  local entry, judge, category, k_of_category, k_of_judge, k_judges_of_entry = assignment(i)
  local pair = entry .. '|' .. judge
  if redis.call('SISMEMBER', k_recused, pair) == 0 and redis.call('SADD', k_judges_of_entry, judge) == 1 then
    redis.call('SADD', k_of_judge, entry)
    redis.call('SADD', k_of_category, pair)
    redis.call('SADD', k_assignments, pair .. '|' .. category)
    added = added + 1
  end
end
return added
