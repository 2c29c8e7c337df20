package web

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCeremony_Freeze(t *testing.T) {
	// The first reveal (whole or step) freezes the category: from then on a score, withdrawal,
	// recusal or assignment in it → 409 category_revealed; also the same score again, a
	// repeated recusal, an unassignment of a pair not assigned and the submission of a draft.
	// Category_revealed comes after "unknown" (404) and "not yours" (403/404) answers and
	// judging_closed, and before the rules about the body (422).
	for _, step := range []bool{false, true} {
		t.Run(fmt.Sprintf("step=%v", step), func(t *testing.T) {
			ts := newTestServer(t)
			j1 := ts.judge(t, nil, catCyber, catCSR)
			j2 := ts.judge(t, nil, catCyber, catCSR)
			j3 := ts.judge(t, nil, catCyber) // assigned to nothing yet
			x := ts.exhibitor(t, "Acme Secure")
			y := ts.exhibitor(t, "Bravo Systems")
			a := ts.submitted(t, x, catCyber, "Aegis firewall")
			b := ts.submitted(t, y, catCyber, "Bastion gateway")
			draft := ts.createEntry(t, y, catCyber, "Citadel SIEM")
			green := ts.submitted(t, x, catCSR, "Green shield")
			for _, e := range []string{a, b} {
				ts.assign(t, j1, e)
				ts.assign(t, j2, e)
			}
			ts.assign(t, j1, green)
			j4 := ts.judge(t, nil, catCyber)
			ts.assign(t, j4, a)
			ts.must(t, http.StatusOK, "POST", "/api/v1/entries/"+a+"/recuse", j4.Token, nil)
			ts.score(t, j1, a, cyberMarks(9, 5))
			ts.score(t, j2, a, cyberMarks(8, 4))
			ts.score(t, j1, b, cyberMarks(3, 2))
			ts.score(t, j2, b, cyberMarks(4, 3))

			rr := ts.reveal(t, catCyber, step)
			if rr.PlacesShown < 1 {
				t.Fatalf("reveal answered %+v, want at least one place shown", rr)
			}
			public := ts.results(t, "").category(t, catCyber)
			admin := ts.results(t, ts.admin).category(t, catCyber)
			if len(public.Ranking) == 0 {
				t.Fatalf("the public sees no row after the reveal: %+v", public)
			}
			unchanged := func(t *testing.T) {
				t.Helper()
				if diff := cmp.Diff(public, ts.results(t, "").category(t, catCyber)); diff != "" {
					t.Fatalf("the public ranking changed after the reveal (-before +after):\n%s", diff)
				}
				if diff := cmp.Diff(admin.Ranking, ts.results(t, ts.admin).category(t, catCyber).Ranking); diff != "" {
					t.Fatalf("the admin's ranking changed after the reveal (-before +after):\n%s", diff)
				}
			}

			for _, tc := range []struct {
				name         string
				method, path string
				token        string
				body         any
			}{
				{"a judge re-scores", "PUT", "/api/v1/entries/" + b + "/scores/me", j1.Token,
					map[string]any{"scores": cyberMarks(10, 5), "comment": "second thoughts"}},
				{"a judge sends the same score again", "PUT", "/api/v1/entries/" + a + "/scores/me", j1.Token,
					map[string]any{"scores": cyberMarks(9, 5), "comment": "fine work"}},
				{"a judge sends marks that break a rule", "PUT", "/api/v1/entries/" + a + "/scores/me", j1.Token,
					map[string]any{"scores": map[string]float64{"innovation": 99}}},
				{"a judge recuses", "POST", "/api/v1/entries/" + a + "/recuse", j2.Token, nil},
				{"a judge recuses again", "POST", "/api/v1/entries/" + a + "/recuse", j4.Token, nil},
				{"an admin unassigns", "DELETE", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j1.ID, "entry_id": b}},
				{"an admin unassigns a pair that is not assigned", "DELETE", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j3.ID, "entry_id": b}},
				{"an admin assigns", "POST", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j3.ID, "entry_id": a}},
				{"an admin assigns a pair again", "POST", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j1.ID, "entry_id": a}},
				{"an exhibitor submits a draft into it", "POST", "/api/v1/entries/" + draft + "/submit", y.Token, nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					ts.wantError(t, http.StatusConflict, "category_revealed", tc.method, tc.path, tc.token, tc.body)
					unchanged(t)
				})
			}

			t.Run("auto-assignment leaves the category out", func(t *testing.T) {
				// POST /assignments/auto: entries of a frozen category get no new judge; their
				// assignments still count in per_judge.
				var res struct {
					Assigned int            `json:"assigned"`
					PerJudge map[string]int `json:"per_judge"`
					Unfilled []string       `json:"unfilled"`
				}
				decodeInto(t, ts.must(t, http.StatusOK, "POST", "/api/v1/assignments/auto", ts.admin, map[string]int{"judges_per_entry": 3}), &res)
				// green (csr) gets j2; csr has no third judge, so it stays unfilled.
				if res.Assigned != 1 || !slices.Equal(res.Unfilled, []string{green}) {
					t.Fatalf("auto-assign = %+v, want 1 assigned and only %s unfilled", res, green)
				}
				if diff := cmp.Diff(map[string]int{j1.ID: 3, j2.ID: 3, j3.ID: 0, j4.ID: 0}, res.PerJudge); diff != "" {
					t.Fatalf("per_judge (-want +got):\n%s", diff)
				}
				unchanged(t)
			})

			t.Run("another category stays open", func(t *testing.T) {
				ts.score(t, j1, green, map[string]float64{"merit": 12})
			})

			t.Run("earlier errors keep their answer", func(t *testing.T) {
				// An unknown entry is still 404, a judge not assigned still 403, and after
				// judging_close the answer is still judging_closed.
				ts.wantError(t, http.StatusNotFound, "", "PUT", "/api/v1/entries/e_nope/scores/me", j1.Token,
					map[string]any{"scores": cyberMarks(1, 1)})
				ts.wantError(t, http.StatusForbidden, "not_assigned", "PUT", "/api/v1/entries/"+a+"/scores/me", j3.Token,
					map[string]any{"scores": cyberMarks(1, 1)})
				ts.wantError(t, http.StatusNotFound, "", "POST", "/api/v1/entries/"+a+"/recuse", j3.Token, nil)
				ts.wantError(t, http.StatusNotFound, "unknown_entry", "POST", "/api/v1/assignments", ts.admin,
					map[string]string{"judge_id": j3.ID, "entry_id": "e_nope"})
				ts.clock.T = judgingClose
				ts.wantError(t, http.StatusConflict, "judging_closed", "PUT", "/api/v1/entries/"+a+"/scores/me", j1.Token,
					map[string]any{"scores": cyberMarks(1, 1)})
				unchanged(t)
			})
		})
	}
}
