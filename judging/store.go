package judging

import (
	"context"
	"time"
)

// Store is the persistence the use cases need. Every method that writes several things does
// so atomically; methods that check a state and write (submit, score, reveal) check inside
// the same atomic step, so concurrent calls never lose or double-count.
type Store interface {
	Ping(ctx context.Context) error

	// EnsureSecret returns the secret stored under name, storing candidate first if none is.
	EnsureSecret(ctx context.Context, name string, candidate []byte) ([]byte, error)
	Limiter

	// CreateUser stores a new user; ErrEmailTaken if its email (case-insensitive) is taken.
	// An invitation with a Hash is stored with it as the user's one-use invitation.
	CreateUser(ctx context.Context, u User, inv Invitation) error
	User(ctx context.Context, id string) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	// EmailTaken reports whether an account holds the email or a look-alike of it (EmailKey).
	EmailTaken(ctx context.Context, email string) (bool, error)
	UsersByRole(ctx context.Context, r Role) ([]User, error)
	// InvitedUser returns the id of the user the invitation names; ErrBadInvite if it is
	// unknown, used, voided or expired.
	InvitedUser(ctx context.Context, inviteHash string) (string, error)
	// Reinvite makes inv the user's one invitation: their earlier one, if any, stops working
	// in the same step. ErrNotFound if there is no such user.
	Reinvite(ctx context.Context, userID string, inv Invitation) error
	// RedeemInvite sets the password of the invitation's user and burns it; ErrBadInvite if
	// it is unknown, used, voided or expired.
	RedeemInvite(ctx context.Context, inviteHash, passwordHash string) (User, error)
	// DeleteScreen removes a ceremony screen's account (its record and its role membership)
	// in one step, so that its token is refused from then on; ErrNotFound if no screen has
	// this id.
	DeleteScreen(ctx context.Context, id string) error

	// Programme returns the programme and its revision; ErrNoProgramme if none is set.
	Programme(ctx context.Context) (Programme, int64, error)
	// PutProgramme replaces the programme if its revision is still expectRev (else ErrStale),
	// no category in changed has ever been scored (else ErrCriteriaFrozen) and no category in
	// removed holds entries (else ErrCategoryInUse). It returns the new revision.
	PutProgramme(ctx context.Context, p Programme, expectRev int64, changed, removed []string) (int64, error)

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

	// Assigned reports whether the judge is currently assigned to the entry (not recused).
	Assigned(ctx context.Context, entryID, judgeID string) (bool, error)
	// Assignments returns the current assignments and recusals.
	Assignments(ctx context.Context) (AssignmentState, error)
	// Assign adds assignments that are not there yet, skipping recused pairs; it returns how
	// many it added. It adds none and returns ErrCategoryRevealed if one of their categories
	// is frozen (checked per batch of a few hundred, each batch atomic).
	Assign(ctx context.Context, as []CategoryAssignment) (int, error)
	// Withdraw ends an assignment (recused: also blocks the pair for good) and stops its score
	// counting, recording that in the audit trail with who did it. It reports whether an
	// assignment existed; ErrCategoryRevealed (and nothing changed) if the category is frozen.
	Withdraw(ctx context.Context, a CategoryAssignment, reason, by string, at time.Time) (bool, error)

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

	// Audit returns the whole audit trail, oldest first.
	Audit(ctx context.Context) ([]AuditRecord, error)
	// AuditHead returns the hash the last audit record should carry.
	AuditHead(ctx context.Context) (string, error)

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

// EntryScope selects whose entries to list; the zero value is every entry.
type EntryScope struct {
	OwnerID    string
	JudgeID    string
	CategoryID string
}

// CategoryAssignment is an assignment with the category of its entry, which the store keys
// progress by.
type CategoryAssignment struct {
	Assignment
	CategoryID string
}

// AssignmentState is every current assignment and every recusal.
type AssignmentState struct {
	Active  []CategoryAssignment
	Recused []Assignment
}

// Errors the store returns for races the service resolves.
var (
	ErrStale         = &Error{KindConflict, "stale", "The programme changed meanwhile; try again."}
	ErrCategoryInUse = &Error{KindConflict, "category_in_use", "A category that holds entries cannot be removed."}
)
