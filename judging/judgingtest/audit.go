package judgingtest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
)

// DecodeAudit reads an audit record's payload, failing tb if it cannot.
func DecodeAudit(tb testing.TB, r judging.AuditRecord) judging.AuditEvent {
	tb.Helper()
	var ev judging.AuditEvent
	if err := json.Unmarshal([]byte(r.Payload), &ev); err != nil {
		tb.Fatalf("audit record %s: %v", r.ID, err)
	}
	return ev
}

// Replay rebuilds the counting scores from an audit trail, sorted by SortScores: the last
// "new" per (entry, judge), dropped on "withdraw". It fails tb unless each record's "old" is
// the score the replay held.
func Replay(tb testing.TB, recs []judging.AuditRecord) []judging.Score {
	tb.Helper()
	state := map[[2]string]judging.Score{}
	for i, r := range recs {
		ev := DecodeAudit(tb, r)
		k := [2]string{ev.EntryID, ev.JudgeID}
		var held *judging.Score
		if sc, ok := state[k]; ok {
			held = &sc
		}
		if diff := cmp.Diff(held, ev.Old); diff != "" {
			tb.Fatalf("audit record %d (%s): old is not the score that counted (-replayed +recorded):\n%s", i+1, ev.Action, diff)
		}
		switch ev.Action {
		case "score":
			if ev.New == nil {
				tb.Fatalf("audit record %d: a score with no new", i+1)
			}
			state[k] = *ev.New
		case "withdraw":
			delete(state, k)
		default:
			tb.Fatalf("audit record %d: unknown action %q", i+1, ev.Action)
		}
	}
	out := make([]judging.Score, 0, len(state))
	for _, sc := range state {
		out = append(out, sc)
	}
	SortScores(out)
	return out
}

// SortScores orders scores by entry, then judge.
func SortScores(s []judging.Score) {
	slices.SortFunc(s, func(a, b judging.Score) int {
		if c := strings.Compare(a.EntryID, b.EntryID); c != 0 {
			return c
		}
		return strings.Compare(a.JudgeID, b.JudgeID)
	})
}
