package judging

import (
	"context"
	"errors"
)

// Programmes keeps the one programme, with a revision that moves on each change.
type Programmes interface {
	// Programme returns the programme and its revision; ErrNoProgramme if none is set.
	Programme(ctx context.Context) (Programme, int64, error)
	// PutProgramme replaces the programme if its revision is still expectRev (else ErrStale),
	// no category in changed has ever been scored (else ErrCriteriaFrozen) and no category in
	// removed holds entries (else ErrCategoryInUse). It returns the new revision.
	PutProgramme(ctx context.Context, p Programme, expectRev int64, changed, removed []string) (int64, error)
}

// Errors Programmes returns for races the service resolves (ErrStale also from SaveScore).
var (
	ErrStale         = &Error{KindConflict, "stale", "The programme changed meanwhile; try again."}
	ErrCategoryInUse = &Error{KindConflict, "category_in_use", "A category that holds entries cannot be removed."}
)

// Programme returns the programme; ErrNoProgramme if none is set.
func (s *Service) Programme(ctx context.Context) (Programme, error) {
	p, _, err := s.programmes.Programme(ctx)
	return p, err
}

// programme returns the programme and its revision; with none set, an empty programme (no
// categories) at revision 0, so that rules about categories answer "unknown category".
func (s *Service) programme(ctx context.Context) (Programme, int64, error) {
	p, rev, err := s.programmes.Programme(ctx)
	if errors.Is(err, ErrNoProgramme) {
		return Programme{}, 0, nil
	}
	return p, rev, err
}

// PutProgramme replaces the programme. Names, descriptions and dates may always change; a
// category that has been scored keeps its criteria and tally (ErrCriteriaFrozen), and a
// category that holds entries cannot be removed (ErrCategoryInUse).
func (s *Service) PutProgramme(ctx context.Context, a Actor, p Programme) (Programme, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return Programme{}, err
	}
	p.Normalise()
	if err := p.Validate(); err != nil {
		return Programme{}, err
	}
	_, err := retryStale(func() (int64, error) {
		old, rev, err := s.programme(ctx)
		if err != nil {
			return 0, err
		}
		changed, removed := scoringChanges(old, p)
		return s.programmes.PutProgramme(ctx, p, rev, changed, removed)
	})
	if err != nil {
		return Programme{}, err
	}
	s.publish(ctx, Event{Type: EventProgramme})
	return p, nil
}

// LoadProgramme sets p as the programme only if none is set yet; it reports whether it did.
func (s *Service) LoadProgramme(ctx context.Context, p Programme) (bool, error) {
	p.Normalise()
	if err := p.Validate(); err != nil {
		return false, err
	}
	_, err := s.programmes.PutProgramme(ctx, p, 0, nil, nil)
	if errors.Is(err, ErrStale) {
		return false, nil
	}
	return err == nil, err
}

// scoringChanges lists the old categories whose scoring the new programme changes (or
// removes), and those it removes.
func scoringChanges(old, p Programme) (changed, removed []string) {
	for _, oc := range old.Categories {
		nc, ok := p.Category(oc.ID)
		if !ok {
			removed = append(removed, oc.ID)
			changed = append(changed, oc.ID)
			continue
		}
		if !sameScoring(oc, *nc) {
			changed = append(changed, oc.ID)
		}
	}
	return changed, removed
}
