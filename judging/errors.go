package judging

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for the edge that reports it; web maps each Kind to one status.
type Kind int

// The kinds of error; the zero value is an internal error whose detail is never shown.
const (
	KindInternal     Kind = iota
	KindUnauthorized      // no valid credentials (401)
	KindForbidden         // the role or ownership forbids it (403)
	KindNotFound          // it does not exist, or the caller may not know it does (404)
	KindConflict          // the state forbids it now: a deadline, already done (409)
	KindInvalid           // valid JSON that breaks a rule (422)
	KindRateLimited       // too many failures (429)
	KindUnavailable       // the store does not answer, or the server is too busy (503)
)

// Error is an error the caller can be told about: a kind, a stable snake_case code and a
// human message.
type Error struct {
	Kind    Kind
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is makes errors.Is match on the code, so a copy with a more specific message still matches.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Invalidf returns a 422-kind error naming what broke the rule.
func Invalidf(code, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: fmt.Sprintf(format, args...)}
}

// RetryError is an error that says when to try again: a 429 or a 503 with Retry-After.
type RetryError struct {
	Err   *Error
	After time.Duration
}

func (e *RetryError) Error() string { return fmt.Sprintf("%v (retry after %v)", e.Err, e.After) }

// Unwrap makes errors.Is and errors.As see the *Error inside.
func (e *RetryError) Unwrap() error { return e.Err }

// RetryAfter returns err carrying how long the caller should wait before trying again.
func RetryAfter(err *Error, d time.Duration) error { return &RetryError{Err: err, After: d} }

// ErrorKind returns the kind of err, or KindInternal if err is not an *Error.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// The errors use cases return; web turns each into its status and body.
var (
	ErrUnauthorized       = &Error{KindUnauthorized, "unauthorized", "A valid token is required."}
	ErrBadCredentials     = &Error{KindUnauthorized, "invalid_credentials", "Wrong email or password."}
	ErrBadInvite          = &Error{KindUnauthorized, "invalid_invite", "This invitation is unknown, used, replaced by a newer one or expired."}
	ErrForbidden          = &Error{KindForbidden, "forbidden", "You may not do this."}
	ErrNotAssigned        = &Error{KindForbidden, "not_assigned", "You are not assigned to this entry."}
	ErrNotFound           = &Error{KindNotFound, "not_found", "Not found."}
	ErrUnknownJudge       = &Error{KindNotFound, "unknown_judge", "No judge has this judge_id."}
	ErrUnknownEntry       = &Error{KindNotFound, "unknown_entry", "No entry has this entry_id."}
	ErrUnknownCategory    = &Error{KindNotFound, "unknown_category", "No category has this category_id."}
	ErrNoProgramme        = &Error{KindNotFound, "no_programme", "No programme has been set up yet."}
	ErrEmailTaken         = &Error{KindConflict, "email_taken", "An account with this email already exists."}
	ErrSubmissionsClosed  = &Error{KindConflict, "submissions_closed", "Submissions have closed."}
	ErrJudgingClosed      = &Error{KindConflict, "judging_closed", "Judging has closed."}
	ErrAlreadySubmitted   = &Error{KindConflict, "already_submitted", "This entry was already submitted."}
	ErrCriteriaFrozen     = &Error{KindConflict, "criteria_frozen", "A category with scores cannot change its criteria or tally."}
	ErrConflictOfInterest = &Error{KindConflict, "conflict_of_interest", "This judge is affiliated with the entry's company or has recused."}
	ErrAlreadyAssigned    = &Error{KindConflict, "already_assigned", "This judge is already assigned to this entry."}
	ErrWrongCategory      = &Error{KindConflict, "wrong_category", "This judge does not judge the entry's category."}
	ErrNotSubmitted       = &Error{KindConflict, "not_submitted", "Only submitted entries can be judged."}
	ErrAlreadyRevealed    = &Error{KindConflict, "already_revealed", "This category is already revealed."}
	ErrTotalNotFinite     = &Error{KindInvalid, "invalid_total", "These marks give no finite total under this category's criteria; an admin must fix its min, max and weights."}
	ErrCategoryRevealed   = &Error{KindConflict, "category_revealed", "This category is revealed or being revealed: its scores, assignments and entries can no longer change."}
	ErrTooManyEntries     = &Error{KindInvalid, "too_many_entries", "This exhibitor has as many entries as the programme allows."}
	ErrRateLimited        = &Error{KindRateLimited, "rate_limited", "Too many failed attempts; try again later."}
	ErrUnavailable        = &Error{KindUnavailable, "unavailable", "The store does not answer."}
	ErrBusy               = &Error{KindUnavailable, "busy", "The server is busy; try again in a moment."}
)
