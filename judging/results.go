package judging

// ResultRow is one entry's place in a category's ranking. Rank and Score are absent (zero,
// nil) for an entry no judge has scored; such rows come last.
type ResultRow struct {
	Rank    int      `json:"rank,omitzero"`
	EntryID string   `json:"entry_id"`
	Title   string   `json:"title"`
	Company string   `json:"company"`
	Score   *float64 `json:"score"`
	Judges  int      `json:"judges"`
	Tie     bool     `json:"tie"`
}

// JudgeTotal is one judge's counting weighted total (0–100) for one entry.
type JudgeTotal struct {
	EntryID    string
	JudgeID    string
	CategoryID string
	Total      float64
}

// EntryRef is what a ranking shows of an entry.
type EntryRef struct {
	ID      string
	Title   string
	Company string
}
