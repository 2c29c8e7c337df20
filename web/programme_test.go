package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
)

func TestProgramme_HTTP(t *testing.T) {
	ts := newBareServer(t)
	if _, err := ts.svc.EnsureAdmin(context.Background(), adminEmail, password); err != nil {
		t.Fatal(err)
	}
	ts.admin, _ = ts.login(t, adminEmail, password)

	t.Run("ErrNotFound before any programme", func(t *testing.T) {
		// 404 not found: GET /programme when none is set.
		ts.wantError(t, http.StatusNotFound, "no_programme", "GET", "/api/v1/programme", "", nil)
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		// PUT /programme: 422 valid JSON that breaks a rule; times are RFC 3339 with an offset.
		bad := func(change func(p *judging.Programme)) judging.Programme {
			p := testProgramme()
			change(&p)
			return p
		}
		noOffset := strings.Replace(string(mustJSON(t, testProgramme())), `"submissions_close":"2023-11-14T10:00:00+01:00"`,
			`"submissions_close":"2023-11-14T10:00:00"`, 1)
		if !strings.Contains(noOffset, `"2023-11-14T10:00:00"`) {
			t.Fatalf("fixture: %s", noOffset)
		}
		for _, c := range []struct {
			name string
			body any
		}{
			{"no name", bad(func(p *judging.Programme) { p.Name = " " })},
			{"judging closes before submissions", bad(func(p *judging.Programme) { p.JudgingClose = p.SubmissionsClose.Add(-time.Minute) })},
			{"not a slug", bad(func(p *judging.Programme) { p.Categories[0].ID = "Cyber Security" })},
			{"min not below max", bad(func(p *judging.Programme) { p.Categories[1].Criteria[0].Min = 20 })},
			{"unknown tally", bad(func(p *judging.Programme) { p.Categories[1].Tally = "median" })},
			{"time without offset", noOffset},
		} {
			status, out := ts.do(t, "PUT", "/api/v1/programme", ts.admin, c.body)
			if got, want := status, http.StatusUnprocessableEntity; got != want {
				t.Errorf("%s: PUT /programme = %d %s, want %d", c.name, got, out, want)
				continue
			}
			errorOf(t, out)
		}
	})

	t.Run("OK round trip", func(t *testing.T) {
		// GET /programme (public) → {name, timezone, …, categories: [{…, tally, criteria}]}
		// (tally: "mean" (default) or "trimmed_mean"); PUT /programme (admin) same shape → 200.
		p := testProgramme()
		p.Categories[1].Tally = ""
		ts.setProgramme(t, p)
		var got judging.Programme
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/programme", "", nil), &got)
		want := testProgramme() // csr's tally read back as the default "mean"
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("GET /programme (-want +got):\n%s", diff)
		}
		if !strings.Contains(string(ts.must(t, http.StatusOK, "GET", "/api/v1/programme", "", nil)), `"submissions_close":"2023-11-14T10:00:00+01:00"`) {
			t.Errorf("GET /programme does not keep the times' offset")
		}
	})

	t.Run("ErrCriteriaFrozen once scored", func(t *testing.T) {
		// Once a category has a score, changing or removing any of its criteria (id, weight,
		// min, max) or its tally → 409; names, descriptions and dates may change.
		x := ts.exhibitor(t, "Acme Secure")
		j := ts.judge(t, nil, catCSR)
		e := ts.submitted(t, x, catCSR, "Green")
		ts.assign(t, j, e)
		ts.score(t, j, e, map[string]float64{"merit": 12})

		change := func(f func(p *judging.Programme)) judging.Programme {
			p := testProgramme()
			f(&p)
			return p
		}
		for _, c := range []struct {
			name string
			p    judging.Programme
		}{
			{"weight", change(func(p *judging.Programme) { p.Categories[1].Criteria[0].Weight = 2 })},
			{"min", change(func(p *judging.Programme) { p.Categories[1].Criteria[0].Min = 1 })},
			{"max", change(func(p *judging.Programme) { p.Categories[1].Criteria[0].Max = 10 })},
			{"id", change(func(p *judging.Programme) { p.Categories[1].Criteria[0].ID = "worth" })},
			{"tally", change(func(p *judging.Programme) { p.Categories[1].Tally = judging.TallyTrimmedMean })},
			{"a criterion added", change(func(p *judging.Programme) {
				p.Categories[1].Criteria = append(p.Categories[1].Criteria, judging.Criterion{ID: "reach", Name: "Reach", Weight: 1, Min: 0, Max: 5})
			})},
			{"the category removed", change(func(p *judging.Programme) { p.Categories = slicesDelete(p.Categories, 1) })},
		} {
			status, out := ts.do(t, "PUT", "/api/v1/programme", ts.admin, c.p)
			if got, want := status, http.StatusConflict; got != want {
				t.Errorf("%s changed: PUT /programme = %d %s, want %d", c.name, got, out, want)
			}
		}
		// Names, descriptions and dates may change; other categories' criteria too.
		ok := change(func(p *judging.Programme) {
			p.Name = "Renamed Awards"
			p.Categories[1].Name = "CSR"
			p.Categories[1].Description = "Now with a description."
			p.Categories[1].Criteria[0].Name = "Worth"
			p.CeremonyAt = p.CeremonyAt.Add(time.Hour)
			p.Categories[0].Criteria[0].Weight = 5
		})
		ts.setProgramme(t, ok)
		var got judging.Programme
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/programme", "", nil), &got)
		if diff := cmp.Diff(ok, got); diff != "" {
			t.Fatalf("GET /programme after an allowed change (-want +got):\n%s", diff)
		}
	})
}

