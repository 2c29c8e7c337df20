package judging

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Entries keeps the entries.
type Entries interface {
	// CreateEntry stores a new entry if its owner has fewer than maxPerOwner entries (drafts
	// included), checked in the same atomic step; else ErrTooManyEntries.
	CreateEntry(ctx context.Context, e Entry, maxPerOwner int) error
	Entry(ctx context.Context, id string) (Entry, error)
	// UpdateEntry replaces e's editable fields, atomically checking that it is still a draft
	// when draftOnly (else ErrAlreadySubmitted) and that its category did not change once
	// submitted (else ErrAlreadySubmitted).
	UpdateEntry(ctx context.Context, e Entry, draftOnly bool) (Entry, error)
	// SubmitEntry moves a draft to submitted; ErrAlreadySubmitted if it is not a draft,
	// ErrCategoryRevealed if its category is frozen (revealed or being revealed).
	SubmitEntry(ctx context.Context, id string, at time.Time) (Entry, error)
	// Entries lists entries in creation order: all of them, one owner's, or one judge's assigned.
	Entries(ctx context.Context, scope EntryScope) ([]Entry, error)
	// EntryRefs returns what a ranking shows of a category's submitted entries, reading only
	// those fields, so that drafts and long descriptions cost a ranking nothing.
	EntryRefs(ctx context.Context, categoryID string) ([]EntryRef, error)
}

// EntryScope selects whose entries to list; the zero value is every entry.
type EntryScope struct {
	OwnerID    string
	JudgeID    string
	CategoryID string
}

// CreateEntry stores a new draft entry for an exhibitor, until submissions close and while
// they have fewer entries than the programme's max_entries_per_exhibitor (ErrTooManyEntries,
// checked atomically by the store so parallel creates cannot pass it).
func (s *Service) CreateEntry(ctx context.Context, a Actor, in EntryInput) (Entry, error) {
	if err := requireRole(a, RoleExhibitor); err != nil {
		return Entry{}, err
	}
	p, _, err := s.programme(ctx)
	if err != nil {
		return Entry{}, err
	}
	if err := in.validate(&p); err != nil {
		return Entry{}, err
	}
	now := s.clock.Now().UTC()
	if !now.Before(p.SubmissionsClose) {
		return Entry{}, ErrSubmissionsClosed
	}
	owner, err := s.users.User(ctx, a.ID)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{
		ID: newID("e"), CategoryID: in.CategoryID, Title: in.Title, Summary: in.Summary,
		Description: in.Description, Links: in.Links, Status: StatusDraft, OwnerID: owner.ID,
		Company: owner.Company, Country: owner.Country, Startup: owner.Startup,
		CreatedAt: now, UpdatedAt: now,
	}
	if err := s.entries.CreateEntry(ctx, e, p.EntriesPerExhibitor()); err != nil {
		if errors.Is(err, ErrTooManyEntries) {
			err = &Error{KindInvalid, ErrTooManyEntries.Code, fmt.Sprintf("An exhibitor may create at most %d entries.", p.EntriesPerExhibitor())}
		}
		return Entry{}, err
	}
	s.publish(ctx, Event{Type: EventEntry, CategoryID: e.CategoryID, EntryID: e.ID})
	return e, nil
}

// Entry returns an entry to its owner, an admin or a judge assigned to it; to anyone else it
// does not exist.
func (s *Service) Entry(ctx context.Context, a Actor, id string) (Entry, error) {
	e, err := s.entries.Entry(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	if err := s.canSee(ctx, a, e); err != nil {
		return Entry{}, err
	}
	return e, nil
}

func (s *Service) canSee(ctx context.Context, a Actor, e Entry) error {
	switch {
	case a.Is(RoleAdmin), a.Is(RoleExhibitor) && e.OwnerID == a.ID:
		return nil
	case a.Is(RoleJudge):
		ok, err := s.assignments.Assigned(ctx, e.ID, a.ID)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return ErrNotFound
}

// UpdateEntry replaces an entry's fields: its owner while it is a draft and submissions are
// open, an admin at any time (but a submitted entry keeps its category).
func (s *Service) UpdateEntry(ctx context.Context, a Actor, id string, in EntryInput) (Entry, error) {
	e, err := s.Entry(ctx, a, id)
	if err != nil {
		return Entry{}, err
	}
	admin := a.Is(RoleAdmin)
	if !admin && !(a.Is(RoleExhibitor) && e.OwnerID == a.ID) {
		return Entry{}, ErrForbidden
	}
	p, _, err := s.programme(ctx)
	if err != nil {
		return Entry{}, err
	}
	if err := in.validate(&p); err != nil {
		return Entry{}, err
	}
	if !admin {
		if e.Status != StatusDraft {
			return Entry{}, ErrAlreadySubmitted
		}
		if !s.clock.Now().Before(p.SubmissionsClose) {
			return Entry{}, ErrSubmissionsClosed
		}
	}
	if e.Status != StatusDraft && in.CategoryID != e.CategoryID {
		return Entry{}, ErrAlreadySubmitted
	}
	e.CategoryID, e.Title, e.Summary, e.Description, e.Links = in.CategoryID, in.Title, in.Summary, in.Description, in.Links
	e.UpdatedAt = s.clock.Now().UTC()
	e, err = s.entries.UpdateEntry(ctx, e, !admin)
	if err != nil {
		return Entry{}, err
	}
	s.publish(ctx, Event{Type: EventEntry, CategoryID: e.CategoryID, EntryID: e.ID})
	return e, nil
}

// SubmitEntry submits its owner's draft for judging, until submissions close and unless its
// category is revealed or being revealed (ErrCategoryRevealed): a ranking being revealed never
// gains a row.
func (s *Service) SubmitEntry(ctx context.Context, a Actor, id string) (Entry, error) {
	e, err := s.Entry(ctx, a, id)
	if err != nil {
		return Entry{}, err
	}
	if !(a.Is(RoleExhibitor) && e.OwnerID == a.ID) {
		return Entry{}, ErrForbidden
	}
	p, _, err := s.programme(ctx)
	if err != nil {
		return Entry{}, err
	}
	now := s.clock.Now().UTC()
	if !now.Before(p.SubmissionsClose) {
		return Entry{}, ErrSubmissionsClosed
	}
	if _, ok := p.Category(e.CategoryID); !ok {
		return Entry{}, Invalidf("unknown_category", "category_id %q is no longer a category of the programme", e.CategoryID)
	}
	e, err = s.entries.SubmitEntry(ctx, id, now)
	if err != nil {
		return Entry{}, err
	}
	s.publish(ctx, Event{Type: EventEntry, CategoryID: e.CategoryID, EntryID: e.ID})
	return e, nil
}

// Entries lists what the caller may see: an admin every entry, an exhibitor their own, a
// judge those assigned to them; optionally one category's.
func (s *Service) Entries(ctx context.Context, a Actor, f EntryFilter) ([]Entry, error) {
	scope := EntryScope{CategoryID: f.CategoryID}
	switch {
	case a.Is(RoleAdmin):
	case a.Is(RoleExhibitor):
		scope.OwnerID = a.ID
	case a.Is(RoleJudge):
		scope.JudgeID = a.ID
	default:
		return nil, requireRole(a, RoleAdmin, RoleExhibitor, RoleJudge)
	}
	es, err := s.entries.Entries(ctx, scope)
	if err != nil {
		return nil, err
	}
	if f.CategoryID != "" {
		es = slices.DeleteFunc(es, func(e Entry) bool { return e.CategoryID != f.CategoryID })
	}
	if es == nil {
		es = []Entry{}
	}
	return es, nil
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
