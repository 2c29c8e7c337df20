package web

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAssignments_HTTP(t *testing.T) {
	ts := newTestServer(t)
	acme := ts.exhibitor(t, "Acme Secure")
	bravo := ts.exhibitor(t, "Bravo Systems")
	jAcme := ts.judge(t, []string{"  acme   SECURE "}, catCyber) // works for Acme, however it is typed
	jB := ts.judge(t, nil, catCyber)
	jC := ts.judge(t, []string{"Charlie Labs"}, catCyber)
	jCSR := ts.judge(t, nil, catCSR)
	jIdle := ts.judge(t, nil, catDrones)

	a1 := ts.submitted(t, acme, catCyber, "Aegis")
	a2 := ts.submitted(t, acme, catCyber, "Argus")
	b1 := ts.submitted(t, bravo, catCyber, "Bastion")
	draft := ts.createEntry(t, bravo, catCyber, "Draft")
	c1 := ts.submitted(t, bravo, catCSR, "Green")

	assign := func(j, e string) (int, []byte) {
		return ts.do(t, "POST", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j, "entry_id": e})
	}

	t.Run("ErrConflict", func(t *testing.T) {
		// POST /assignments (admin) {judge_id, entry_id} → 201; a conflict → 409: a judge whose
		// affiliations match the entry's company (case and spacing ignored), a judge of another
		// category, an entry not submitted.
		for _, c := range []struct {
			name, judge, entry, code string
		}{
			{"affiliated judge", jAcme.ID, a1, "conflict_of_interest"},
			{"judge of another category", jCSR.ID, a1, "wrong_category"},
			{"draft entry", jB.ID, draft, "not_submitted"},
		} {
			status, out := assign(c.judge, c.entry)
			if got, want := status, http.StatusConflict; got != want {
				t.Errorf("%s: POST /assignments = %d %s, want %d", c.name, got, out, want)
				continue
			}
			if code, _ := errorOf(t, out); code != c.code {
				t.Errorf("%s: code %q, want %q", c.name, code, c.code)
			}
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// 404 not found: an unknown judge or entry; an exhibitor is not a judge.
		for _, c := range []struct{ name, judge, entry string }{
			{"unknown judge", "u_nobody", a1},
			{"exhibitor as judge", acme.ID, b1},
			{"unknown entry", jB.ID, "e_nosuchentry"},
		} {
			status, out := assign(c.judge, c.entry)
			if got, want := status, http.StatusNotFound; got != want {
				t.Errorf("%s: POST /assignments = %d %s, want %d", c.name, got, out, want)
			}
		}
		ts.wantError(t, http.StatusUnprocessableEntity, "", "POST", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": jB.ID})
	})

	t.Run("ErrInvalid judges_per_entry", func(t *testing.T) {
		// 422 valid JSON that breaks a rule.
		for _, n := range []int{0, -1} {
			ts.wantError(t, http.StatusUnprocessableEntity, "", "POST", "/api/v1/assignments/auto", ts.admin, map[string]int{"judges_per_entry": n})
		}
	})

	type autoResult struct {
		Assigned int            `json:"assigned"`
		PerJudge map[string]int `json:"per_judge"`
		Unfilled []string       `json:"unfilled"`
	}
	auto := func(t *testing.T) autoResult {
		t.Helper()
		var r autoResult
		decodeInto(t, ts.must(t, http.StatusOK, "POST", "/api/v1/assignments/auto", ts.admin, map[string]int{"judges_per_entry": 2}), &r)
		return r
	}

	t.Run("OK auto", func(t *testing.T) {
		// POST /assignments/auto (admin) {judges_per_entry} → 200 {assigned, per_judge, unfilled}:
		// only submitted entries, only judges of the entry's category, never an affiliated
		// judge; load spread as evenly as possible; per_judge is every judge's load, 0 included.
		r := auto(t)
		// Aegis and Argus can only have jB and jC; Bastion takes jAcme and one of them; Green
		// has one csr judge and stays unfilled.
		if got, want := r.Assigned, 7; got != want {
			t.Errorf("assigned = %d, want %d", got, want)
		}
		if got, want := r.Unfilled, []string{c1}; !slices.Equal(got, want) {
			t.Errorf("unfilled = %v, want %v", got, want)
		}
		if len(r.PerJudge) != 5 || r.PerJudge[jAcme.ID] != 1 || r.PerJudge[jB.ID]+r.PerJudge[jC.ID] != 5 ||
			r.PerJudge[jCSR.ID] != 1 || r.PerJudge[jIdle.ID] != 0 {
			t.Errorf("per_judge = %v", r.PerJudge)
		}
		if _, ok := r.PerJudge[jIdle.ID]; !ok {
			t.Errorf("per_judge lacks the idle judge: %v", r.PerJudge)
		}
		// Each judge's GET /entries shows what they were given.
		if got, want := ts.listIDs(t, "/api/v1/entries", jAcme.Token), []string{b1}; !slices.Equal(got, want) {
			t.Errorf("affiliated judge's entries = %v, want %v", got, want)
		}
		for _, j := range []testUser{jB, jC} {
			got := ts.listIDs(t, "/api/v1/entries", j.Token)
			if !slices.Contains(got, a1) || !slices.Contains(got, a2) || slices.Contains(got, draft) {
				t.Errorf("judge %s's entries = %v, want Aegis and Argus, never the draft", j.ID, got)
			}
		}
		if got, want := ts.listIDs(t, "/api/v1/entries", jCSR.Token), []string{c1}; !slices.Equal(got, want) {
			t.Errorf("csr judge's entries = %v, want %v", got, want)
		}

		// assigned counts the assignments this call made: again, none.
		again := auto(t)
		if diff := cmp.Diff(autoResult{Assigned: 0, PerJudge: r.PerJudge, Unfilled: r.Unfilled}, again); diff != "" {
			t.Errorf("second auto-assignment (-want +got):\n%s", diff)
		}
	})

	t.Run("OK DELETE then auto fills the place again", func(t *testing.T) {
		// DELETE /assignments same body → 204; the entry is short of a judge again.
		ts.must(t, http.StatusNoContent, "DELETE", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": jAcme.ID, "entry_id": b1})
		if got := ts.listIDs(t, "/api/v1/entries", jAcme.Token); len(got) != 0 {
			t.Fatalf("unassigned judge still lists %v", got)
		}
		r := auto(t)
		if r.Assigned != 1 || r.PerJudge[jAcme.ID] != 1 {
			t.Fatalf("auto after DELETE = %+v, want 1 assignment, to the judge with no load", r)
		}
	})
}
