package judging

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

func ptr(f float64) *float64 { return &f }

// closeTo compares floats where the maths may add in another order.
func closeTo(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestWeightedTotal(t *testing.T) {
	crit := []Criterion{
		{ID: "innovation", Weight: 3, Min: 0, Max: 10},
		{ID: "impact", Weight: 1, Min: 1, Max: 5},
	}
	for _, tc := range []struct {
		name   string
		scores map[string]float64
		want   float64
	}{
		{"every criterion at its max is 100", map[string]float64{"innovation": 10, "impact": 5}, 100},
		{"every criterion at its min is 0", map[string]float64{"innovation": 0, "impact": 1}, 0},
		{"Σ weightᵢ·(scoreᵢ−minᵢ)/(maxᵢ−minᵢ) / Σ weightᵢ × 100", map[string]float64{"innovation": 5, "impact": 5}, (3*0.5 + 1*1) / 4 * 100},
		{"a criterion's min is subtracted before scaling to its range", map[string]float64{"innovation": 0, "impact": 3}, (1 * 0.5) / 4 * 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := WeightedTotal(crit, tc.scores), tc.want; got != want {
				t.Fatalf("WeightedTotal = %v, want %v", got, want)
			}
		})
	}
	t.Run("no criteria is 0", func(t *testing.T) {
		if got, want := WeightedTotal(nil, nil), 0.0; got != want {
			t.Fatalf("WeightedTotal = %v, want %v", got, want)
		}
	})
}

func TestEntryScore(t *testing.T) {
	for _, tc := range []struct {
		name   string
		method TallyMethod
		totals []float64
		want   float64
		ok     bool
	}{
		{"an entry's result is the mean of its judges' totals", TallyMean, []float64{60, 70, 95}, 75, true},
		{"no tally given means the mean", "", []float64{60, 70, 95}, 75, true},
		{"the mean drops nothing, even from 5 judges", TallyMean, []float64{0, 50, 50, 50, 100}, 50, true},
		{"drop one highest and one lowest when at least 5 judges scored", TallyTrimmedMean, []float64{100, 40, 50, 60, 0}, 50, true},
		{"trimmed_mean drops only one of equal highest totals", TallyTrimmedMean, []float64{90, 90, 30, 60, 0}, 60, true},
		{"trimmed_mean with fewer than 5 judges is the mean", TallyTrimmedMean, []float64{0, 40, 60, 100}, 50, true},
		{"one judge's total is the result", TallyTrimmedMean, []float64{42}, 42, true},
		{"no totals, no score", TallyMean, nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := EntryScore(tc.method, tc.totals)
			if ok != tc.ok || got != tc.want {
				t.Fatalf("EntryScore(%q, %v) = %v, %v; want %v, %v", tc.method, tc.totals, got, ok, tc.want, tc.ok)
			}
		})
	}
	t.Run("the result does not depend on the order of the totals", func(t *testing.T) {
		a := []float64{0.1, 0.2, 0.3, 1e16, -1e16}
		b := []float64{1e16, 0.3, -1e16, 0.1, 0.2}
		x, _ := EntryScore(TallyMean, a)
		y, _ := EntryScore(TallyMean, b)
		if x != y {
			t.Fatalf("EntryScore differs with order: %v vs %v", x, y)
		}
	})
}

// row is a result row for tables: a nil score is written as math.NaN() to keep tables short.
func row(id, title string, score float64) ResultRow {
	r := ResultRow{EntryID: id, Title: title}
	if !math.IsNaN(score) {
		r.Score = ptr(score)
	}
	return r
}

type placed struct {
	ID   string
	Rank int
	Tie  bool
}

func places(rows []ResultRow) []placed {
	out := make([]placed, len(rows))
	for i, r := range rows {
		out[i] = placed{r.EntryID, r.Rank, r.Tie}
	}
	return out
}

