package web

import (
	"math"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// apiReveal is the answer of POST /ceremony/reveal.
type apiReveal struct {
	CategoryID  string `json:"category_id"`
	Revealed    bool   `json:"revealed"`
	PlacesShown int    `json:"places_shown"`
	Places      int    `json:"places"`
}

// reveal reveals a category through POST /ceremony/reveal, whole or one step.
func (ts *testServer) reveal(tb testing.TB, category string, step bool) apiReveal {
	tb.Helper()
	var rr apiReveal
	decodeInto(tb, ts.must(tb, http.StatusOK, "POST", "/api/v1/ceremony/reveal", ts.admin,
		map[string]any{"category_id": category, "step": step}), &rr)
	return rr
}

// apiCeremony is GET /ceremony.
type apiCeremony struct {
	Revealed []string       `json:"revealed"`
	Partial  map[string]int `json:"partial"`
}

// cyberMarks are marks for the test programme's cyber-security category.
func cyberMarks(innovation, impact float64) map[string]float64 {
	return map[string]float64{"innovation": innovation, "impact": impact}
}

func TestCeremony_StepRevealByRank(t *testing.T) {
	// A place is one rank, shown from the bottom: entries sharing a rank appear together in
	// one step, so no step shows a tied row whose partner is still hidden.
	ts := newTestServer(t)
	j := ts.judge(t, nil, catCyber)
	x := ts.exhibitor(t, "Acme Secure")
	top := ts.submitted(t, x, catCyber, "Aegis firewall")
	mid := ts.submitted(t, x, catCyber, "Bastion gateway")
	low1 := ts.submitted(t, x, catCyber, "Citadel SIEM")
	low2 := ts.submitted(t, x, catCyber, "Dome sensor")
	for e, m := range map[string]map[string]float64{top: cyberMarks(9, 5), mid: cyberMarks(6, 3), low1: cyberMarks(2, 2), low2: cyberMarks(2, 2)} {
		ts.assign(t, j, e)
		ts.score(t, j, e, m)
	}
	full := ts.results(t, ts.admin).category(t, catCyber).Ranking
	if got, want := rowIDs(full), []string{top, mid, low1, low2}; !slices.Equal(got, want) {
		t.Fatalf("admin's ranking = %v, want %v", got, want)
	}

	for _, st := range []struct {
		shown int
		rows  []string
	}{
		{1, []string{low1, low2}},
		{2, []string{mid, low1, low2}},
		{3, []string{top, mid, low1, low2}},
	} {
		rr := ts.reveal(t, catCyber, true)
		last := st.shown == 3
		for _, v := range []struct{ name, token string }{{"public", ""}, {"judge", j.Token}, {"exhibitor", x.Token}} {
			c := ts.results(t, v.token).category(t, catCyber)
			wantTiesShown(t, full, c.Ranking)
			if got := rowIDs(c.Ranking); !slices.Equal(got, st.rows) {
				t.Fatalf("step %d, %s: rows %v, want %v", st.shown, v.name, got, st.rows)
			}
			if diff := cmp.Diff(full[len(full)-len(st.rows):], c.Ranking); diff != "" {
				t.Fatalf("step %d, %s: rows differ from the admin's (-admin +shown):\n%s", st.shown, v.name, diff)
			}
		}
		if want := (apiReveal{CategoryID: catCyber, Revealed: last, PlacesShown: st.shown, Places: 3}); rr != want {
			t.Fatalf("step %d: reveal = %+v, want %+v", st.shown, rr, want)
		}
		var cer apiCeremony
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/ceremony", "", nil), &cer)
		wantPartial := map[string]int{catCyber: st.shown}
		if last {
			wantPartial = map[string]int{}
		}
		if !cmp.Equal(wantPartial, cer.Partial) {
			t.Fatalf("step %d: GET /ceremony partial = %v, want %v", st.shown, cer.Partial, wantPartial)
		}
	}
}

// wantTiesShown fails tb if a shown row carries tie: true while a row of the full ranking
// with the same score is not shown.
func wantTiesShown(tb testing.TB, full, shown []apiRow) {
	tb.Helper()
	ids := rowIDs(shown)
	for _, r := range shown {
		if !r.Tie {
			continue
		}
		for _, o := range full {
			if o.Score != nil && r.Score != nil && math.Abs(*o.Score-*r.Score) <= 1e-9 && !slices.Contains(ids, o.EntryID) {
				tb.Fatalf("row %s is shown with tie: true while its tied partner %s is hidden", r.EntryID, o.EntryID)
			}
		}
	}
}
