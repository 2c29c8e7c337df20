-- Adds assignments that are not there yet, skipping recused pairs. Returns how many it added,
-- or 'REVEALED' (nothing written) if the category of any of them is frozen.
-- KEYS: 1 all assignments, 2 recusals, 3 revealed categories, 4 places shown, then per
-- assignment i (from 0): 5+3i assignments of its category, 6+3i entries of its judge, 7+3i
-- judges of its entry
-- ARGV: per assignment i: 1+3i entry, 2+3i judge, 3+3i category
for i = 0, #ARGV / 3 - 1 do
  if frozen(KEYS[3], KEYS[4], ARGV[3 + 3 * i]) then
    return 'REVEALED'
  end
end
local added = 0
for i = 0, #ARGV / 3 - 1 do
  local e, j, c = ARGV[1 + 3 * i], ARGV[2 + 3 * i], ARGV[3 + 3 * i]
  local field = e .. '|' .. j
  if redis.call('SISMEMBER', KEYS[2], field) == 0 and redis.call('SADD', KEYS[7 + 3 * i], j) == 1 then
    redis.call('SADD', KEYS[6 + 3 * i], e)
    redis.call('SADD', KEYS[5 + 3 * i], field)
    redis.call('SADD', KEYS[1], field .. '|' .. c)
    added = added + 1
  end
end
return added
