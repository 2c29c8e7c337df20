package judging

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

func totalsOf(ts []JudgeTotal) []float64 {
	out := make([]float64, len(ts))
	for i, t := range ts {
		out[i] = t.Total
	}
	return out
}

func TestNormalise(t *testing.T) {
	jt := func(entry, judge, cat string, total float64) JudgeTotal { return JudgeTotal{entry, judge, cat, total} }
	for _, tc := range []struct {
		name string
		in   []JudgeTotal
		want []float64
	}{
		{"each judge's totals are turned into z-scores with the population standard deviation",
			[]JudgeTotal{jt("e1", "j", "c", 2), jt("e2", "j", "c", 4), jt("e3", "j", "c", 4), jt("e4", "j", "c", 4),
				jt("e5", "j", "c", 5), jt("e6", "j", "c", 5), jt("e7", "j", "c", 7), jt("e8", "j", "c", 9)}, // μ 5, σ 2
			[]float64{-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2}},
		{"z-scores are over all that judge's scores, in every category",
			[]JudgeTotal{jt("e1", "j", "cyber-security", 40), jt("e2", "j", "csr", 60)},
			[]float64{-1, 1}},
		{"a harsh and a lenient judge are evened out",
			[]JudgeTotal{jt("e1", "harsh", "c", 10), jt("e2", "harsh", "c", 30), jt("e1", "lenient", "c", 80), jt("e2", "lenient", "c", 100)},
			[]float64{-1, 1, -1, 1}},
		{"a judge whose totals are all equal gets z = 0", // 0.1 three times: μ is not exactly 0.1
			[]JudgeTotal{jt("e1", "j", "c", 0.1), jt("e2", "j", "c", 0.1), jt("e3", "j", "c", 0.1)},
			[]float64{0, 0, 0}},
		{"a judge with a single total gets z = 0", []JudgeTotal{jt("e1", "j", "c", 73)}, []float64{0}},
		{"no totals, none out", nil, []float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Normalise(tc.in)
			if diff := gocmp.Diff(tc.want, totalsOf(got)); diff != "" {
				t.Fatalf("Normalise totals (-want +got):\n%s", diff)
			}
			for i := range got {
				if g, w := got[i], tc.in[i]; g.EntryID != w.EntryID || g.JudgeID != w.JudgeID || g.CategoryID != w.CategoryID {
					t.Fatalf("row %d is %+v, want the ids of %+v", i, g, w)
				}
			}
		})
	}
	t.Run("the input is left as it was", func(t *testing.T) {
		in := []JudgeTotal{{"e1", "j", "c", 10}, {"e2", "j", "c", 30}}
		Normalise(in)
		if got, want := in[0].Total, 10.0; got != want {
			t.Fatalf("input total = %v, want %v", got, want)
		}
	})
}

func TestNormalise_Reference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 300 {
		in := make([]JudgeTotal, r.IntN(30))
		for i := range in {
			in[i] = JudgeTotal{EntryID: fmt.Sprint("e", i), JudgeID: fmt.Sprint("j", r.IntN(4)), CategoryID: fmt.Sprint("c", r.IntN(2)), Total: float64(r.IntN(5)) * 20}
		}
		got := Normalise(in)
		for i, t0 := range in {
			// reference: the textbook formulas, recomputed for every row
			var sum, n float64
			for _, o := range in {
				if o.JudgeID == t0.JudgeID {
					sum, n = sum+o.Total, n+1
				}
			}
			mean := sum / n
			var sq float64
			for _, o := range in {
				if o.JudgeID == t0.JudgeID {
					sq += (o.Total - mean) * (o.Total - mean)
				}
			}
			want := 0.0
			if sd := math.Sqrt(sq / n); sd > 0 {
				want = (t0.Total - mean) / sd
			}
			if !closeTo(got[i].Total, want) {
				t.Fatalf("Normalise(%v)[%d] = %v, reference %v", in, i, got[i].Total, want)
			}
		}
	}
}

func TestWinnerChanges(t *testing.T) {
	rows := func(winners ...string) []ResultRow {
		out := []ResultRow{{EntryID: "other", Rank: 3}, {EntryID: "unscored"}}
		for _, w := range winners {
			out = append(out, ResultRow{EntryID: w, Rank: 1})
		}
		return out
	}
	for _, tc := range []struct {
		name              string
		plain, normalised []ResultRow
		want              bool
	}{
		{"the same winner is no change", rows("a"), rows("a"), false},
		{"a different winner is a change", rows("a"), rows("b"), true},
		{"a shared win that becomes a sole win is a change", rows("a", "b"), rows("a"), true},
		{"the same shared winners in another order is no change", rows("a", "b"), rows("b", "a"), false},
		{"two rankings with no winner are no change", nil, rows(), false},
		{"a winner where there was none is a change", rows(), rows("a"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := WinnerChanges(tc.plain, tc.normalised), tc.want; got != want {
				t.Fatalf("WinnerChanges = %v, want %v", got, want)
			}
		})
	}
}

func BenchmarkNormalise(b *testing.B) {
	r := rand.New(rand.NewPCG(13, 14))
	in := make([]JudgeTotal, 6000)
	for i := range in {
		in[i] = JudgeTotal{EntryID: fmt.Sprint("e", i/3), JudgeID: fmt.Sprint("j", r.IntN(200)), Total: r.Float64() * 100}
	}
	for b.Loop() {
		Normalise(in)
	}
}
