package redisstore

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

var _ judging.Ceremony = (*Store)(nil)

// Reveal reveals a whole category.
func (s *Store) Reveal(ctx context.Context, categoryID string) error {
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.SAdd(ctx, s.k.revealed(), categoryID)
		p.HDel(ctx, s.k.partial(), categoryID)
		return nil
	})
	return wrap("reveal", err)
}

// Freeze marks a category as being revealed with no place shown yet, unless it is revealed or
// being revealed already.
func (s *Store) Freeze(ctx context.Context, categoryID string) error {
	err := s.s.freeze.Run(ctx, s.rdb, []string{s.k.revealed(), s.k.partial()}, categoryID).Err()
	return wrap("freeze", err)
}

// RevealStep shows one more place of a category that has places places.
func (s *Store) RevealStep(ctx context.Context, categoryID string, places int) (int, error) {
	n, err := s.s.revealStep.Run(ctx, s.rdb, []string{s.k.revealed(), s.k.partial()}, categoryID, places).Int()
	return n, wrap("reveal step", err)
}

// Ceremony returns the revealed categories and the places shown of partly revealed ones.
func (s *Store) Ceremony(ctx context.Context) ([]string, map[string]int, error) {
	var rev *redis.StringSliceCmd
	var part *redis.MapStringStringCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		rev = p.SMembers(ctx, s.k.revealed())
		part = p.HGetAll(ctx, s.k.partial())
		return nil
	})
	if err != nil {
		return nil, nil, wrap("ceremony", err)
	}
	revealed := rev.Val()
	sortBy(revealed, func(s string) string { return s })
	partial := make(map[string]int, len(part.Val()))
	for c, n := range part.Val() {
		partial[c] = atoi(n)
	}
	return revealed, partial, nil
}
