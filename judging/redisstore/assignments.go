package redisstore

import (
	"context"
	"strings"

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
		switch n := res.(type) {
		case int64:
			added += int(n)
		case string:
			if n == "REVEALED" {
				return added, judging.ErrCategoryRevealed
			}
			return added, unexpected("assign", res)
		default:
			return added, unexpected("assign", res)
		}
	}
	return added, nil
}

// Withdraw ends an assignment and stops its score counting, recording that in the audit trail;
// nothing if the category is revealed or being revealed (ErrCategoryRevealed).
func (s *Store) Withdraw(ctx context.Context, w judging.Withdrawal) (bool, error) {
	members, err := auditMembers(withdrawalRecord{
		At: stamp(w.At), By: w.By, Action: "withdraw", Reason: w.Reason(),
		EntryID: w.EntryID, JudgeID: w.JudgeID, CategoryID: w.CategoryID,
	})
	if err != nil {
		return false, wrapValue("withdraw", err)
	}
	keys := []string{
		s.k.assignments(), s.k.assignedInCat(w.CategoryID), s.k.assignedTo(w.JudgeID), s.k.judgesOf(w.EntryID),
		s.k.recused(), s.k.counting(w.CategoryID), s.k.bodies(w.CategoryID),
		s.k.audit(), s.k.auditHead(), s.k.auditSeq(), s.k.revealed(), s.k.partial(),
	}
	res, err := s.s.withdraw.Run(ctx, s.rdb, keys, w.EntryID, w.JudgeID, w.CategoryID, flag(w.Recuse), members).Result()
	if err != nil {
		return false, wrap("withdraw", err)
	}
	switch res {
	case int64(1):
		return true, nil
	case int64(0):
		return false, nil
	case "REVEALED":
		return false, judging.ErrCategoryRevealed
	}
	return false, unexpected("withdraw", res)
}

// withdrawalRecord is the audit record of a withdrawal up to its old score, in the order of
// judging.AuditEvent; the script puts the sequence number in front and the old score after.
type withdrawalRecord struct {
	At         string `json:"at"`
	By         string `json:"by"`
	Action     string `json:"action"`
	Reason     string `json:"reason"`
	EntryID    string `json:"entry_id"`
	JudgeID    string `json:"judge_id"`
	CategoryID string `json:"category_id"`
}
