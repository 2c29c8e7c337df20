package judging

import "context"

// The first reveal of a category, whole or step, freezes it: from then on no score,
// withdrawal, recusal, assignment or submitted entry changes its ranking (ErrCategoryRevealed),
// so what the audience has seen never moves. The store refuses such writes atomically; the
// use cases also check first, so that the answer comes before rules about the request body.

// frozenCategories returns the categories revealed or being revealed.
func (s *Service) frozenCategories(ctx context.Context) (map[string]bool, error) {
	revealed, partial, err := s.ceremony.Ceremony(ctx)
	if err != nil {
		return nil, err
	}
	frozen := make(map[string]bool, len(revealed)+len(partial))
	for _, c := range revealed {
		frozen[c] = true
	}
	for c := range partial {
		frozen[c] = true
	}
	return frozen, nil
}

// checkNotFrozen returns ErrCategoryRevealed if the category is revealed or being revealed.
func (s *Service) checkNotFrozen(ctx context.Context, categoryID string) error {
	frozen, err := s.frozenCategories(ctx)
	if err != nil {
		return err
	}
	if frozen[categoryID] {
		return ErrCategoryRevealed
	}
	return nil
}
