package web

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/awards-dev/awards/judging"
)

// catWide is a category with the range of issue 6's attack: min -1.7e308, max 1.7e308, so
// that (max − min) overflows and a weighted total comes out NaN.
const catWide = "wide-open"

// putWideProgramme stores, behind the API's back (as a version without the programme rules
// did), testProgramme plus catWide; it returns the new programme revision.
func (ts *testServer) putWideProgramme(tb testing.TB) int64 {
	tb.Helper()
	ctx := context.Background()
	p := testProgramme()
	p.Categories = append(p.Categories, judging.Category{ID: catWide, Name: "Wide open", Tally: judging.TallyMean,
		Criteria: []judging.Criterion{{ID: "merit", Name: "Merit", Weight: 1, Min: -1.7e308, Max: 1.7e308}}})
	_, rev, err := ts.store.Programme(ctx)
	if err != nil {
		tb.Fatalf("Programme: %v", err)
	}
	rev, err = ts.store.PutProgramme(ctx, p, rev, nil, nil)
	if err != nil {
		tb.Fatalf("PutProgramme: %v", err)
	}
	return rev
}

func TestPoisonedTally_HTTP(t *testing.T) {
	ts := newTestServer(t)
	rev := ts.putWideProgramme(t)
	x := ts.exhibitor(t, "Poison Ltd")
	y := ts.exhibitor(t, "Healthy Ltd")
	j := ts.judge(t, nil, catWide)
	h := ts.judge(t, nil, catWide)
	bad := ts.submitted(t, x, catWide, "Poisoned")
	inf := ts.submitted(t, x, catWide, "Overflowed")
	good := ts.submitted(t, y, catWide, "Healthy")
	for _, e := range []string{bad, inf, good} {
		ts.assign(t, j, e)
		ts.assign(t, h, e)
	}

	t.Run("ErrInvalid a non-finite total is refused before the store", func(t *testing.T) {
		// A programme stored before the programme rules cannot make the store keep a NaN
		// total: the score is 422 and nothing is written.
		ts.wantError(t, http.StatusUnprocessableEntity, "invalid_total", "PUT", "/api/v1/entries/"+bad+"/scores/me", j.Token,
			map[string]any{"scores": map[string]float64{"merit": 1.7e308}})
		var q []struct {
			Entry   apiEntry  `json:"entry"`
			MyScore *apiScore `json:"my_score"`
		}
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/judge/queue", j.Token, nil), &q)
		for _, it := range q {
			if it.MyScore != nil {
				t.Fatalf("a refused score was stored: %+v", it.MyScore)
			}
		}
	})

	// The poison of issue 6, written straight into the store as the old code did: a NaN total
	// and an infinite one, beside a healthy score in the same category.
	ctx := context.Background()
	for _, w := range []judging.ScoreWrite{
		{EntryID: bad, JudgeID: j.ID, CategoryID: catWide, ProgrammeRev: rev, Body: `{"comment":"","scores":{"merit":1.7e308}}`, Total: math.NaN(), At: t0},
		{EntryID: inf, JudgeID: j.ID, CategoryID: catWide, ProgrammeRev: rev, Body: `{"comment":"","scores":{"merit":1e308}}`, Total: math.Inf(1), At: t0},
	} {
		// The store writes the record and then cannot read its own answer: an error here is expected.
		_, _, _ = ts.store.SaveScore(ctx, w)
	}
	if pr, err := ts.store.Progress(ctx, catWide); err != nil || pr.Scored != 2 {
		t.Fatalf("the poisoned scores were not stored: progress %+v, %v", pr, err)
	}
	ts.score(t, h, good, map[string]float64{"merit": 0})

	readable := func(t *testing.T) {
		t.Helper()
		// Every reader survives one bad stored record: it is left out (and logged), the rest is served.
		res := ts.results(t, ts.admin)
		var seen bool
		for _, r := range res.category(t, catWide).Ranking {
			if r.EntryID == good {
				seen = r.Score != nil && r.Judges == 1
			}
			if r.EntryID == bad && r.Score != nil {
				t.Fatalf("the unreadable score counts: %+v", r)
			}
		}
		if !seen {
			t.Fatalf("the healthy score is missing from /results: %+v", res.category(t, catWide))
		}
		if rows := readCSV(t, ts.must(t, http.StatusOK, "GET", "/api/v1/results.csv", ts.admin, nil)); len(rows) < 4 {
			t.Fatalf("/results.csv: %d rows, want a header and 3", len(rows))
		}
		audit := string(ts.must(t, http.StatusOK, "GET", "/api/v1/audit.csv", ts.admin, nil))
		if !strings.Contains(audit, ",unreadable,") {
			t.Fatalf("/audit.csv has no row for the unreadable records:\n%s", audit)
		}
		var check struct {
			OK      bool   `json:"ok"`
			Records int    `json:"records"`
			Head    string `json:"head"`
			Problem string `json:"problem"`
		}
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/audit/verify", ts.admin, nil), &check)
		if check.OK || !strings.Contains(check.Problem, "record 1: its score cannot be read") || check.Head == "" {
			t.Fatalf("/audit/verify = %+v, want ok false naming record 1", check)
		}
		ts.must(t, http.StatusOK, "GET", "/api/v1/judge/queue", j.Token, nil)
		ts.must(t, http.StatusOK, "GET", "/api/v1/entries/"+bad+"/scores", ts.admin, nil)
	}

	t.Run("OK every reader answers 200", func(t *testing.T) {
		// From then on /results, both CSVs, /audit/verify and that judge's queue answer 200, not 500.
		readable(t)
	})

	t.Run("OK unassigning works and the readers stay up", func(t *testing.T) {
		// DELETE /assignments → 204: the unreadable score stops counting.
		for _, e := range []string{bad, inf} {
			ts.must(t, http.StatusNoContent, "DELETE", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j.ID, "entry_id": e})
		}
		readable(t)
	})
}