func TestRank(t *testing.T) {
	none := math.NaN()
	for _, tc := range []struct {
		name string
		rows []ResultRow
		want []placed
	}{
		{"rank = 1 + the number of entries with a strictly higher score (so 1, 1, 3)",
			[]ResultRow{row("c", "C", 70), row("a", "A", 80), row("b", "B", 80)},
			[]placed{{"a", 1, true}, {"b", 1, true}, {"c", 3, false}}},
		{"scores within 1e-9 are equal",
			[]ResultRow{row("a", "A", 80), row("b", "B", 80+0.9e-9), row("c", "C", 79)},
			[]placed{{"a", 1, true}, {"b", 1, true}, {"c", 3, false}}},
		{"scores more than 1e-9 apart are not equal",
			[]ResultRow{row("a", "A", 80), row("b", "B", 80+2e-9)},
			[]placed{{"b", 1, false}, {"a", 2, false}}},
		{"tied rows carry tie: true, others false; ties are never broken silently",
			[]ResultRow{row("a", "A", 90), row("b", "B", 50), row("c", "C", 50), row("d", "D", 10)},
			[]placed{{"a", 1, false}, {"b", 2, true}, {"c", 2, true}, {"d", 4, false}}},
		{"entries with no score are listed last with score null and no rank",
			[]ResultRow{row("z", "Z", none), row("a", "A", 10), row("y", "Y", none)},
			[]placed{{"a", 1, false}, {"y", 0, false}, {"z", 0, false}}},
		{"equal scores are listed by title, then entry id",
			[]ResultRow{row("e2", "Beta", 5), row("e9", "Alpha", 5), row("e1", "Beta", 5)},
			[]placed{{"e9", 1, true}, {"e1", 1, true}, {"e2", 1, true}}},
		{"within 1e-9 is not transitive: 1.6e-9, 0.8e-9, 0 rank 1, 1, 2",
			[]ResultRow{row("a", "A", 0), row("b", "B", 0.8e-9), row("c", "C", 1.6e-9)},
			[]placed{{"b", 1, true}, {"c", 1, true}, {"a", 2, true}}},
		{"a single scored entry ranks first, untied", []ResultRow{row("a", "A", 0)}, []placed{{"a", 1, false}}},
		{"no rows, nothing to rank", nil, []placed{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			Rank(tc.rows)
			if diff := gocmp.Diff(tc.want, places(tc.rows)); diff != "" {
				t.Fatalf("Rank (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTally(t *testing.T) {
	cat := Category{ID: "csr", Tally: TallyTrimmedMean}
	entries := []EntryRef{{"e1", "Solar", "Acme"}, {"e2", "Wind", "Volt"}, {"e3", "Tide", "Sea"}}
	totals := []JudgeTotal{
		{"e1", "j1", "csr", 80}, {"e1", "j2", "csr", 60},
		{"e2", "j1", "csr", 0}, {"e2", "j2", "csr", 100}, {"e2", "j3", "csr", 70}, {"e2", "j4", "csr", 70}, {"e2", "j5", "csr", 70},
		{"x9", "j1", "cyber-security", 100}, // another category's entry
	}
	want := []ResultRow{ // e2's trimmed mean drops 0 and 100: 70, level with e1's 70
		{Rank: 1, EntryID: "e1", Title: "Solar", Company: "Acme", Score: ptr(70), Judges: 2, Tie: true},
		{Rank: 1, EntryID: "e2", Title: "Wind", Company: "Volt", Score: ptr(70), Judges: 5, Tie: true},
		{EntryID: "e3", Title: "Tide", Company: "Sea"},
	}
	t.Run("the category's tally applies; totals of entries not in the category are ignored; unscored entries come last", func(t *testing.T) {
		if diff := gocmp.Diff(want, Tally(cat, entries, totals)); diff != "" {
			t.Fatalf("Tally (-want +got):\n%s", diff)
		}
	})
	t.Run("judges counts every counting total, trimmed ones included", func(t *testing.T) {
		rows := Tally(Category{ID: "csr"}, entries[:1], totals)
		if got, want := rows[0].Judges, 2; got != want {
			t.Fatalf("Judges = %d, want %d", got, want)
		}
	})
	t.Run("an entry listed twice gets one row", func(t *testing.T) {
		if got, want := len(Tally(cat, append(entries, entries[0]), totals)), 3; got != want {
			t.Fatalf("rows = %d, want %d", got, want)
		}
	})
}

// refRank is the plain reference: O(n²) counting, straight from the rule in docs/api.md.
func refRank(scores []*float64) (ranks []int, ties []bool) {
	ranks, ties = make([]int, len(scores)), make([]bool, len(scores))
	for i, s := range scores {
		if s == nil {
			continue
		}
		ranks[i] = 1
		for j, o := range scores {
			if o == nil || i == j {
				continue
			}
			if *o-*s > 1e-9 {
				ranks[i]++
			}
			if math.Abs(*o-*s) <= 1e-9 {
				ties[i] = true
			}
		}
	}
	return ranks, ties
}

// checkRanked checks Rank's result against the reference and the ordering rules.
func checkRanked(t testing.TB, in, out []ResultRow) {
	t.Helper()
	if len(in) != len(out) {
		t.Fatalf("Rank changed the number of rows: %d → %d", len(in), len(out))
	}
	scores := make([]*float64, len(in))
	for i := range in {
		scores[i] = in[i].Score
	}
	ranks, ties := refRank(scores)
	want := map[string]placed{}
	for i, r := range in {
		want[r.EntryID] = placed{r.EntryID, ranks[i], ties[i]}
	}
	for i, r := range out {
		if got, want := (placed{r.EntryID, r.Rank, r.Tie}), want[r.EntryID]; got != want {
			t.Fatalf("row %d: got %+v, want %+v (input %v)", i, got, want, dump(in))
		}
		if i == 0 {
			continue
		}
		p := out[i-1]
		switch {
		case p.Score == nil && r.Score != nil:
			t.Fatalf("row %d: scored row after an unscored one (input %v)", i, dump(in))
		case p.Score != nil && r.Score != nil && *r.Score-*p.Score > 1e-9:
			t.Fatalf("row %d: higher score %v after %v (input %v)", i, *r.Score, *p.Score, dump(in))
		case p.Rank > r.Rank && r.Score != nil:
			t.Fatalf("row %d: rank %d after rank %d (input %v)", i, r.Rank, p.Rank, dump(in))
		case p.Rank == r.Rank && cmp.Or(cmp.Compare(p.Title, r.Title), cmp.Compare(p.EntryID, r.EntryID)) > 0:
			t.Fatalf("row %d: %q/%q after %q/%q with the same rank (input %v)", i, r.Title, r.EntryID, p.Title, p.EntryID, dump(in))
		}
	}
}

func dump(rows []ResultRow) string {
	s := "["
	for _, r := range rows {
		if r.Score == nil {
			s += fmt.Sprintf(" %s:%s:nil", r.EntryID, r.Title)
		} else {
			s += fmt.Sprintf(" %s:%s:%v", r.EntryID, r.Title, *r.Score)
		}
	}
	return s + " ]"
}

// randomRows makes rows whose scores cluster, so that exact ties, near ties (within 1e-9)
// and near misses are common.
func randomRows(r *rand.Rand, n int) []ResultRow {
	rows := make([]ResultRow, n)
	for i := range rows {
		rows[i] = ResultRow{EntryID: fmt.Sprintf("e%02d", i), Title: string(rune('A' + r.IntN(3)))}
		if r.IntN(6) > 0 {
			rows[i].Score = ptr(float64(r.IntN(4))*10 + float64(r.IntN(5))*0.4e-9)
		}
	}
	return rows
}

func TestRank_Reference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		in := randomRows(r, r.IntN(25))
		out := slices.Clone(in)
		Rank(out)
		checkRanked(t, in, out)
	}
}

// refEntryScore is the plain reference: a naive sum, dropping the first highest and first lowest.
func refEntryScore(method TallyMethod, totals []float64) (float64, bool) {
	if len(totals) == 0 {
		return 0, false
	}
	hi, lo := -1, -1
	if method == TallyTrimmedMean && len(totals) >= 5 {
		hi, lo = 0, 0
		for i, t := range totals {
			if t > totals[hi] {
				hi = i
			}
			if t < totals[lo] {
				lo = i
			}
		}
		if hi == lo { // all equal
			lo = (hi + 1) % len(totals)
		}
	}
	var sum float64
	n := 0
	for i, t := range totals {
		if i != hi && i != lo {
			sum += t
			n++
		}
	}
	return sum / float64(n), true
}

func TestEntryScore_Reference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		totals := make([]float64, r.IntN(10))
		for i := range totals {
			totals[i] = r.Float64() * 100
		}
		method := []TallyMethod{"", TallyMean, TallyTrimmedMean}[r.IntN(3)]
		got, ok := EntryScore(method, totals)
		want, wok := refEntryScore(method, totals)
		if ok != wok || !closeTo(got, want) {
			t.Fatalf("EntryScore(%q, %v) = %v, %v; reference %v, %v", method, totals, got, ok, want, wok)
		}
	}
}

func TestWeightedTotal_Reference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		crit := make([]Criterion, 1+r.IntN(6))
		scores := map[string]float64{}
		var weights float64
		for i := range crit {
			lo := float64(r.IntN(5))
			c := Criterion{ID: fmt.Sprintf("c%d", i), Weight: 0.1 + r.Float64()*5, Min: lo, Max: lo + 1 + float64(r.IntN(10))}
			crit[i], weights = c, weights+c.Weight
			scores[c.ID] = c.Min + r.Float64()*(c.Max-c.Min)
		}
		var want float64 // reference: each criterion's share of 100 points, added up
		for _, c := range crit {
			want += 100 * (c.Weight / weights) * ((scores[c.ID] - c.Min) / (c.Max - c.Min))
		}
		got := WeightedTotal(crit, scores)
		if !closeTo(got, want) || got < 0 || got > 100+1e-9 {
			t.Fatalf("WeightedTotal(%v, %v) = %v, reference %v", crit, scores, got, want)
		}
	}
}

