package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// leakCheck says what a response must not hold: keys of a ranking or a score, and numbers
// that are judges' totals or entries' results.
type leakCheck struct {
	keys map[string]bool
	nums []float64
}

// sealedKeys are the keys that only a ranking or a score carries.
var sealedKeys = []string{"rank", "score", "scores", "total", "tie", "judges", "ranking", "normalised", "places_shown", "my_score", "winner_changes"}

func newLeakCheck(keys []string, nums ...float64) leakCheck {
	c := leakCheck{keys: map[string]bool{}, nums: nums}
	for _, k := range keys {
		c.keys[k] = true
	}
	return c
}

// find returns where body (JSON, or any text) holds a forbidden key or number.
func (c leakCheck) find(body []byte) []string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		// Not JSON (a CSV refused with an error would still be JSON): look at the text.
		var out []string
		for _, n := range c.nums {
			for _, s := range numberForms(n) {
				if strings.Contains(string(body), s) {
					out = append(out, fmt.Sprintf("text holds %s", s))
				}
			}
		}
		return out
	}
	var out []string
	c.walk(v, "$", &out)
	return out
}

// numberForms are the ways a number could be printed: JSON's, and rounded to 1 to 3 places.
func numberForms(n float64) []string {
	b, _ := json.Marshal(n)
	return []string{string(b), fmt.Sprintf("%.1f", n), fmt.Sprintf("%.2f", n), fmt.Sprintf("%.3f", n)}
}

func (c leakCheck) walk(v any, path string, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if c.keys[k] {
				*out = append(*out, fmt.Sprintf("%s has key %q", path, k))
			}
			c.walk(x, path+"."+k, out)
		}
	case []any:
		for i, x := range v {
			c.walk(x, fmt.Sprintf("%s[%d]", path, i), out)
		}
	case float64:
		for _, n := range c.nums {
			if math.Abs(v-n) < 1e-6 {
				*out = append(*out, fmt.Sprintf("%s = %v, a sealed number", path, v))
			}
		}
	case string:
		for _, n := range c.nums {
			for _, s := range numberForms(n)[1:] {
				if strings.Contains(v, s) {
					*out = append(*out, fmt.Sprintf("%s = %q holds %s, a sealed number", path, v, s))
				}
			}
		}
	}
}

// sealedScene is a programme with scored entries in two categories, nothing revealed.
type sealedScene struct {
	ts           *testServer
	j1, j2       testUser
	x1, x2       testUser
	scr          testUser
	e1, e2, e3   string                        // cyber-security, scored by j1 and j2
	e4           string                        // csr, scored by j2 only
	totals       map[string]map[string]float64 // judge id → entry id → total
	means        map[string]float64            // entry id → result
	cyberRanking []apiRow                      // the admin's view of cyber-security
}

