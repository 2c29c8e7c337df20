package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/config"
	"github.com/awards-dev/awards/demo"
	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRun_BadConfig(t *testing.T) {
	// a bad value exits with code 2 and one clear line naming the variable
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"short JWT secret", map[string]string{"AWARDS_JWT_SECRET": "short"}, nil, "AWARDS_JWT_SECRET"},
		{"max live not a number", map[string]string{"AWARDS_MAX_LIVE": "lots"}, nil, "AWARDS_MAX_LIVE"},
		{"unknown flag", nil, []string{"--no-such-flag"}, "no-such-flag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), tc.args, env(tc.env), io.Discard)
			var u usageError
			if !errors.As(err, &u) {
				t.Fatalf("run: %v, want a usage error (exit 2)", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Fatalf("message %q: want one line naming %s", msg, tc.want)
			}
		})
	}
}

func TestRun_Version(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--version"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "awards ") {
		t.Fatalf("--version printed %q", got)
	}
}

// client is a tiny JSON client for the demo's HTTP walk.
type client struct {
	t    testing.TB
	base string
}

func (c client) do(method, path, token string, body any, out any) int {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+"/api/v1"+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

func (c client) login(email, password string) string {
	c.t.Helper()
	var tok struct{ Token string }
	if got := c.do("POST", "/auth/login", "", map[string]string{"email": email, "password": password}, &tok); got != 200 {
		c.t.Fatalf("login %s: %d", email, got)
	}
	return tok.Token
}

func TestDemo_JuryScoresEveryEntry(t *testing.T) {
	// Done when: the demo jury of 12 can score the 30 demo entries, the admin's results equal a
	// recomputation from the audit stream, and nothing of an unrevealed category is visible to
	// anyone but admins — on one Redis server and on Redis Cluster (the same code).
	t.Run("one server", func(t *testing.T) { demoJury(t, redistest.New(t)) })
	t.Run("Redis Cluster", func(t *testing.T) { demoJury(t, redistest.Cluster(t)) })
}

func demoJury(t *testing.T, rdb redis.UniversalClient) {
	ctx := context.Background()
	cfg, err := config.Load([]string{"--demo"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	h, err := build(ctx, cfg, rdb, judgingtest.CheapHasher, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c := client{t, ts.URL}
	d := demo.New()

	var prog judging.Programme
	c.do("GET", "/programme", "", nil, &prog)
	scored := 0
	for i, j := range d.Judges {
		tok := c.login(j.Email, j.Password)
		var queue []judging.QueueItem
		if got := c.do("GET", "/judge/queue", tok, nil, &queue); got != 200 {
			t.Fatalf("queue: %d", got)
		}
		for k, item := range queue {
			cat, _ := prog.Category(item.Entry.CategoryID)
			marks := map[string]float64{}
			for n, cr := range cat.Criteria {
				marks[cr.ID] = cr.Min + float64((i*7+k*3+n*5)%int(cr.Max-cr.Min+1))
			}
			if got := c.do("PUT", "/entries/"+item.Entry.ID+"/scores/me", tok, map[string]any{"scores": marks}, nil); got != 200 {
				t.Fatalf("judge %s scores %s: %d", j.Email, item.Entry.ID, got)
			}
			scored++
		}
	}
	if scored != 30*demoJudgesPerEntry {
		t.Fatalf("scored %d assignments, want %d", scored, 30*demoJudgesPerEntry)
	}

	admin := c.login(d.AdminEmail, d.AdminPassword)
	var res judging.Results
	c.do("GET", "/results", admin, nil, &res)
	want := recompute(t, c, admin, prog)
	for _, cat := range res.Categories {
		if got, want := fmt.Sprint(rows(cat.Ranking)), fmt.Sprint(want[cat.ID]); got != want {
			t.Fatalf("%s: results %s, recomputed from the audit trail %s", cat.ID, got, want)
		}
		if len(cat.Ranking) != 5 || cat.Ranking[0].Score == nil {
			t.Fatalf("%s: want 5 scored rows, got %+v", cat.ID, cat.Ranking)
		}
	}

	exhibitor := c.login(d.Exhibitors[0].Email, d.Exhibitors[0].Password)
	judge := c.login(d.Judges[0].Email, d.Judges[0].Password)
	for who, tok := range map[string]string{"public": "", "exhibitor": exhibitor, "judge": judge} {
		var r judging.Results
		c.do("GET", "/results", tok, nil, &r)
		for _, cat := range r.Categories {
			if cat.Revealed || cat.Ranking != nil || cat.Normalised != nil {
				t.Fatalf("%s sees unrevealed %s: %+v", who, cat.ID, cat)
			}
		}
	}
}

type row struct {
	Entry string
	Rank  int
	Score string
	Tie   bool
}

func rows(rs []judging.ResultRow) []row {
	out := make([]row, len(rs))
	for i, r := range rs {
		out[i] = row{Entry: r.EntryID, Rank: r.Rank, Tie: r.Tie}
		if r.Score != nil {
			out[i].Score = fmt.Sprintf("%.9f", *r.Score)
		}
	}
	return out
}

// recompute replays the audit trail (GET /audit.csv) into each category's ranking.
func recompute(t *testing.T, c client, admin string, prog judging.Programme) map[string][]row {
	t.Helper()
	req, _ := http.NewRequest("GET", c.base+"/api/v1/audit.csv", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	recs, err := readCSV(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	totals := map[[2]string]judging.JudgeTotal{}
	for _, r := range recs {
		key := [2]string{r["entry_id"], r["judge_id"]}
		switch r["action"] {
		case "score":
			var total float64
			fmt.Sscan(r["new_total"], &total)
			totals[key] = judging.JudgeTotal{EntryID: key[0], JudgeID: key[1], CategoryID: r["category_id"], Total: total}
		case "withdraw":
			delete(totals, key)
		}
	}
	var entries []judging.Entry
	c.do("GET", "/entries", admin, nil, &entries)
	out := map[string][]row{}
	for _, cat := range prog.Categories {
		var refs []judging.EntryRef
		for _, e := range entries {
			if e.CategoryID == cat.ID && e.Status == judging.StatusSubmitted {
				refs = append(refs, judging.EntryRef{ID: e.ID, Title: e.Title, Company: e.Company})
			}
		}
		var ts []judging.JudgeTotal
		for _, x := range totals {
			ts = append(ts, x)
		}
		out[cat.ID] = rows(judging.Tally(cat, refs, ts))
	}
	return out
}