func TestTally_Reference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 300 {
		cat := Category{ID: "c", Tally: []TallyMethod{"", TallyMean, TallyTrimmedMean}[r.IntN(3)]}
		entries := make([]EntryRef, r.IntN(12))
		for i := range entries {
			entries[i] = EntryRef{ID: fmt.Sprintf("e%d", i), Title: string(rune('A' + r.IntN(3)))}
		}
		var totals []JudgeTotal
		for range r.IntN(40) {
			id := fmt.Sprintf("e%d", r.IntN(len(entries)+3)) // some are not in entries
			totals = append(totals, JudgeTotal{EntryID: id, JudgeID: "j", CategoryID: "c", Total: float64(r.IntN(5)) * 25})
		}
		got := Tally(cat, entries, totals)

		byEntry := map[string][]float64{}
		for _, tt := range totals {
			byEntry[tt.EntryID] = append(byEntry[tt.EntryID], tt.Total)
		}
		in := make([]ResultRow, len(entries))
		for i, e := range entries {
			in[i] = ResultRow{EntryID: e.ID, Title: e.Title, Judges: len(byEntry[e.ID])}
			if s, ok := refEntryScore(cat.Tally, byEntry[e.ID]); ok {
				in[i].Score = ptr(s)
			}
		}
		checkRanked(t, in, got)
		want := map[string]ResultRow{}
		for _, w := range in {
			want[w.EntryID] = w
		}
		for _, g := range got {
			w := want[g.EntryID]
			if g.Judges != w.Judges || (g.Score == nil) != (w.Score == nil) || (g.Score != nil && !closeTo(*g.Score, *w.Score)) {
				t.Fatalf("Tally row %s: got judges %d score %v, reference %d %v", g.EntryID, g.Judges, g.Score, w.Judges, w.Score)
			}
		}
	}
}

