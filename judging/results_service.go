package judging

import "context"

// CategoryResults is one category in GET /results: its ranking when the caller may see it.
type CategoryResults struct {
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	Revealed    bool               `json:"revealed"`
	PlacesShown int                `json:"places_shown,omitzero"`
	Ranking     []ResultRow        `json:"ranking,omitzero"`
	Normalised  *NormalisedRanking `json:"normalised,omitempty"`
}

// NormalisedRanking is, for admins, a category's ranking after each judge's totals are turned
// into z-scores, and whether its winner differs from the plain ranking's.
type NormalisedRanking struct {
	Ranking       []ResultRow `json:"ranking"`
	WinnerChanges bool        `json:"winner_changes"`
}

// Results is GET /results.
type Results struct {
	Categories []CategoryResults `json:"categories"`
}

// Results returns the rankings the caller may see: an admin every category with its
// normalised ranking, anyone else what has been revealed so far.
func (s *Service) Results(ctx context.Context, a Actor) (Results, error) {
	p, _, err := s.programme(ctx)
	if err != nil {
		return Results{}, err
	}
	revealed, partial, err := s.revealState(ctx)
	if err != nil {
		return Results{}, err
	}
	admin := a.Is(RoleAdmin)
	out := Results{Categories: make([]CategoryResults, 0, len(p.Categories))}
	var all []JudgeTotal // every category's totals, for the admin's normalised rankings
	entries := map[string][]EntryRef{}
	plain := map[string][]ResultRow{}
	for _, c := range p.Categories {
		cr := CategoryResults{ID: c.ID, Name: c.Name, Revealed: revealed[c.ID]}
		shown := partial[c.ID]
		if admin || cr.Revealed || shown > 0 {
			// Only the categories the caller may see are read, and of them only what a
			// ranking row shows of the submitted entries.
			refs, err := s.entries.EntryRefs(ctx, c.ID)
			if err != nil {
				return Results{}, err
			}
			entries[c.ID] = refs
			totals, err := s.categoryTotals(ctx, c.ID)
			if err != nil {
				return Results{}, err
			}
			all = append(all, totals...)
			rows := Tally(c, refs, totals)
			plain[c.ID] = rows
			switch {
			case admin || cr.Revealed:
				cr.Ranking = rows
			default:
				cr.Ranking, cr.PlacesShown = bottomPlaces(rows, shown)
			}
			if admin && shown > 0 {
				cr.PlacesShown = shown
			}
		}
		out.Categories = append(out.Categories, cr)
	}
	if admin {
		z := Normalise(all)
		for i, c := range p.Categories {
			rows := Tally(c, entries[c.ID], z)
			out.Categories[i].Normalised = &NormalisedRanking{Ranking: rows, WinnerChanges: WinnerChanges(plain[c.ID], rows)}
		}
	}
	return out, nil
}

func (s *Service) categoryTotals(ctx context.Context, categoryID string) ([]JudgeTotal, error) {
	scores, err := s.scores.CategoryScores(ctx, categoryID)
	if err != nil {
		return nil, err
	}
	totals := make([]JudgeTotal, len(scores))
	for i, sc := range scores {
		totals[i] = JudgeTotal{EntryID: sc.EntryID, JudgeID: sc.JudgeID, CategoryID: categoryID, Total: sc.Total}
	}
	return totals, nil
}
