package judging

import (
	"context"
	"sync"
	"sync/atomic"
)

// scoreHints are what the score path remembers between requests so that a score costs one
// store call: the parsed programme by revision and each entry's category. They are hints, never
// trusted: the store's atomic write checks the revision (ErrStale) and the category
// (*CategoryMismatch) it was given, and a wrong hint is corrected and the write retried, so
// several instances each with their own hints stay correct.
type scoreHints struct {
	programme atomic.Pointer[programmeHint]

	mu         sync.RWMutex
	categories map[string]string // entry id → category id, at most maxCategoryHints
}

// programmeHint is the programme as read at one revision; shared, so never modified.
type programmeHint struct {
	p   Programme
	rev int64
}

// maxCategoryHints bounds the entries whose category is remembered (a programme has thousands
// of entries at most); past it, an arbitrary one is forgotten for each new one.
const maxCategoryHints = 1 << 14

// programmeHint returns the remembered programme, reading it first if there is none yet or
// if fresh is set (the store said the remembered one is stale).
func (s *Service) programmeHint(ctx context.Context, fresh bool) (*programmeHint, error) {
	if h := s.hints.programme.Load(); h != nil && !fresh {
		return h, nil
	}
	p, rev, err := s.programme(ctx)
	if err != nil {
		return nil, err
	}
	h := &programmeHint{p: p, rev: rev}
	for {
		old := s.hints.programme.Load()
		if old != nil && old.rev > rev {
			return old, nil // a newer one was read meanwhile
		}
		if s.hints.programme.CompareAndSwap(old, h) {
			return h, nil
		}
	}
}

// category returns the remembered category of an entry, "" if none is.
func (h *scoreHints) category(entryID string) string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.categories[entryID]
}

// remember notes the category the store says an entry is in.
func (h *scoreHints) remember(entryID, categoryID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.categories == nil {
		h.categories = make(map[string]string)
	}
	if _, ok := h.categories[entryID]; !ok && len(h.categories) >= maxCategoryHints {
		for id := range h.categories {
			delete(h.categories, id)
			break
		}
	}
	h.categories[entryID] = categoryID
}
