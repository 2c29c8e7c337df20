package redisstore

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

// auditPage is how many audit records one XRANGE reads.
const auditPage = 1000

// Audit returns the whole audit trail, oldest first.
func (s *Store) Audit(ctx context.Context) ([]judging.AuditRecord, error) {
	var out []judging.AuditRecord
	start := "-"
	for {
		msgs, err := s.rdb.XRangeN(ctx, s.k.audit(), start, "+", auditPage).Result()
		if err != nil {
			return nil, wrap("audit", err)
		}
		for _, m := range msgs {
			str := func(f string) string { v, _ := m.Values[f].(string); return v }
			out = append(out, judging.AuditRecord{ID: m.ID, Payload: str("payload"), Prev: str("prev"), Hash: str("hash")})
		}
		if len(msgs) < auditPage {
			return out, nil
		}
		start = nextID(msgs[len(msgs)-1].ID)
	}
}

// AuditHead returns the hash the last audit record should carry ("" when there is none).
func (s *Store) AuditHead(ctx context.Context) (string, error) {
	h, err := s.rdb.Get(ctx, s.k.auditHead()).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return h, wrap("audit head", err)
}

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

// nextID is the smallest stream id after id ("ms-seq"), for paging without exclusive ranges.
func nextID(id string) string {
	ms, seq, _ := strings.Cut(id, "-")
	n, _ := strconv.ParseUint(seq, 10, 64)
	return ms + "-" + strconv.FormatUint(n+1, 10)
}
