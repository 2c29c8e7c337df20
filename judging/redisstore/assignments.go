package redisstore

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

var _ judging.Assignments = (*Store)(nil)

// Assigned reports whether the judge is currently assigned to the entry.
func (s *Store) Assigned(ctx context.Context, entryID, judgeID string) (bool, error) {
	ok, err := s.rdb.SIsMember(ctx, s.k.judgesOf(entryID), judgeID).Result()
	return ok, wrap("assigned", err)
}

// Assignments returns every current assignment and recusal.
func (s *Store) Assignments(ctx context.Context) (judging.AssignmentState, error) {
	var active, recused *redis.StringSliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		active = p.SMembers(ctx, s.k.assignments())
		recused = p.SMembers(ctx, s.k.recused())
		return nil
	})
	if err != nil {
		return judging.AssignmentState{}, wrap("assignments", err)
	}
	var st judging.AssignmentState
	for _, m := range active.Val() {
		if f := strings.Split(m, "|"); len(f) == 3 {
			st.Active = append(st.Active, judging.CategoryAssignment{Assignment: judging.Assignment{EntryID: f[0], JudgeID: f[1]}, CategoryID: f[2]})
		}
	}
	for _, m := range recused.Val() {
		if f := strings.Split(m, "|"); len(f) == 2 {
			st.Recused = append(st.Recused, judging.Assignment{EntryID: f[0], JudgeID: f[1]})
		}
	}
	return st, nil
}

// assignBatch bounds the keys one assign script call declares.
const assignBatch = 500

// Assign adds assignments that are not there yet, skipping recused pairs; none of a batch if
// one of its categories is revealed or being revealed (ErrCategoryRevealed).
func (s *Store) Assign(ctx context.Context, as []judging.CategoryAssignment) (int, error) {
	added := 0
	for len(as) > 0 {
		batch := as[:min(assignBatch, len(as))]
		as = as[len(batch):]
		keys := []string{s.k.assignments(), s.k.recused(), s.k.revealed(), s.k.partial()}
		args := make([]any, 0, 3*len(batch))
		for _, a := range batch {
			keys = append(keys, s.k.assignedInCat(a.CategoryID), s.k.assignedTo(a.JudgeID), s.k.judgesOf(a.EntryID))
			args = append(args, a.EntryID, a.JudgeID, a.CategoryID)
		}
		res, err := s.s.assign.Run(ctx, s.rdb, keys, args...).Result()
		if err != nil {
			return added, wrap("assign", err)
		}
		n, ok := res.(int64)
		if !ok {
			return added, judging.ErrCategoryRevealed
		}
		added += int(n)
	}
	return added, nil
}

// Withdraw ends an assignment and stops its score counting, recording that in the audit trail;
// nothing if the category is revealed or being revealed (ErrCategoryRevealed).
func (s *Store) Withdraw(ctx context.Context, a judging.CategoryAssignment, reason, by string, at time.Time) (bool, error) {
	recuse := "0"
	if reason == "recused" {
		recuse = "1"
	}
	keys := []string{
		s.k.assignments(), s.k.assignedInCat(a.CategoryID), s.k.assignedTo(a.JudgeID), s.k.judgesOf(a.EntryID),
		s.k.recused(), s.k.counting(a.CategoryID), s.k.bodies(a.CategoryID),
		s.k.audit(), s.k.auditHead(), s.k.auditSeq(), s.k.revealed(), s.k.partial(),
	}
	res, err := s.s.withdraw.Run(ctx, s.rdb, keys, a.EntryID, a.JudgeID, a.CategoryID, reason, stamp(at), recuse, by).Result()
	if err != nil {
		return false, wrap("withdraw", err)
	}
	n, ok := res.(int64)
	if !ok {
		return false, judging.ErrCategoryRevealed
	}
	return n == 1, nil
}
