package judging

import (
	"fmt"
	"time"
)

// ScoreWrite is a score for the store's one atomic step, with what that step checks first, in
// the order of the answers: the judge is still a user with RoleJudge (else ErrUnauthorized);
// the entry exists (ErrNotFound) and is in CategoryID (else a *CategoryMismatch naming its
// category); the programme is still at ProgrammeRev (ErrStale); the judge is assigned
// (ErrNotAssigned); Closed (ErrJudgingClosed); the category is not frozen
// (ErrCategoryRevealed); Refusal. Closed and Refusal are the caller's verdicts by the programme
// at ProgrammeRev, which is why they come after the revision is checked.
type ScoreWrite struct {
	EntryID      string
	JudgeID      string
	CategoryID   string // the entry's category as the caller knows it; "" if it does not
	ProgrammeRev int64
	Closed       bool  // judging has closed at At
	Refusal      error // what breaks the rules in the marks; nil: the marks, Body and Total are set
	Scores       map[string]float64
	Comment      string
	Body         string // Scores and Comment as canonical JSON {"comment":…,"scores":{…}}
	Total        float64
	At           time.Time
	// Events are announced on the store's pub/sub channel in the same step, when the score
	// changes: set only when the store is the Service's Publisher.
	Events []Event
}

// CategoryMismatch is the store's answer to a ScoreWrite whose CategoryID is not the entry's:
// the caller validates the marks against CategoryID and tries again.
type CategoryMismatch struct {
	CategoryID string
}

func (e *CategoryMismatch) Error() string {
	return fmt.Sprintf("the entry is in category %q", e.CategoryID)
}