// The marks of the scene: cyber-security's criteria are innovation [0,10] weight 2 and
// impact [1,5] weight 1; no total or mean is a whole number, so none is printed by chance.
func newSealedScene(t *testing.T) *sealedScene {
	t.Helper()
	ts := newTestServer(t)
	s := &sealedScene{ts: ts, totals: map[string]map[string]float64{}, means: map[string]float64{}}
	s.j1 = ts.judge(t, nil, catCyber, catCSR)
	s.j2 = ts.judge(t, nil, catCyber, catCSR)
	s.x1 = ts.exhibitor(t, "Acme Secure")
	s.x2 = ts.exhibitor(t, "Bravo Systems")
	s.scr = ts.screen(t)
	s.e1 = ts.submitted(t, s.x1, catCyber, "Aegis firewall")
	s.e2 = ts.submitted(t, s.x1, catCyber, "Bastion gateway")
	s.e3 = ts.submitted(t, s.x2, catCyber, "Citadel SIEM")
	s.e4 = ts.submitted(t, s.x2, catCSR, "Green shield")
	for _, e := range []string{s.e1, s.e2, s.e3} {
		ts.assign(t, s.j1, e)
		ts.assign(t, s.j2, e)
	}
	ts.assign(t, s.j2, s.e4)
	marks := []struct {
		j           testUser
		e           string
		innov, impa float64
	}{
		{s.j1, s.e1, 7, 4}, {s.j2, s.e1, 9, 5}, // 71.67, 93.33 → 82.5
		{s.j1, s.e2, 3, 2}, {s.j2, s.e2, 4, 3}, // 28.33, 43.33 → 35.83
		{s.j1, s.e3, 6, 3}, {s.j2, s.e3, 8, 2}, // 56.67, 61.67 → 59.17
	}
	for _, m := range marks {
		sc := ts.score(t, m.j, m.e, map[string]float64{"innovation": m.innov, "impact": m.impa})
		// Weighted total per judge: Σ weightᵢ·(scoreᵢ−minᵢ)/(maxᵢ−minᵢ) / Σ weightᵢ × 100 (a
		// wrong total would have the leak checks look for the wrong numbers).
		if got, want := sc.Total, (2*m.innov/10+(m.impa-1)/4)/3*100; math.Abs(got-want) > 1e-9 {
			t.Fatalf("total = %v, want %v", got, want)
		}
		if s.totals[m.j.ID] == nil {
			s.totals[m.j.ID] = map[string]float64{}
		}
		s.totals[m.j.ID][m.e] = sc.Total
	}
	s.totals[s.j2.ID][s.e4] = ts.score(t, s.j2, s.e4, map[string]float64{"merit": 13.7}).Total // 68.5
	for _, e := range []string{s.e1, s.e2, s.e3} {
		s.means[e] = (s.totals[s.j1.ID][e] + s.totals[s.j2.ID][e]) / 2
	}
	s.means[s.e4] = s.totals[s.j2.ID][s.e4]

	adm := ts.results(t, ts.admin).category(t, catCyber)
	s.cyberRanking = adm.Ranking
	if got, want := rowIDs(s.cyberRanking), []string{s.e1, s.e3, s.e2}; !slices.Equal(got, want) {
		t.Fatalf("admin's cyber-security ranking = %v, want %v", got, want)
	}
	return s
}

func rowIDs(rows []apiRow) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.EntryID
	}
	return ids
}

// allNumbers is every judge's total and every entry's result.
func (s *sealedScene) allNumbers() []float64 {
	var nums []float64
	for _, byEntry := range s.totals {
		for _, v := range byEntry {
			nums = append(nums, v)
		}
	}
	for _, v := range s.means {
		nums = append(nums, v)
	}
	return nums
}

// viewer is a non-admin caller of the sealed test.
type viewer struct {
	name  string
	token string
	self  testUser // the judge, for the queue
}

func (s *sealedScene) viewers() []viewer {
	return []viewer{
		{name: "public"},
		{name: "judge", token: s.j1.Token, self: s.j1},
		{name: "exhibitor", token: s.x1.Token},
		{name: "screen", token: s.scr.Token},
	}
}

