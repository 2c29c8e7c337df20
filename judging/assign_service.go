package judging

import (
	"context"
	"slices"
	"time"
)

// Assignments keeps who judges what, and the recusals.
type Assignments interface {
	// Assigned reports whether the judge is currently assigned to the entry (not recused).
	Assigned(ctx context.Context, entryID, judgeID string) (bool, error)
	// Assignments returns the current assignments and recusals.
	Assignments(ctx context.Context) (AssignmentState, error)
	// Assign adds assignments that are not there yet, skipping recused pairs; it returns how
	// many it added. It adds none and returns ErrCategoryRevealed if one of their categories
	// is frozen (checked per batch of a few hundred, each batch atomic).
	Assign(ctx context.Context, as []CategoryAssignment) (int, error)
	// Withdraw ends an assignment (a recusal also blocks the pair for good) and stops its score
	// counting, recording that in the audit trail with who did it. It reports whether an
	// assignment existed; ErrCategoryRevealed (and nothing changed) if the category is frozen.
	Withdraw(ctx context.Context, w Withdrawal) (bool, error)
}

// Withdrawal is an assignment ended: by an admin who unassigned it, or by its judge, who
// recused and so is never assigned to the entry again.
type Withdrawal struct {
	CategoryAssignment
	Recuse bool
	By     string // the user who ended it
	At     time.Time
}

// Reason is how the audit trail names the withdrawal: "recused" or "unassigned".
func (w Withdrawal) Reason() string {
	if w.Recuse {
		return "recused"
	}
	return "unassigned"
}

