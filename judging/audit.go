package judging

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
)

// AuditTrail reads the hash-chained audit trail that Scores and Assignments append to.
type AuditTrail interface {
	// Audit returns the whole audit trail, oldest first.
	Audit(ctx context.Context) ([]AuditRecord, error)
	// AuditHead returns the hash the last audit record should carry.
	AuditHead(ctx context.Context) (string, error)
}

// AuditCheck is the result of checking the audit trail's hash chain.
type AuditCheck struct {
	OK      bool   `json:"ok"`
	Records int    `json:"records"`
	Head    string `json:"head"`
	Problem string `json:"problem,omitempty"`
}

// VerifyAudit recomputes the audit trail's hash chain — each record must carry the hash of
// the one before and the hash of its own payload, sequence numbers must run without a gap,
// and the last hash must be the head the store keeps, so a changed, inserted or deleted
// record breaks it — and then replays the trail and checks that it gives exactly the scores
// that count now: the tally is what the audit trail says it is.
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

// ReplayAudit rebuilds the scores that count from an audit trail: the last score each judge
// gave each entry, unless withdrawn since.
func ReplayAudit(recs []AuditRecord) []Score {
	state := map[[2]string]Score{}
	var order [][2]string
	for _, r := range recs {
		ev, err := decodeAuditEvent(r.Payload)
		if err != nil {
			continue // VerifyAudit reports it
		}
		k := [2]string{ev.EntryID, ev.JudgeID}
		switch {
		case ev.Action == "score" && ev.New != nil:
			if _, ok := state[k]; !ok {
				order = append(order, k)
			}
			state[k] = *ev.New
		case ev.Action == "withdraw":
			delete(state, k)
		}
	}
	out := make([]Score, 0, len(state))
	for _, k := range order {
		if sc, ok := state[k]; ok {
			out = append(out, sc)
			delete(state, k)
		}
	}
	return out
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

// VerifyChain checks a hash chain of audit records against the head the store keeps.
func VerifyChain(recs []AuditRecord, head string) AuditCheck {
	prev := ""
	res := AuditCheck{Records: len(recs)}
	fail := func(i int, why string) AuditCheck {
		res.Problem = "record " + strconv.Itoa(i+1) + ": " + why
		res.Head = prev
		return res
	}
	for i, r := range recs {
		if r.Prev != prev {
			return fail(i, "does not follow the record before it")
		}
		if ChainHash(prev, r.Payload) != r.Hash {
			return fail(i, "its content does not match its hash")
		}
		if seq, ok := auditSeq(r.Payload); !ok || seq != int64(i+1) {
			return fail(i, "sequence number out of order")
		}
		prev = r.Hash
	}
	res.Head = prev
	if head != prev {
		res.Problem = "the last record is not the head the store keeps"
		return res
	}
	res.OK = true
	return res
}

// auditSeq reads the sequence number an audit payload starts with ({"seq":N,…}) without
// reading the rest, so that the chain can be checked even when a score in it cannot be read.
func auditSeq(payload string) (int64, bool) {
	dec := json.NewDecoder(strings.NewReader(payload))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, false
	}
	if t, err := dec.Token(); err != nil || t != "seq" {
		return 0, false
	}
	t, err := dec.Token()
	n, ok := t.(json.Number)
	if err != nil || !ok {
		return 0, false
	}
	seq, err := n.Int64()
	return seq, err == nil
}

// decodeAuditEvent reads an audit payload whole; it fails on a score that cannot be read,
// such as a total that is not a number (stored by a version that allowed it).
func decodeAuditEvent(payload string) (AuditEvent, error) {
	var ev AuditEvent
	err := json.Unmarshal([]byte(payload), &ev)
	return ev, err
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

// ChainHash is the hash of an audit record: sha1 over the previous hash, a newline and the
// payload, in hex. (SHA-1 because both Redis and the embedded store compute it in Lua; the
// chain detects edits, and no unkeyed chain resists someone who rewrites all of it.)
func ChainHash(prev, payload string) string {
	h := sha1.Sum([]byte(prev + "\n" + payload))
	return hex.EncodeToString(h[:])
}