// FuzzRank decodes rows from bytes (3 a row: nil flag and title, score, tiny offset) and
// checks Rank against the reference.
func FuzzRank(f *testing.F) {
	f.Add([]byte{1, 8, 0, 2, 8, 0, 3, 7, 0})
	f.Add([]byte{1, 8, 0, 2, 8, 2, 3, 8, 4, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var in []ResultRow
		for i := 0; i+2 < len(data) && len(in) < 64; i += 3 {
			r := ResultRow{EntryID: fmt.Sprintf("e%02d", len(in)), Title: string(rune('A' + data[i]%3))}
			if data[i]%7 != 0 {
				r.Score = ptr(float64(data[i+1]%16)*10 + float64(data[i+2]%8)*0.3e-9)
			}
			in = append(in, r)
		}
		out := slices.Clone(in)
		Rank(out)
		checkRanked(t, in, out)
	})
}

// FuzzEntryScore checks EntryScore against the reference on any finite totals.
func FuzzEntryScore(f *testing.F) {
	f.Add(true, 5, 100.0, 40.0, 50.0, 60.0, 0.0)
	f.Add(false, 3, 1.0, 2.0, 3.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, trimmed bool, n int, a, b, c, d, e float64) {
		all := []float64{a, b, c, d, e}
		for _, x := range all {
			if math.IsNaN(x) || math.Abs(x) > 1e6 {
				t.Skip()
			}
		}
		totals := all[:max(0, min(n, 5))]
		method := TallyMean
		if trimmed {
			method = TallyTrimmedMean
		}
		got, ok := EntryScore(method, totals)
		want, wok := refEntryScore(method, totals)
		if ok != wok || math.Abs(got-want) > 1e-6 {
			t.Fatalf("EntryScore(%q, %v) = %v, %v; reference %v, %v", method, totals, got, ok, want, wok)
		}
	})
}

func BenchmarkTally(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	entries := make([]EntryRef, 2000)
	var totals []JudgeTotal
	for i := range entries {
		entries[i] = EntryRef{ID: fmt.Sprintf("e%04d", i), Title: fmt.Sprintf("Entry %d", i)}
		for j := range 5 {
			totals = append(totals, JudgeTotal{EntryID: entries[i].ID, JudgeID: fmt.Sprint(j), Total: float64(r.IntN(101))})
		}
	}
	for b.Loop() {
		Tally(Category{Tally: TallyTrimmedMean}, entries, totals)
	}
}
