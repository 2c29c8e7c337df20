-- Shared by the scripts that change what a category's ranking is made of: whether the
-- category is frozen, that is revealed (krevealed) or being revealed step by step (kpartial).
local function frozen(krevealed, kpartial, category)
  return redis.call('SISMEMBER', krevealed, category) == 1 or redis.call('HEXISTS', kpartial, category) == 1
end
