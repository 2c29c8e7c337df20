package judging

import (
	"context"
	"sort"
)

// Scores keeps the score versions, the tally state each category's ranking is read from, and
// (in the same step as each score) the audit trail.
type Scores interface {
	// SaveScore writes a score version, its history, the category's tally state and an audit
	// record atomically, if the judge is still assigned (else ErrNotAssigned) and the programme
	// is still at w.ProgrammeRev (else ErrStale) and the category is not frozen (else
	// ErrCategoryRevealed, even for the same body). The same body as the counting one changes
	// nothing and returns the counting score with changed false.
	SaveScore(ctx context.Context, w ScoreWrite) (sc Score, changed bool, err error)
	// CategoryScores returns the counting scores of a category: what its tally needs.
	CategoryScores(ctx context.Context, categoryID string) ([]Score, error)
	// ScoreHistory returns every version each judge gave the entry, oldest first.
	ScoreHistory(ctx context.Context, entryID string) (map[string][]Score, error)
	Progress(ctx context.Context, categoryID string) (Progress, error)
}

// SubmitScore stores a judge's marks for an entry assigned to them, until judging closes and
// while its category is not revealed. The same body again changes nothing (same version); a
// changed body is a new version. Checks in order: an unknown entry (404), not assigned (403),
// judging closed, category revealed (409), then the marks (422).
func (s *Service) SubmitScore(ctx context.Context, a Actor, entryID string, in ScoreInput) (Score, error) {
	if err := requireRole(a, RoleJudge); err != nil {
		return Score{}, err
	}
	e, err := s.entries.Entry(ctx, entryID)
	if err != nil {
		return Score{}, err
	}
	ok, err := s.assignments.Assigned(ctx, entryID, a.ID)
	if err != nil {
		return Score{}, err
	}
	if !ok {
		return Score{}, ErrNotAssigned
	}
	type saved struct {
		sc      Score
		changed bool
	}
	res, err := retryStale(func() (saved, error) {
		p, rev, err := s.programme(ctx)
		if err != nil {
			return saved{}, err
		}
		now := s.clock.Now().UTC()
		if !now.Before(p.JudgingClose) {
			return saved{}, ErrJudgingClosed
		}
		if err := s.checkNotFrozen(ctx, e.CategoryID); err != nil {
			return saved{}, err
		}
		cat, ok := p.Category(e.CategoryID)
		if !ok {
			return saved{}, Invalidf("unknown_category", "the entry's category %q is no longer in the programme", e.CategoryID)
		}
		if err := in.validate(cat); err != nil {
			return saved{}, err
		}
		total := WeightedTotal(cat.Criteria, in.Scores)
		if !finite(total) { // a category stored before its criteria's numbers were bounded
			return saved{}, ErrTotalNotFinite
		}
		sc, changed, err := s.scores.SaveScore(ctx, ScoreWrite{
			EntryID: e.ID, JudgeID: a.ID, CategoryID: e.CategoryID, ProgrammeRev: rev,
			Body: in.canonicalBody(), Total: total, At: now,
		})
		return saved{sc, changed}, err
	})
	if err != nil {
		return Score{}, err
	}
	if res.changed {
		s.publish(ctx, Event{Type: EventTally, CategoryID: e.CategoryID}, Event{Type: EventProgress, CategoryID: e.CategoryID})
	}
	return res.sc, nil
}

// QueueItem is one entry in a judge's queue, with the judge's own counting score if any.
type QueueItem struct {
	Entry   Entry  `json:"entry"`
	MyScore *Score `json:"my_score"`
}

// Queue lists a judge's assigned entries with their own scores; never anyone else's.
func (s *Service) Queue(ctx context.Context, a Actor) ([]QueueItem, error) {
	if err := requireRole(a, RoleJudge); err != nil {
		return nil, err
	}
	es, err := s.entries.Entries(ctx, EntryScope{JudgeID: a.ID})
	if err != nil {
		return nil, err
	}
	mine := map[string]*Score{}
	cats := map[string]bool{}
	for _, e := range es {
		if cats[e.CategoryID] {
			continue
		}
		cats[e.CategoryID] = true
		scores, err := s.scores.CategoryScores(ctx, e.CategoryID)
		if err != nil {
			return nil, err
		}
		for i := range scores {
			if scores[i].JudgeID == a.ID {
				mine[scores[i].EntryID] = &scores[i]
			}
		}
	}
	q := make([]QueueItem, 0, len(es))
	for _, e := range es {
		q = append(q, QueueItem{Entry: e, MyScore: mine[e.ID]})
	}
	return q, nil
}

// EntryScores returns, for an admin, every judge's counting score for an entry and every
// version each gave.
func (s *Service) EntryScores(ctx context.Context, a Actor, entryID string) ([]JudgeScores, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	e, err := s.entries.Entry(ctx, entryID)
	if err != nil {
		return nil, err
	}
	hist, err := s.scores.ScoreHistory(ctx, entryID)
	if err != nil {
		return nil, err
	}
	counting, err := s.scores.CategoryScores(ctx, e.CategoryID)
	if err != nil {
		return nil, err
	}
	cur := map[string]*Score{}
	for i := range counting {
		if counting[i].EntryID == entryID {
			cur[counting[i].JudgeID] = &counting[i]
		}
	}
	out := make([]JudgeScores, 0, len(hist))
	for judge, versions := range hist {
		js := JudgeScores{JudgeID: judge, History: versions, Current: cur[judge], Counting: cur[judge] != nil}
		if u, err := s.users.User(ctx, judge); err == nil {
			js.Name = u.Name
		}
		out = append(out, js)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].JudgeID < out[j].JudgeID })
	return out, nil
}

// Progress returns how many of a category's assignments have a counting score.
func (s *Service) Progress(ctx context.Context, categoryID string) (Progress, error) {
	return s.scores.Progress(ctx, categoryID)
}
