package judging

import (
	"context"
	"time"
)

// Ceremony keeps which categories are revealed, wholly or place by place, and so which are
// frozen.
type Ceremony interface {
	// Reveal reveals a whole category. The first reveal, whole or step, freezes the category:
	// from then on SaveScore, Withdraw, Assign and SubmitEntry refuse changes in it.
	Reveal(ctx context.Context, categoryID string) error
	// Freeze freezes a category without showing anything: it becomes "being revealed" with 0
	// places shown, unless it is revealed or being revealed already. A step reveal freezes
	// first, so that the places it counts cannot change before the step is stored.
	Freeze(ctx context.Context, categoryID string) error
	// RevealStep shows one more place of a category that has places places (a place is one
	// rank, see Places); the category becomes revealed at the last. It returns the places shown.
	RevealStep(ctx context.Context, categoryID string, places int) (int, error)
	// Ceremony returns the revealed categories and the places shown of partly revealed ones.
	Ceremony(ctx context.Context) (revealed []string, partial map[string]int, err error)
}

// CeremonyState is GET /ceremony: what has been revealed so far.
type CeremonyState struct {
	Revealed   []string       `json:"revealed"`
	Partial    map[string]int `json:"partial"`
	CeremonyAt *time.Time     `json:"ceremony_at"`
}

// Ceremony returns the revealed categories, the places shown of those being revealed step by
// step, and the time of the ceremony.
func (s *Service) Ceremony(ctx context.Context) (CeremonyState, error) {
	p, _, err := s.programme(ctx)
	if err != nil {
		return CeremonyState{}, err
	}
	rev, partial, err := s.ceremony.Ceremony(ctx)
	if err != nil {
		return CeremonyState{}, err
	}
	st := CeremonyState{Revealed: rev, Partial: map[string]int{}}
	if st.Revealed == nil {
		st.Revealed = []string{}
	}
	for c, n := range partial {
		if n > 0 { // 0: frozen by a step reveal whose first place is not stored yet
			st.Partial[c] = n
		}
	}
	if !p.CeremonyAt.IsZero() {
		st.CeremonyAt = &p.CeremonyAt
	}
	return st, nil
}

// RevealResult says where a category's reveal stands after a call.
type RevealResult struct {
	CategoryID  string `json:"category_id"`
	Revealed    bool   `json:"revealed"`
	PlacesShown int    `json:"places_shown"`
	Places      int    `json:"places"`
}

// Reveal shows a category to everyone: all of it, or with step one more place each call,
// from last place to the winner; at the last place the category is revealed. A place is one
// rank: the entries sharing it are shown together (see Places).
func (s *Service) Reveal(ctx context.Context, a Actor, categoryID string, step bool) (RevealResult, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return RevealResult{}, err
	}
	if categoryID == "" {
		return RevealResult{}, Invalidf("missing_field", "category_id is required")
	}
	p, _, err := s.programme(ctx)
	if err != nil {
		return RevealResult{}, err
	}
	c, ok := p.Category(categoryID)
	if !ok {
		return RevealResult{}, ErrUnknownCategory
	}
	// Freeze first, then count: from the freeze no score or entry can change the ranking, so
	// the places counted are those the steps show.
	if step {
		err = s.ceremony.Freeze(ctx, categoryID)
	} else {
		err = s.ceremony.Reveal(ctx, categoryID)
	}
	if err != nil {
		return RevealResult{}, err
	}
	rows, err := s.ranking(ctx, *c)
	if err != nil {
		return RevealResult{}, err
	}
	places := len(Places(rows))
	res := RevealResult{CategoryID: categoryID, Places: places, PlacesShown: places, Revealed: true}
	if step {
		shown, err := s.ceremony.RevealStep(ctx, categoryID, places)
		if err != nil {
			return RevealResult{}, err
		}
		res.PlacesShown, res.Revealed = shown, shown >= places
	}
	s.publish(ctx, Event{Type: EventReveal, CategoryID: categoryID})
	return res, nil
}

// ranking returns one category's full ranking: for the reveal.
func (s *Service) ranking(ctx context.Context, c Category) ([]ResultRow, error) {
	refs, err := s.entries.EntryRefs(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	totals, err := s.categoryTotals(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return Tally(c, refs, totals), nil
}

// revealState returns the revealed categories as a set, and the places shown of those being
// revealed step by step.
func (s *Service) revealState(ctx context.Context) (map[string]bool, map[string]int, error) {
	rev, partial, err := s.ceremony.Ceremony(ctx)
	if err != nil {
		return nil, nil, err
	}
	revealed := make(map[string]bool, len(rev))
	for _, id := range rev {
		revealed[id] = true
	}
	return revealed, partial, nil
}
