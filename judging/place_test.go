package judging

import (
	"math/rand/v2"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ranked builds rows from scores (nil: unscored) in the order Rank gives them.
func ranked(scores ...*float64) []ResultRow {
	rows := make([]ResultRow, len(scores))
	for i, s := range scores {
		rows[i] = ResultRow{EntryID: string(rune('a' + i)), Title: string(rune('A' + i)), Score: s}
	}
	Rank(rows)
	return rows
}

// placeIDs is the entry ids of each place.
func placeIDs(places [][]ResultRow) [][]string {
	var out [][]string
	for _, p := range places {
		var ids []string
		for _, r := range p {
			ids = append(ids, r.EntryID)
		}
		out = append(out, ids)
	}
	return out
}

func TestPlaces(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows []ResultRow
		want [][]string
	}{
		{"a place is one rank: distinct scores are one place each",
			ranked(ptr(80), ptr(40), ptr(60)), [][]string{{"a"}, {"c"}, {"b"}}},
		{"entries sharing a rank appear together: two tied at the bottom",
			ranked(ptr(80), ptr(40), ptr(40)), [][]string{{"a"}, {"b", "c"}}},
		{"entries sharing a rank appear together: a three-way tie in the middle",
			ranked(ptr(90), ptr(50), ptr(50), ptr(10), ptr(50)), [][]string{{"a"}, {"b", "c", "e"}, {"d"}}},
		{"entries sharing a rank appear together: tied winners",
			ranked(ptr(75), ptr(75), ptr(37.5)), [][]string{{"a", "b"}, {"c"}}},
		{"an all-tied category is one place",
			ranked(ptr(5), ptr(5), ptr(5)), [][]string{{"a", "b", "c"}}},
		{"scores within 1e-9 are equal",
			ranked(ptr(50), ptr(50+0.5e-9), ptr(20)), [][]string{{"a", "b"}, {"c"}}},
		{"entries with no score are listed last: they are one place, the last",
			ranked(nil, ptr(80), nil, ptr(80)), [][]string{{"b", "d"}, {"a", "c"}}},
		{"only unscored entries: one place",
			ranked(nil, nil), [][]string{{"a", "b"}}},
		{"no entries: no place",
			ranked(), nil},
		{"ties chained across ranks (1.6e-9, 0.8e-9, 0 rank 1, 1, 2) are one place",
			ranked(ptr(0), ptr(0.8e-9), ptr(1.6e-9)), [][]string{{"b", "c", "a"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := gocmp.Diff(tc.want, placeIDs(Places(tc.rows))); diff != "" {
				t.Fatalf("places (-want +got):\n%s", diff)
			}
		})
	}
}

// refPlaces is the plain reference: rows are linked when they share a rank, are both
// unscored or tie (scores within 1e-9), and a place is a set of linked rows; places are
// listed in the ranking's order.
func refPlaces(rows []ResultRow) [][]string {
	parent := make([]int, len(rows))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	for i := range rows {
		for j := range i {
			a, b := rows[i], rows[j]
			link := a.Score == nil && b.Score == nil ||
				a.Score != nil && b.Score != nil && (a.Rank == b.Rank || scoreEqual(*a.Score, *b.Score))
			if link {
				parent[find(i)] = find(j)
			}
		}
	}
	var out [][]string
	var roots []int
	for i, r := range rows {
		k := slices.Index(roots, find(i))
		if k < 0 {
			roots = append(roots, find(i))
			out = append(out, nil)
			k = len(out) - 1
		}
		out[k] = append(out[k], r.EntryID)
	}
	return out
}

func TestPlaces_Reference(t *testing.T) {
	// Over random rankings full of exact and near ties: the places are the reference's, cover
	// the ranking in order, and every step of a reveal (the last n places) shows no tied row
	// whose partner is hidden.
	r := rand.New(rand.NewPCG(9, 10))
	for range 2000 {
		rows := randomRows(r, r.IntN(20))
		Rank(rows)
		places := Places(rows)
		if diff := gocmp.Diff(refPlaces(rows), placeIDs(places)); diff != "" {
			t.Fatalf("Places(%s) (-reference +got):\n%s", dump(rows), diff)
		}
		var all []ResultRow
		for _, p := range places {
			all = append(all, p...)
		}
		if diff := gocmp.Diff(rows, all, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("the places of %s do not make up the ranking (-ranking +places):\n%s", dump(rows), diff)
		}
		for n := 0; n <= len(places)+1; n++ {
			shown, k := bottomPlaces(rows, n)
			if want := min(n, len(places)); k != want {
				t.Fatalf("bottomPlaces(%s, %d) counts %d places, want %d", dump(rows), n, k, want)
			}
			if !slices.Equal(shown, rows[len(rows)-len(shown):]) {
				t.Fatalf("bottomPlaces(%s, %d) is not the bottom of the ranking", dump(rows), n)
			}
			hidden := rows[:len(rows)-len(shown)]
			for _, s := range shown {
				for _, h := range hidden {
					if s.Tie && h.Score != nil && scoreEqual(*s.Score, *h.Score) {
						t.Fatalf("step %d of %s shows %s with tie: true while %s, tied with it, is hidden", n, dump(rows), s.EntryID, h.EntryID)
					}
				}
			}
		}
	}
}
