package judging

import (
	"context"
	"errors"
	"sort"
)

// Scores keeps the score versions, the tally state each category's ranking is read from, and
// (in the same step as each score) the audit trail.
type Scores interface {
	// SaveScore makes every check of ScoreWrite and, if none refuses, writes a score version,
	// its history, the category's tally state and an audit record atomically, and announces
	// w.Events. The same body as the counting one changes nothing and returns the counting
	// score with changed false.
	SaveScore(ctx context.Context, w ScoreWrite) (sc Score, changed bool, err error)
	// CategoryScores returns the counting scores of a category: what its tally needs.
	CategoryScores(ctx context.Context, categoryID string) ([]Score, error)
	// ScoreHistory returns every version each judge gave the entry, oldest first.
	ScoreHistory(ctx context.Context, entryID string) (map[string][]Score, error)
	Progress(ctx context.Context, categoryID string) (Progress, error)
}

// maxScoreAttempts bounds the tries of one score write whose hints the store keeps correcting
// (the programme changing, each time, between the read and the write).
const maxScoreAttempts = 8

// SubmitScore stores a judge's marks for an entry assigned to them, until judging closes and
// while its category is not revealed. The same body again changes nothing (same version); a
// changed body is a new version. It confirms, in the same atomic step as the write, that a is
// still a judge's account (ErrUnauthorized), so its route needs no account check of its own.
// Then, in order: an unknown entry (404), not assigned (403), judging closed, category revealed
// (409), the marks (422). It costs one store call: the programme and the entry's category are
// remembered, and corrected when the store says they moved.
func (s *Service) SubmitScore(ctx context.Context, a Actor, entryID string, in ScoreInput) (Score, error) {
	if err := requireRole(a, RoleJudge); err != nil {
		return Score{}, err
	}
	var (
		fresh   bool
		sc      Score
		changed bool
		err     error
	)
	for range maxScoreAttempts {
		var prog *programmeHint
		if prog, err = s.programmeHint(ctx, fresh); err != nil {
			return Score{}, err
		}
		w := s.scoreWrite(a, entryID, in, prog)
		sc, changed, err = s.scores.SaveScore(ctx, w)
		var moved *CategoryMismatch
		switch {
		case errors.Is(err, ErrStale):
			fresh = true
			continue
		case errors.As(err, &moved):
			s.hints.remember(entryID, moved.CategoryID)
			continue
		case err != nil:
			return Score{}, err
		}
		if changed && !s.scoresPublish {
			s.publish(ctx, scoreEvents(w.CategoryID)...)
		}
		return sc, nil
	}
	return Score{}, err
}

// scoreWrite prepares a's write of in by the programme hint: the closing and the marks are
// judged here, the store answers them in their turn.
func (s *Service) scoreWrite(a Actor, entryID string, in ScoreInput, prog *programmeHint) ScoreWrite {
	w := ScoreWrite{
		EntryID: entryID, JudgeID: a.ID, CategoryID: s.hints.category(entryID), ProgrammeRev: prog.rev,
		At: s.clock.Now().UTC(),
	}
	w.Closed = !w.At.Before(prog.p.JudgingClose)
	if s.scoresPublish {
		w.Events = scoreEvents(w.CategoryID)
	}
	cat, ok := prog.p.Category(w.CategoryID)
	if !ok {
		w.Refusal = Invalidf("unknown_category", "the entry's category %q is no longer in the programme", w.CategoryID)
		return w
	}
	if err := in.validate(cat); err != nil {
		w.Refusal = err
		return w
	}
	w.Total = WeightedTotal(cat.Criteria, in.Scores)
	if !finite(w.Total) { // a category stored before its criteria's numbers were bounded
		w.Refusal = ErrTotalNotFinite
		return w
	}
	w.Scores, w.Comment, w.Body = in.Scores, in.Comment, in.canonicalBody()
	return w
}

// scoreEvents are what a changed score announces: the category's tally and its progress.
func scoreEvents(categoryID string) []Event {
	return []Event{{Type: EventTally, CategoryID: categoryID}, {Type: EventProgress, CategoryID: categoryID}}
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
