package judging

import (
	"math"
	"slices"
)

// Normalise turns each judge's totals into z-scores over all that judge's totals, in input
// order: it evens out harsh and lenient judges for the admins' second ranking.
func Normalise(totals []JudgeTotal) []JudgeTotal {
	// z = (t − μ)/σ with the population standard deviation. A judge with σ == 0 (a single
	// total, or all identical even when rounding in μ would leave a trace) gets z = 0.
	byJudge := make(map[string][]float64)
	for _, t := range totals {
		byJudge[t.JudgeID] = append(byJudge[t.JudgeID], t.Total)
	}
	type stats struct{ mean, sd float64 }
	st := make(map[string]stats, len(byJudge))
	for id, ts := range byJudge {
		m, sd := judgeStats(ts)
		st[id] = stats{m, sd}
	}
	out := make([]JudgeTotal, len(totals))
	for i, t := range totals {
		s := st[t.JudgeID]
		t.Total = 0
		if s.sd > 0 {
			t.Total = (totals[i].Total - s.mean) / s.sd
		}
		out[i] = t
	}
	return out
}

// judgeStats returns the mean and population standard deviation of ts (sorted in place, so
// that the sums do not depend on input order); sd is 0 when all the totals are equal.
func judgeStats(ts []float64) (mean, sd float64) {
	slices.Sort(ts)
	var sum float64
	for _, t := range ts {
		sum += t
	}
	mean = sum / float64(len(ts))
	if ts[0] == ts[len(ts)-1] {
		return mean, 0
	}
	var sq float64
	for _, t := range ts {
		sq += (t - mean) * (t - mean)
	}
	return mean, math.Sqrt(sq / float64(len(ts)))
}

// WinnerChanges reports whether the set of rank-1 entries differs between two rankings (compare sets of EntryIDs with Rank == 1; two empty sets are equal).
func WinnerChanges(plain, normalised []ResultRow) bool {
	a, b := winners(plain), winners(normalised)
	if len(a) != len(b) {
		return true
	}
	for id := range a {
		if !b[id] {
			return true
		}
	}
	return false
}

// winners returns the set of EntryIDs ranked first.
func winners(rows []ResultRow) map[string]bool {
	w := make(map[string]bool)
	for _, r := range rows {
		if r.Rank == 1 {
			w[r.EntryID] = true
		}
	}
	return w
}
