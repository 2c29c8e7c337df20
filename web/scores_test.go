package web

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// weighted is the formula of docs/api.md, written out: Σ weightᵢ·(scoreᵢ−minᵢ)/(maxᵢ−minᵢ) / Σ weightᵢ × 100
// for cyber-security (innovation [0,10] weight 2, impact [1,5] weight 1).
func weighted(innovation, impact float64) float64 {
	return (2*(innovation-0)/(10-0) + 1*(impact-1)/(5-1)) / (2 + 1) * 100
}

func TestScores_HTTP(t *testing.T) {
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Acme Secure")
	j1 := ts.judge(t, nil, catCyber)
	j2 := ts.judge(t, nil, catCyber)
	j3 := ts.judge(t, nil, catCyber)
	stranger := ts.judge(t, nil, catCyber)
	e := ts.submitted(t, x, catCyber, "Aegis")
	for _, j := range []testUser{j1, j2, j3} {
		ts.assign(t, j, e)
	}
	path := "/api/v1/entries/" + e + "/scores/me"
	body := func(innovation, impact float64, comment string) map[string]any {
		return map[string]any{"scores": map[string]float64{"innovation": innovation, "impact": impact}, "comment": comment}
	}
	put := func(t *testing.T, j testUser, b any) apiScore {
		t.Helper()
		var sc apiScore
		decodeInto(t, ts.must(t, http.StatusOK, "PUT", path, j.Token, b), &sc)
		return sc
	}

	t.Run("OK queue before any score", func(t *testing.T) {
		// GET /judge/queue (judge) → [{entry, my_score|null}] of their assignments.
		var q []struct {
			Entry   apiEntry  `json:"entry"`
			MyScore *apiScore `json:"my_score"`
		}
		body := ts.must(t, http.StatusOK, "GET", "/api/v1/judge/queue", j1.Token, nil)
		decodeInto(t, body, &q)
		if len(q) != 1 || q[0].Entry.ID != e || q[0].MyScore != nil || !strings.Contains(string(body), `"my_score":null`) {
			t.Fatalf("queue = %s, want one item for %s with my_score null", body, e)
		}
		if got := ts.must(t, http.StatusOK, "GET", "/api/v1/judge/queue", stranger.Token, nil); string(got) != "[]" {
			t.Fatalf("queue of a judge with no assignment = %s, want []", got)
		}
	})

	t.Run("OK total is the weighted score on 0–100", func(t *testing.T) {
		// PUT /entries/{id}/scores/me → 200 {entry_id, judge_id, version, total}; total is the
		// judge's weighted score on 0–100.
		sc := put(t, j1, body(7, 4, "solid"))
		if sc.EntryID != e || sc.JudgeID != j1.ID || sc.Version != 1 {
			t.Fatalf("score = %+v, want entry %s judge %s version 1", sc, e, j1.ID)
		}
		if got, want := sc.Total, weighted(7, 4); math.Abs(got-want) > 1e-9 {
			t.Fatalf("total = %v, want %v", got, want)
		}
		for _, m := range []struct{ innov, impact, want float64 }{{0, 1, 0}, {10, 5, 100}, {5, 3, 50}} {
			if got := put(t, j3, body(m.innov, m.impact, "")).Total; math.Abs(got-m.want) > 1e-9 {
				t.Errorf("total of (%v, %v) = %v, want %v", m.innov, m.impact, got, m.want)
			}
		}
	})

	t.Run("OK same body twice keeps the version", func(t *testing.T) {
		// Repeating the same body changes nothing (same version); a changed body bumps version.
		a := put(t, j2, body(6, 2, "ok"))
		b := put(t, j2, body(6, 2, "ok"))
		if a.Version != 1 || b.Version != a.Version || b.Total != a.Total {
			t.Fatalf("same body twice: versions %d then %d, want 1 then 1", a.Version, b.Version)
		}
		// The same marks in another key order and spacing are the same body.
		c := put(t, j2, `{ "comment":"ok", "scores": {"impact": 2, "innovation": 6.0} }`)
		if c.Version != 1 {
			t.Fatalf("same body reordered: version %d, want 1", c.Version)
		}
		d := put(t, j2, body(6, 3, "ok"))
		if d.Version != 2 {
			t.Fatalf("changed marks: version %d, want 2", d.Version)
		}
		f := put(t, j2, body(6, 3, "better"))
		if f.Version != 3 {
			t.Fatalf("changed comment: version %d, want 3", f.Version)
		}
		// Going back to an earlier body is a change too.
		if g := put(t, j2, body(6, 2, "ok")); g.Version != 4 {
			t.Fatalf("back to the first body: version %d, want 4", g.Version)
		}
	})

	t.Run("ErrInvalid marks", func(t *testing.T) {
		// Every criterion of the category must be present, each within its [min, max] → else 422.
		tests := []struct {
			name     string
			body     any
			code     string
			mentions string
		}{
			{"missing criterion", map[string]any{"scores": map[string]float64{"innovation": 5}}, "missing_criterion", "impact"},
			{"null mark", `{"scores":{"innovation":5,"impact":null}}`, "missing_criterion", "impact"},
			{"no scores", `{"comment":"no marks"}`, "", "scores"},
			{"unknown criterion", map[string]any{"scores": map[string]float64{"innovation": 5, "impact": 3, "elegance": 4}}, "unknown_criterion", "elegance"},
			{"above max", body(10.5, 3, ""), "score_out_of_range", "innovation"},
			{"below min", body(5, 0.99, ""), "score_out_of_range", "impact"},
			{"negative", body(-1, 3, ""), "score_out_of_range", "innovation"},
			{"huge", `{"scores":{"innovation":1e308,"impact":3}}`, "score_out_of_range", "innovation"},
		}
		before := put(t, j1, body(7, 4, "solid")) // the counting score, unchanged by what follows
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, out := ts.do(t, "PUT", path, j1.Token, tt.body)
				if got, want := status, http.StatusUnprocessableEntity; got != want {
					t.Fatalf("PUT %v = %d %s, want %d", tt.body, got, out, want)
				}
				code, msg := errorOf(t, out)
				if tt.code != "" && code != tt.code {
					t.Errorf("code = %q, want %q", code, tt.code)
				}
				if !strings.Contains(msg, tt.mentions) {
					t.Errorf("message %q does not name %q", msg, tt.mentions)
				}
			})
		}
		if after := put(t, j1, body(7, 4, "solid")); after.Version != before.Version {
			t.Fatalf("refused bodies changed the version: %d → %d", before.Version, after.Version)
		}
	})

	t.Run("ErrNotAssigned", func(t *testing.T) {
		// Not assigned → 403.
		ts.wantError(t, http.StatusForbidden, "not_assigned", "PUT", path, stranger.Token, body(5, 3, ""))
	})

	t.Run("ErrNotFound unknown entry", func(t *testing.T) {
		// 404 not found.
		ts.wantError(t, http.StatusNotFound, "", "PUT", "/api/v1/entries/e_nosuchentry/scores/me", j1.Token, body(5, 3, ""))
	})

	t.Run("ErrRecused", func(t *testing.T) {
		// POST /entries/{id}/recuse (judge) → 200: the assignment ends and any score they gave
		// stops counting; recused → 403.
		before := ts.results(t, ts.admin).category(t, catCyber).Ranking[0]
		if before.Judges != 3 {
			t.Fatalf("before recusal: %d judges, want 3", before.Judges)
		}
		ts.must(t, http.StatusOK, "POST", "/api/v1/entries/"+e+"/recuse", j3.Token, nil)
		ts.wantError(t, http.StatusForbidden, "", "PUT", path, j3.Token, body(5, 3, ""))
		after := ts.results(t, ts.admin).category(t, catCyber).Ranking[0]
		if after.Judges != 2 {
			t.Fatalf("after recusal: %d judges, want 2", after.Judges)
		}
		// The recused pair cannot be assigned again: a conflict → 409.
		ts.wantError(t, http.StatusConflict, "", "POST", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j3.ID, "entry_id": e})
		// The entry left the judge's queue and list.
		if got := ts.listIDs(t, "/api/v1/entries", j3.Token); len(got) != 0 {
			t.Fatalf("recused judge still lists %v", got)
		}
	})

	t.Run("OK DELETE /assignments stops the score counting", func(t *testing.T) {
		// DELETE /assignments same body → 204; a score that judge gave the entry stops counting
		// (it stays in the audit trail).
		row := ts.results(t, ts.admin).category(t, catCyber).Ranking[0]
		want := (weighted(7, 4) + weighted(6, 2)) / 2
		if row.Score == nil || math.Abs(*row.Score-want) > 1e-9 || row.Judges != 2 {
			t.Fatalf("before: row = %+v (score %v), want score %v from 2 judges", row, row.Score, want)
		}
		ts.must(t, http.StatusNoContent, "DELETE", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j2.ID, "entry_id": e})
		row = ts.results(t, ts.admin).category(t, catCyber).Ranking[0]
		if want := weighted(7, 4); row.Score == nil || math.Abs(*row.Score-want) > 1e-9 || row.Judges != 1 {
			t.Fatalf("after: row = %+v (score %v), want score %v from 1 judge", row, row.Score, want)
		}
		// No longer assigned → 403.
		ts.wantError(t, http.StatusForbidden, "not_assigned", "PUT", path, j2.Token, body(6, 2, "ok"))

		// GET /entries/{id}/scores (admin) → every judge's current score and its history of versions.
		var es struct {
			Judges []struct {
				JudgeID  string      `json:"judge_id"`
				Counting bool        `json:"counting"`
				Current  *apiScore   `json:"current"`
				History  []*apiScore `json:"history"`
			} `json:"judges"`
		}
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/entries/"+e+"/scores", ts.admin, nil), &es)
		seen := 0
		for _, js := range es.Judges {
			switch js.JudgeID {
			case j1.ID:
				seen++
				if !js.Counting || js.Current == nil || len(js.History) != 1 {
					t.Errorf("j1: counting %v, current %v, %d versions; want counting, 1 version", js.Counting, js.Current, len(js.History))
				}
			case j2.ID:
				seen++
				if js.Counting || js.Current != nil || len(js.History) != 4 {
					t.Errorf("j2: counting %v, current %v, %d versions; want not counting, 4 versions", js.Counting, js.Current, len(js.History))
				}
			}
		}
		if seen != 2 {
			t.Fatalf("GET /entries/{id}/scores lists %d of j1, j2: %+v", seen, es)
		}

		// The audit trail keeps every version and the withdrawal, and its chain holds.
		csvBody := ts.must(t, http.StatusOK, "GET", "/api/v1/audit.csv", ts.admin, nil)
		rows := readCSV(t, csvBody)
		var j2Scores, withdrawals int
		for _, r := range rows[1:] {
			switch {
			case r[3] == "score" && r[7] == j2.ID && r[2] == j2.ID:
				j2Scores++
			case r[3] == "withdraw":
				withdrawals++
			}
		}
		if j2Scores != 4 || withdrawals != 2 { // j3's recusal and j2's unassignment
			t.Fatalf("audit.csv: %d score rows of j2 and %d withdrawals, want 4 and 2\n%s", j2Scores, withdrawals, csvBody)
		}
		var v struct {
			OK      bool `json:"ok"`
			Records int  `json:"records"`
		}
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/audit/verify", ts.admin, nil), &v)
		if !v.OK || v.Records != len(rows)-1 {
			t.Fatalf("audit/verify = %+v, want ok with %d records", v, len(rows)-1)
		}
	})

	t.Run("ErrJudgingClosed", func(t *testing.T) {
		// Accepted from assignment until judging_close … After judging_close → 409.
		saved := ts.clock.T
		t.Cleanup(func() { ts.clock.T = saved })
		ts.clock.T = judgingClose.Add(-time.Nanosecond)
		put(t, j1, body(8, 4, "last minute"))
		ts.clock.T = judgingClose
		ts.wantError(t, http.StatusConflict, "judging_closed", "PUT", path, j1.Token, body(9, 4, "too late"))
		row := ts.results(t, ts.admin).category(t, catCyber).Ranking[0]
		if want := weighted(8, 4); row.Score == nil || math.Abs(*row.Score-want) > 1e-9 {
			t.Fatalf("after the deadline: score %v, want %v (the last accepted)", row.Score, want)
		}
	})
}