// Assignment is one judge asked to score one entry.
type Assignment struct {
	JudgeID string `json:"judge_id"`
	EntryID string `json:"entry_id"`
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

// AssignResult is what an auto-assignment did: assignments made by this call, every judge's
// load after it, and entries still short of judges.
type AssignResult struct {
	Assigned int            `json:"assigned"`
	PerJudge map[string]int `json:"per_judge"`
	Unfilled []string       `json:"unfilled"`
}

// MaxJudgesPerEntry bounds an auto-assignment's judges_per_entry.
const MaxJudgesPerEntry = 50

// AutoAssign tops every submitted entry of an unrevealed category up to judgesPerEntry judges,
// keeping existing assignments, so that running it again changes nothing.
func (s *Service) AutoAssign(ctx context.Context, a Actor, judgesPerEntry int) (AssignResult, error) {
	// Assignments of revealed categories still count in the load; a reveal racing the call is
	// refused by the store (ErrCategoryRevealed).
	if err := requireRole(a, RoleAdmin); err != nil {
		return AssignResult{}, err
	}
	if judgesPerEntry < 1 || judgesPerEntry > MaxJudgesPerEntry {
		return AssignResult{}, Invalidf("invalid_judges_per_entry", "judges_per_entry must be between 1 and %d", MaxJudgesPerEntry)
	}
	entries, err := s.entries.Entries(ctx, EntryScope{})
	if err != nil {
		return AssignResult{}, err
	}
	judges, err := s.users.UsersByRole(ctx, RoleJudge)
	if err != nil {
		return AssignResult{}, err
	}
	state, err := s.assignments.Assignments(ctx)
	if err != nil {
		return AssignResult{}, err
	}
	frozen, err := s.frozenCategories(ctx)
	if err != nil {
		return AssignResult{}, err
	}
	in := AssignInput{JudgesPerEntry: judgesPerEntry, Blocked: state.Recused}
	category := map[string]string{}
	for _, e := range entries {
		if e.Status == StatusSubmitted && !frozen[e.CategoryID] {
			in.Entries = append(in.Entries, AssignEntry{ID: e.ID, CategoryID: e.CategoryID, Company: e.Company})
			category[e.ID] = e.CategoryID
		}
	}
	for _, j := range judges {
		in.Judges = append(in.Judges, AssignJudge{ID: j.ID, Categories: j.Categories, Affiliations: j.Affiliations})
	}
	for _, x := range state.Active {
		in.Existing = append(in.Existing, x.Assignment)
	}
	plan := AutoAssign(in)
	add := make([]CategoryAssignment, 0, len(plan.Add))
	for _, x := range plan.Add {
		add = append(add, CategoryAssignment{Assignment: x, CategoryID: category[x.EntryID]})
	}
	n, err := s.assignments.Assign(ctx, add)
	if err != nil {
		return AssignResult{}, err
	}
	after, err := s.assignments.Assignments(ctx)
	if err != nil {
		return AssignResult{}, err
	}
	res := AssignResult{Assigned: n, PerJudge: map[string]int{}, Unfilled: plan.Unfilled}
	for _, j := range judges {
		res.PerJudge[j.ID] = 0
	}
	for _, x := range after.Active {
		res.PerJudge[x.JudgeID]++
	}
	if res.Unfilled == nil {
		res.Unfilled = []string{}
	}
	s.publishProgress(ctx, add)
	return res, nil
}

// Assign asks one judge to score one entry, unless the judge is affiliated with its company
// or recused from it; adding an existing assignment again changes nothing.
func (s *Service) Assign(ctx context.Context, a Actor, x Assignment) error {
	// A revealed category is checked after the judge and entry exist, before other conflicts.
	j, e, err := s.checkPair(ctx, a, x)
	if err != nil {
		return err
	}
	if err := s.checkNotFrozen(ctx, e.CategoryID); err != nil {
		return err
	}
	ca := CategoryAssignment{Assignment: x, CategoryID: e.CategoryID}
	switch {
	case e.Status != StatusSubmitted:
		return ErrNotSubmitted
	case !slices.Contains(j.Categories, e.CategoryID):
		return ErrWrongCategory
	case Conflicted(j.Affiliations, e.Company):
		return ErrConflictOfInterest
	}
	state, err := s.assignments.Assignments(ctx)
	if err != nil {
		return err
	}
	if slices.Contains(state.Recused, x) {
		return ErrConflictOfInterest
	}
	if _, err := s.assignments.Assign(ctx, []CategoryAssignment{ca}); err != nil {
		return err
	}
	s.publishProgress(ctx, []CategoryAssignment{ca})
	return nil
}

// Unassign ends an assignment, and a score the judge gave the entry stops counting (it stays
// in the audit trail); ending one that is not there changes nothing.
func (s *Service) Unassign(ctx context.Context, a Actor, x Assignment) error {
	_, e, err := s.checkPair(ctx, a, x)
	if err != nil {
		return err
	}
	if err := s.checkNotFrozen(ctx, e.CategoryID); err != nil {
		return err
	}
	return s.withdraw(ctx, Withdrawal{CategoryAssignment: CategoryAssignment{Assignment: x, CategoryID: e.CategoryID}, By: a.ID})
}

// Recuse lets a judge declare a conflict with an entry assigned to them: the assignment ends
// for good and any score they gave it stops counting.
func (s *Service) Recuse(ctx context.Context, a Actor, entryID string) error {
	if err := requireRole(a, RoleJudge); err != nil {
		return err
	}
	e, err := s.entries.Entry(ctx, entryID)
	if err != nil {
		return err
	}
	ok, err := s.assignments.Assigned(ctx, entryID, a.ID)
	if err != nil {
		return err
	}
	if !ok {
		state, err := s.assignments.Assignments(ctx)
		if err != nil {
			return err
		}
		if slices.Contains(state.Recused, Assignment{JudgeID: a.ID, EntryID: entryID}) {
			return s.checkNotFrozen(ctx, e.CategoryID) // recusing twice changes nothing
		}
		return ErrNotFound
	}
	if err := s.checkNotFrozen(ctx, e.CategoryID); err != nil {
		return err
	}
	ca := CategoryAssignment{Assignment{JudgeID: a.ID, EntryID: entryID}, e.CategoryID}
	return s.withdraw(ctx, Withdrawal{CategoryAssignment: ca, Recuse: true, By: a.ID})
}

// withdraw ends an assignment now and announces the change.
func (s *Service) withdraw(ctx context.Context, w Withdrawal) error {
	w.At = s.clock.Now().UTC()
	if _, err := s.assignments.Withdraw(ctx, w); err != nil {
		return err
	}
	s.publish(ctx, Event{Type: EventTally, CategoryID: w.CategoryID}, Event{Type: EventProgress, CategoryID: w.CategoryID})
	return nil
}

// checkPair checks an admin names an existing judge and entry, and returns them.
func (s *Service) checkPair(ctx context.Context, a Actor, x Assignment) (User, Entry, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return User{}, Entry{}, err
	}
	if x.JudgeID == "" || x.EntryID == "" {
		return User{}, Entry{}, Invalidf("missing_field", "judge_id and entry_id are required")
	}
	j, err := s.users.User(ctx, x.JudgeID)
	if isNotFound(err) || err == nil && j.Role != RoleJudge {
		return User{}, Entry{}, ErrUnknownJudge
	}
	if err != nil {
		return User{}, Entry{}, err
	}
	e, err := s.entries.Entry(ctx, x.EntryID)
	if isNotFound(err) {
		return User{}, Entry{}, ErrUnknownEntry
	}
	return j, e, err
}

func (s *Service) publishProgress(ctx context.Context, as []CategoryAssignment) {
	seen := map[string]bool{}
	for _, x := range as {
		if !seen[x.CategoryID] {
			seen[x.CategoryID] = true
			s.publish(ctx, Event{Type: EventProgress, CategoryID: x.CategoryID})
		}
	}
}