func slicesDelete[T any](s []T, i int) []T { return append(s[:i:i], s[i+1:]...) }

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestResultsCSV_HTTP(t *testing.T) {
	// GET /results.csv (admin) → text/csv, one row per entry.
	ts := newTestServer(t)
	x := ts.exhibitor(t, "+33 Sécurité")
	j := ts.judge(t, nil, catCyber, catCSR)
	evil := ts.submitted(t, x, catCyber, `=HYPERLINK("http://evil.example","click")`)
	plain := ts.submitted(t, x, catCyber, "Plain")
	at := ts.submitted(t, x, catCSR, "@SUM(A1:A9)")
	ts.createEntry(t, x, catCyber, "Draft, never ranked")
	for _, e := range []string{evil, plain, at} {
		ts.assign(t, j, e)
	}
	ts.score(t, j, evil, map[string]float64{"innovation": 4, "impact": 2})
	ts.score(t, j, plain, map[string]float64{"innovation": 8, "impact": 5})

	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/results.csv", nil)
	req.Header.Set("Authorization", "Bearer "+ts.admin)
	status, h, out := ts.roundTrip(t, req, nil)
	if got, want := status, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type = %q, want text/csv", ct)
	}
	rows := readCSV(t, out)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"category_id", "rank", "entry_id", "title", "company", "score", "judges"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("header %v lacks %q", rows[0], h)
		}
	}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[col["entry_id"]]] = r
	}
	if got, want := len(rows)-1, 3; got != want {
		t.Fatalf("%d rows, want %d (submitted entries; the draft is never ranked):\n%v", got, want, rows)
	}
	// Cells a spreadsheet would run as a formula are neutralised: titles come from exhibitors.
	if got, want := byID[evil][col["title"]], `'=HYPERLINK("http://evil.example","click")`; got != want {
		t.Errorf("title cell = %q, want %q", got, want)
	}
	if got, want := byID[at][col["title"]], "'@SUM(A1:A9)"; got != want {
		t.Errorf("title cell = %q, want %q", got, want)
	}
	if got, want := byID[plain][col["company"]], "'+33 Sécurité"; got != want {
		t.Errorf("company cell = %q, want %q", got, want)
	}
	// The ranking: Plain first, then the formula; the csr entry unscored, no rank.
	if got, want := byID[plain][col["rank"]], "1"; got != want {
		t.Errorf("Plain rank = %q, want %q", got, want)
	}
	if got, want := byID[evil][col["rank"]], "2"; got != want {
		t.Errorf("formula entry rank = %q, want %q", got, want)
	}
	if r := byID[at]; r[col["rank"]] != "" || r[col["score"]] != "" || r[col["judges"]] != "0" {
		t.Errorf("unscored row = %v, want no rank, no score, 0 judges", r)
	}

	// Entries with no score are listed last with score: null and no rank (GET /results).
	var res struct {
		Categories []struct {
			ID      string           `json:"id"`
			Ranking []map[string]any `json:"ranking"`
		} `json:"categories"`
	}
	decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/results", ts.admin, nil), &res)
	for _, c := range res.Categories {
		if c.ID != catCSR {
			continue
		}
		if len(c.Ranking) != 1 {
			t.Fatalf("csr ranking = %v, want one row", c.Ranking)
		}
		row := c.Ranking[0]
		if score, ok := row["score"]; !ok || score != nil {
			t.Errorf("unscored row %v: want \"score\": null", row)
		}
		if _, ok := row["rank"]; ok {
			t.Errorf("unscored row %v: want no rank", row)
		}
	}
}
