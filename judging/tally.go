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

// WeightedTotal is one judge's weighted score on 0–100: Σ wᵢ·(sᵢ−minᵢ)/(maxᵢ−minᵢ) / Σ wᵢ × 100. The caller has validated that scores holds every criterion in range.
//
// With no criteria (Σ wᵢ = 0) the total is 0.
func WeightedTotal(criteria []Criterion, scores map[string]float64) float64 {
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

// EntryScore is an entry's result from its judges' totals: the mean, or for TallyTrimmedMean with at least 5 totals the mean after dropping one highest and one lowest. ok is false when totals is empty. "" method means mean.
//
// The totals are summed in sorted order, so the result does not depend on the order the
// store returns them in. Any method other than TallyTrimmedMean means the mean.
func EntryScore(method TallyMethod, totals []float64) (score float64, ok bool) {
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

// Rank sorts rows in place, highest Score first, and sets Rank and Tie: rank = 1 + the number of rows with a strictly higher score, scores within 1e-9 (ScoreEpsilon) being equal; Tie is true when another row's score is within 1e-9. Rows with nil Score come last with Rank 0 and Tie false. Order among equal scores and among unscored rows: Title, then EntryID (deterministic).
//
// Equality within ScoreEpsilon is not transitive (0, 0.8e-9 and 1.6e-9 rank 1, 1, 2), so rows
// are ordered by their rank, which is: two rows share a rank only if their scores are equal.
func Rank(rows []ResultRow) {
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

// Tally builds a category's ranking: one row per entry (entries with no totals get nil Score and Judges 0), Score via EntryScore with cat.Tally, Judges = number of counting totals, then Rank. totals may contain totals of other categories/entries not in entries: ignore those whose EntryID is not in entries.
//
// An entry listed twice gets one row, from its first listing.
func Tally(cat Category, entries []EntryRef, totals []JudgeTotal) []ResultRow {
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
