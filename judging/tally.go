package judging

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// ScoreEpsilon is how close two results must be to count as equal, so that rounding in the
// arithmetic never breaks a tie that the judges' marks make.
const ScoreEpsilon = 1e-9

// WeightedTotal is one judge's score on 0–100: each mark scaled to its criterion's range,
// weighted. scores must hold every criterion, in range.
func WeightedTotal(criteria []Criterion, scores map[string]float64) float64 {
	// Σ wᵢ·(sᵢ−minᵢ)/(maxᵢ−minᵢ) / Σ wᵢ × 100; with no criteria (Σ wᵢ = 0) the total is 0.
	var sum, weights float64
	for _, c := range criteria {
		sum += c.Weight * (scores[c.ID] - c.Min) / (c.Max - c.Min)
		weights += c.Weight
	}
	if weights == 0 {
		return 0
	}
	return sum / weights * 100
}

// EntryScore is an entry's result from its judges' totals by the category's tally method;
// ok is false when there are none.
func EntryScore(method TallyMethod, totals []float64) (score float64, ok bool) {
	// The mean; for TallyTrimmedMean with at least 5 totals, after dropping one highest and
	// one lowest. Summed in sorted order, so the store's order cannot change the result.
	if len(totals) == 0 {
		return 0, false
	}
	s := slices.Clone(totals)
	slices.Sort(s)
	if method == TallyTrimmedMean && len(s) >= 5 {
		s = s[1 : len(s)-1]
	}
	var sum float64
	for _, t := range s {
		sum += t
	}
	return sum / float64(len(s)), true
}

// scoreEqual reports whether two results count as equal: within ScoreEpsilon (or identical,
// which also covers two infinities).
func scoreEqual(a, b float64) bool { return a == b || (a-b <= ScoreEpsilon && b-a <= ScoreEpsilon) }

// scoreAbove reports whether a is strictly higher than b: by more than ScoreEpsilon.
func scoreAbove(a, b float64) bool { return a != b && a-b > ScoreEpsilon }

// Rank sorts rows in place, highest score first, and sets each shared rank and tie flag;
// unscored rows come last, unranked.
func Rank(rows []ResultRow) {
	// rank = 1 + the rows with a strictly higher score (within ScoreEpsilon counts as equal);
	// Tie when another row's score is equal. Equality within ScoreEpsilon is not transitive
	// (0, 0.8e-9 and 1.6e-9 rank 1, 1, 2), so rows are ordered by rank, then Title, then EntryID.
	desc := make([]float64, 0, len(rows))
	for i := range rows {
		if rows[i].Score != nil {
			desc = append(desc, *rows[i].Score)
		}
	}
	slices.SortFunc(desc, func(a, b float64) int { return cmp.Compare(b, a) })
	for i := range rows {
		r := &rows[i]
		if r.Score == nil {
			r.Rank, r.Tie = 0, false
			continue
		}
		s := *r.Score
		// desc is sorted highest first, so "above s", "equal to s" and "below s" are three runs.
		above := sort.Search(len(desc), func(k int) bool { return !scoreAbove(desc[k], s) })
		equal := sort.Search(len(desc)-above, func(k int) bool { return !scoreEqual(desc[above+k], s) })
		r.Rank = 1 + above
		r.Tie = equal > 1 // the run includes this row's own score
	}
	slices.SortFunc(rows, compareRows)
}

// compareRows orders ranked rows: scored before unscored, then by rank, Title and EntryID.
func compareRows(a, b ResultRow) int {
	if (a.Score == nil) != (b.Score == nil) {
		if a.Score == nil {
			return 1
		}
		return -1
	}
	if c := cmp.Compare(a.Rank, b.Rank); c != 0 {
		return c
	}
	if c := strings.Compare(a.Title, b.Title); c != 0 {
		return c
	}
	return strings.Compare(a.EntryID, b.EntryID)
}

// Tally ranks a category's entries by their judges' totals, one row per entry; totals of
// other entries are ignored.
func Tally(cat Category, entries []EntryRef, totals []JudgeTotal) []ResultRow {
	// An entry listed twice gets one row, from its first listing.
	index := make(map[string]int, len(entries))
	rows := make([]ResultRow, 0, len(entries))
	for _, e := range entries {
		if _, dup := index[e.ID]; dup {
			continue
		}
		index[e.ID] = len(rows)
		rows = append(rows, ResultRow{EntryID: e.ID, Title: e.Title, Company: e.Company})
	}
	byEntry := make([][]float64, len(rows))
	for _, t := range totals {
		if i, ok := index[t.EntryID]; ok {
			byEntry[i] = append(byEntry[i], t.Total)
		}
	}
	for i := range rows {
		if s, ok := EntryScore(cat.Tally, byEntry[i]); ok {
			rows[i].Score = &s
			rows[i].Judges = len(byEntry[i])
		}
	}
	Rank(rows)
	return rows
}
