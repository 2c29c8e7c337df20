package redisstore

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

var _ judging.AuditTrail = (*Store)(nil)

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

// nextID is the smallest stream id after id ("ms-seq"), for paging without exclusive ranges.
func nextID(id string) string {
	ms, seq, _ := strings.Cut(id, "-")
	n, _ := strconv.ParseUint(seq, 10, 64)
	return ms + "-" + strconv.FormatUint(n+1, 10)
}
