package judging

import (
	"context"
	"strconv"
)

// AuditTrail reads the hash-chained audit trail that Scores and Assignments append to.
type AuditTrail interface {
	// Audit returns the whole audit trail, oldest first.
	Audit(ctx context.Context) ([]AuditRecord, error)
	// AuditHead returns the hash the last audit record should carry.
	AuditHead(ctx context.Context) (string, error)
}

// VerifyAudit checks the audit trail's hash chain, then that replaying the trail gives exactly
// the scores that count now: the tally is what the audit trail says it is.
func (s *Service) VerifyAudit(ctx context.Context, a Actor) (AuditCheck, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return AuditCheck{}, err
	}
	p, _, err := s.programme(ctx)
	if err != nil {
		return AuditCheck{}, err
	}
	// Read the scores and the trail between two reads of the head; a write in between moves
	// the head, and the reads are taken again.
	for attempt := 0; ; attempt++ {
		before, err := s.audit.AuditHead(ctx)
		if err != nil {
			return AuditCheck{}, err
		}
		var counting []Score
		for _, c := range p.Categories {
			scores, err := s.scores.CategoryScores(ctx, c.ID)
			if err != nil {
				return AuditCheck{}, err
			}
			counting = append(counting, scores...)
		}
		recs, err := s.audit.Audit(ctx)
		if err != nil {
			return AuditCheck{}, err
		}
		head, err := s.audit.AuditHead(ctx)
		if err != nil {
			return AuditCheck{}, err
		}
		if head != before && attempt < 5 {
			continue
		}
		res := VerifyChain(recs, head)
		if !res.OK {
			return res, nil
		}
		if i, ok := unreadableRecord(recs); ok {
			res.OK, res.Problem = false, "record "+strconv.Itoa(i+1)+": its score cannot be read"
			return res, nil
		}
		if why := sameScores(ReplayAudit(recs), counting, p); why != "" {
			res.OK, res.Problem = false, why
		}
		return res, nil
	}
}

// sameScores compares the replayed scores with those that count, in the programme's
// categories; it names the first difference, or returns "".
func sameScores(replayed, counting []Score, p Programme) string {
	key := func(sc Score) string { return sc.EntryID + "|" + sc.JudgeID }
	want := map[string]Score{}
	for _, sc := range replayed {
		if _, ok := p.Category(sc.CategoryID); ok {
			want[key(sc)] = sc
		}
	}
	for _, sc := range counting {
		w, ok := want[key(sc)]
		if !ok || w.Version != sc.Version || w.Total != sc.Total {
			return "the score of judge " + sc.JudgeID + " for entry " + sc.EntryID + " does not match the audit trail"
		}
		delete(want, key(sc))
	}
	for _, sc := range want {
		return "the audit trail holds a score of judge " + sc.JudgeID + " for entry " + sc.EntryID + " that does not count"
	}
	return ""
}

// unreadableRecord returns the index of the first audit record whose payload cannot be read.
func unreadableRecord(recs []AuditRecord) (int, bool) {
	for i, r := range recs {
		if _, err := decodeAuditEvent(r.Payload); err != nil {
			return i, true
		}
	}
	return 0, false
}