func TestResults_Sealed(t *testing.T) {
	// Results never leak before the reveal, by any route.
	s := newSealedScene(t)
	ts := s.ts
	sealed := newLeakCheck(sealedKeys, s.allNumbers()...)

	t.Run("no route shows a score before the reveal", func(t *testing.T) {
		// GET /results: every other role and the public: only revealed categories (others
		// appear with revealed: false and no ranking).
		for _, v := range s.viewers() {
			paths := []string{
				"/api/v1/results", "/api/v1/ceremony", "/api/v1/programme", "/api/v1/entries",
				"/api/v1/entries/" + s.e1, "/api/v1/entries/" + s.e3, "/api/v1/entries?category_id=" + catCyber,
				// Forbidden to them: the error body must not carry anything either.
				"/api/v1/results.csv", "/api/v1/entries/" + s.e1 + "/scores", "/api/v1/audit.csv", "/api/v1/audit/verify",
			}
			if v.self.ID == "" {
				paths = append(paths, "/api/v1/judge/queue") // the judge's own is checked below
			}
			for _, p := range paths {
				status, body := ts.do(t, "GET", p, v.token, nil)
				if status >= 500 {
					t.Fatalf("%s: GET %s = %d", v.name, p, status)
				}
				if leaks := sealed.find(body); len(leaks) > 0 {
					t.Errorf("%s: GET %s (%d) leaks: %v\n%.500s", v.name, p, status, leaks, body)
				}
			}
			for _, p := range []string{"/api/v1/results.csv", "/api/v1/entries/" + s.e1 + "/scores", "/api/v1/audit.csv", "/api/v1/audit/verify"} {
				status, body := ts.do(t, "GET", p, v.token, nil)
				if status != http.StatusUnauthorized && status != http.StatusForbidden {
					t.Errorf("%s: GET %s = %d, want 401 or 403", v.name, p, status)
				}
				errorOf(t, body)
			}
			r := ts.results(t, v.token)
			for _, c := range r.Categories {
				if c.Revealed || c.Ranking != nil || c.Normalised != nil || c.PlacesShown != 0 {
					t.Errorf("%s: GET /results category %s = %+v, want revealed: false and no ranking", v.name, c.ID, c)
				}
			}
		}
	})

	t.Run("a judge's queue holds only their own score", func(t *testing.T) {
		// GET /judge/queue (judge) → [{entry, my_score|null}] of their assignments.
		for _, j := range []testUser{s.j1, s.j2} {
			body := ts.must(t, http.StatusOK, "GET", "/api/v1/judge/queue", j.Token, nil)
			var q []struct {
				Entry   apiEntry  `json:"entry"`
				MyScore *apiScore `json:"my_score"`
			}
			decodeInto(t, body, &q)
			if got, want := len(q), len(s.totals[j.ID]); got != want {
				t.Fatalf("judge queue has %d items, want %d: %s", got, want, body)
			}
			for _, it := range q {
				if it.MyScore == nil {
					t.Fatalf("queue item %s: my_score null, want the judge's own", it.Entry.ID)
				}
				if got, want := it.MyScore.JudgeID, j.ID; got != want {
					t.Errorf("queue item %s: my_score.judge_id = %q, want %q", it.Entry.ID, got, want)
				}
				if got, want := it.MyScore.Total, s.totals[j.ID][it.Entry.ID]; got != want {
					t.Errorf("queue item %s: my_score.total = %v, want %v", it.Entry.ID, got, want)
				}
			}
			// Nothing else: no other judge's total, no entry result, no ranking.
			var others []float64
			for id, byEntry := range s.totals {
				if id != j.ID {
					for _, v := range byEntry {
						others = append(others, v)
					}
				}
			}
			for _, v := range s.means {
				if !slices.Contains(others, v) && !containsValue(s.totals[j.ID], v) {
					others = append(others, v)
				}
			}
			check := newLeakCheck([]string{"rank", "score", "tie", "judges", "ranking", "normalised"}, others...)
			if leaks := check.find(body); len(leaks) > 0 {
				t.Errorf("judge %s's queue leaks: %v\n%s", j.ID, leaks, body)
			}
		}
	})

	t.Run("the admin sees everything", func(t *testing.T) {
		// GET /results: Admin: every category at any time, with normalised.
		r := ts.results(t, ts.admin)
		for _, c := range r.Categories {
			if c.Normalised == nil {
				t.Errorf("admin: category %s has no normalised ranking", c.ID)
			}
		}
		cyber := r.category(t, catCyber)
		for _, row := range cyber.Ranking {
			if row.Score == nil || math.Abs(*row.Score-s.means[row.EntryID]) > 1e-9 {
				t.Errorf("admin: row %s score = %v, want %v", row.EntryID, row.Score, s.means[row.EntryID])
			}
			if got, want := row.Judges, 2; got != want {
				t.Errorf("admin: row %s judges = %d, want %d", row.EntryID, got, want)
			}
		}
		if got, want := []int{cyber.Ranking[0].Rank, cyber.Ranking[1].Rank, cyber.Ranking[2].Rank}, []int{1, 2, 3}; !slices.Equal(got, want) {
			t.Errorf("admin: ranks = %v, want %v", got, want)
		}
	})

	t.Run("step reveal shows the places from the bottom", func(t *testing.T) {
		// With {category_id, step: true} one more place is revealed per call, from last place
		// to the winner; until the last step the category is not in revealed, and non-admins
		// see only the rows shown so far.
		n := len(s.cyberRanking)
		for shown := 1; shown <= n; shown++ {
			var rr struct {
				CategoryID  string `json:"category_id"`
				Revealed    bool   `json:"revealed"`
				PlacesShown int    `json:"places_shown"`
				Places      int    `json:"places"`
			}
			decodeInto(t, ts.must(t, http.StatusOK, "POST", "/api/v1/ceremony/reveal", ts.admin,
				map[string]any{"category_id": catCyber, "step": true}), &rr)
			last := shown == n
			if rr.Revealed != last || rr.PlacesShown != shown || rr.Places != n {
				t.Fatalf("step %d: reveal answered %+v, want revealed %v, places_shown %d, places %d", shown, rr, last, shown, n)
			}

			// What may be seen now: the rows shown; every judge's total stays sealed, and so do
			// the results of the rows not shown and of the other categories.
			var hidden []float64
			for _, byEntry := range s.totals {
				for _, v := range byEntry {
					hidden = append(hidden, v)
				}
			}
			for _, row := range s.cyberRanking[:n-shown] {
				hidden = append(hidden, s.means[row.EntryID])
			}
			hidden = append(hidden, s.means[s.e4])
			check := newLeakCheck(nil, hidden...)

			for _, v := range s.viewers() {
				body := ts.must(t, http.StatusOK, "GET", "/api/v1/results", v.token, nil)
				if leaks := check.find(body); len(leaks) > 0 {
					t.Errorf("step %d, %s: GET /results leaks: %v\n%s", shown, v.name, leaks, body)
				}
				var r apiResults
				decodeInto(t, body, &r)
				cyber := r.category(t, catCyber)
				if got, want := cyber.Revealed, last; got != want {
					t.Errorf("step %d, %s: cyber-security revealed = %v, want %v", shown, v.name, got, want)
				}
				if diff := cmp.Diff(s.cyberRanking[n-shown:], cyber.Ranking); diff != "" {
					t.Errorf("step %d, %s: cyber-security ranking, want the bottom %d of the admin's (-want +got):\n%s", shown, v.name, shown, diff)
				}
				if cyber.Normalised != nil {
					t.Errorf("step %d, %s: cyber-security carries normalised", shown, v.name)
				}
				for _, c := range r.Categories {
					if c.ID != catCyber && (c.Revealed || c.Ranking != nil) {
						t.Errorf("step %d, %s: category %s = %+v, want sealed", shown, v.name, c.ID, c)
					}
				}

				// GET /ceremony (public) → {revealed: [category_id], partial: {category_id: places_shown}, ceremony_at}.
				var cer struct {
					Revealed   []string       `json:"revealed"`
					Partial    map[string]int `json:"partial"`
					CeremonyAt time.Time      `json:"ceremony_at"`
				}
				decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/ceremony", v.token, nil), &cer)
				wantRevealed, wantPartial := []string{}, map[string]int{catCyber: shown}
				if last {
					wantRevealed, wantPartial = []string{catCyber}, map[string]int{}
				}
				if !slices.Equal(cer.Revealed, wantRevealed) || !cmp.Equal(cer.Partial, wantPartial) || !cer.CeremonyAt.Equal(ceremonyAt) {
					t.Errorf("step %d, %s: GET /ceremony = %+v, want revealed %v partial %v", shown, v.name, cer, wantRevealed, wantPartial)
				}
			}

			// The admin always sees the whole ranking, with normalised.
			adm := ts.results(t, ts.admin).category(t, catCyber)
			if diff := cmp.Diff(s.cyberRanking, adm.Ranking); diff != "" {
				t.Errorf("step %d: admin's cyber-security ranking changed (-want +got):\n%s", shown, diff)
			}
			if adm.Normalised == nil || len(adm.Normalised.Ranking) != n {
				t.Errorf("step %d: admin's normalised = %+v, want %d rows", shown, adm.Normalised, n)
			}
		}
	})
}

func containsValue(m map[string]float64, v float64) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	return false
}
