package judging

// Places splits a ranking in Rank's order into its places, winner first, the unscored last:
// a step-by-step reveal shows one place per step, so no tied row comes out alone.
func Places(rows []ResultRow) [][]ResultRow {
	// Equality within ScoreEpsilon is not transitive, so in a corner case a row ties with a row
	// of the next rank (0.8e-9 and 0 when 1.6e-9 ranks first); such ranks form one place.
	var places [][]ResultRow
	placeStart, groupStart := 0, 0
	for i := 1; i <= len(rows); i++ {
		if i < len(rows) && sameRank(rows[i-1], rows[i]) {
			continue
		}
		// rows[groupStart:i] share a rank: a place of its own unless it ties with the one above.
		if groupStart > placeStart && !tiesAcross(rows[placeStart:groupStart], rows[groupStart:i]) {
			places = append(places, rows[placeStart:groupStart:groupStart])
			placeStart = groupStart
		}
		groupStart = i
	}
	if len(rows) > 0 {
		places = append(places, rows[placeStart:len(rows):len(rows)])
	}
	return places
}

// sameRank reports whether two neighbouring rows share a rank: both scored with one rank, or
// both unscored.
func sameRank(a, b ResultRow) bool {
	if (a.Score == nil) != (b.Score == nil) {
		return false
	}
	return a.Score == nil || a.Rank == b.Rank
}

// tiesAcross reports whether a row of the next group ties with a row of the place above it.
// Every score of a lower rank is at most every score of a higher one, so the closest pair is
// the place's lowest score and the group's highest.
func tiesAcross(above, next []ResultRow) bool {
	if above[0].Score == nil || next[0].Score == nil {
		return false
	}
	lo, hi := *above[0].Score, *next[0].Score
	for _, r := range above {
		lo = min(lo, *r.Score)
	}
	for _, r := range next {
		hi = max(hi, *r.Score)
	}
	return scoreEqual(lo, hi)
}

// bottomPlaces returns the rows of the last n places of a ranking (all of it when n is at
// least its number of places) and how many places that is.
func bottomPlaces(rows []ResultRow, n int) ([]ResultRow, int) {
	places := Places(rows)
	n = max(0, min(n, len(places)))
	count := 0
	for _, p := range places[len(places)-n:] {
		count += len(p)
	}
	return rows[len(rows)-count:], n
}
