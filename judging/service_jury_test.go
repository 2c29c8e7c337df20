package judging_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

func TestService_AutoAssign(t *testing.T) {
	h := judgingtest.New(t)
	acme, beta := h.Exhibitor("Acme Security"), h.Exhibitor("Beta Systems")
	eAcme := h.Entry(acme, judgingtest.CatCyber, "Acme firewall")
	eBeta := h.Entry(beta, judgingtest.CatCyber, "Beta SIEM")
	eGamma := h.Entry(h.Exhibitor("Gamma"), judgingtest.CatCyber, "Gamma vault")
	eDraft := h.Draft(h.Exhibitor("Delta"), judgingtest.CatCyber, "Never submitted")
	eDrone := h.Entry(beta, judgingtest.CatDrones, "Beta drone")

	jAcme := h.Judge([]string{judgingtest.CatCyber}, "  acme   SECURITY ") // conflicted with eAcme
	jB := h.Judge([]string{judgingtest.CatCyber})
	jC := h.Judge([]string{judgingtest.CatCyber})
	jD := h.Judge([]string{judgingtest.CatDrones})
	jE := h.Judge([]string{judgingtest.CatDrones, judgingtest.CatCyber}, "beta systems") // conflicted with eBeta and eDrone
	jCSR := h.Judge([]string{judgingtest.CatCSR})                                        // nothing to judge
	judges := []judging.Actor{jAcme, jB, jC, jD, jE, jCSR}
	categories := map[string][]string{jAcme.ID: {judgingtest.CatCyber}, jB.ID: {judgingtest.CatCyber}, jC.ID: {judgingtest.CatCyber}, jD.ID: {judgingtest.CatDrones}, jE.ID: {judgingtest.CatDrones, judgingtest.CatCyber}, jCSR.ID: {judgingtest.CatCSR}}
	entries := map[string]judging.Entry{eAcme.ID: eAcme, eBeta.ID: eBeta, eGamma.ID: eGamma, eDraft.ID: eDraft, eDrone.ID: eDrone}
	h.Pub.Take()

	res := judgingtest.Must(h.Svc.AutoAssign(h.Ctx, h.Admin, 2))(t)
	first := h.ActivePairs()

	t.Run("only submitted entries, only judges of the category, never a conflicted judge", func(t *testing.T) {
		// Only submitted entries, only judges of the entry's category, never a judge whose affiliations match the entry's company (case and spacing ignored).
		for _, a := range first {
			e := entries[a.EntryID]
			switch {
			case e.Status != judging.StatusSubmitted:
				t.Errorf("draft %s assigned to %s", e.ID, a.JudgeID)
			case !slices.Contains(categories[a.JudgeID], e.CategoryID):
				t.Errorf("judge %s assigned %s of %s, not their category", a.JudgeID, e.ID, e.CategoryID)
			case a.JudgeID == jAcme.ID && e.ID == eAcme.ID:
				t.Errorf("judge affiliated with %q assigned the entry of %q", "  acme   SECURITY ", e.Company)
			case a.JudgeID == jE.ID && (e.ID == eBeta.ID || e.ID == eDrone.ID):
				t.Errorf("judge affiliated with Beta Systems assigned %s", e.Title)
			}
			if a.CategoryID != e.CategoryID {
				t.Errorf("assignment of %s recorded under %s, entry is in %s", e.ID, a.CategoryID, e.CategoryID)
			}
		}
	})

	t.Run("assigned counts this call's assignments; per_judge every judge's load, 0 included", func(t *testing.T) {
		if got, want := res.Assigned, len(first); got != want {
			t.Fatalf("assigned = %d, want %d (the assignments stored)", got, want)
		}
		load := map[string]int{}
		for _, j := range judges {
			load[j.ID] = 0
		}
		for _, a := range first {
			load[a.JudgeID]++
		}
		if diff := cmp.Diff(load, res.PerJudge); diff != "" {
			t.Fatalf("per_judge (-stored +reported):\n%s", diff)
		}
		if n, ok := res.PerJudge[jCSR.ID]; !ok || n != 0 {
			t.Fatalf("per_judge[judge with nothing to judge] = %d, %v; want 0, present", n, ok)
		}
	})

	t.Run("each submitted entry topped up to judges_per_entry; unfilled names those short of judges", func(t *testing.T) {
		per := map[string]int{}
		for _, a := range first {
			per[a.EntryID]++
		}
		for _, e := range []judging.Entry{eAcme, eBeta, eGamma} {
			if got, want := per[e.ID], 2; got != want {
				t.Errorf("%s has %d judges, want %d", e.Title, got, want)
			}
		}
		if got, want := per[eDrone.ID], 1; got != want { // only jD may judge it
			t.Errorf("drone entry has %d judges, want %d", got, want)
		}
		if diff := cmp.Diff([]string{eDrone.ID}, res.Unfilled); diff != "" {
			t.Fatalf("unfilled (-want +got):\n%s", diff)
		}
	})

	t.Run("load spread as evenly as possible", func(t *testing.T) {
		// 6 cyber places over jAcme, jB, jC, jE: nobody takes 3 while another takes 1.
		lo, hi := 1<<30, 0
		for _, j := range []judging.Actor{jAcme, jB, jC, jE} {
			lo, hi = min(lo, res.PerJudge[j.ID]), max(hi, res.PerJudge[j.ID])
		}
		if hi-lo > 1 {
			t.Fatalf("cyber loads from %d to %d, want within 1", lo, hi)
		}
	})

	t.Run("progress published for each category that got assignments", func(t *testing.T) {
		h := h.On(t)
		h.WantEvents(judging.Event{Type: judging.EventProgress, CategoryID: judgingtest.CatCyber}, judging.Event{Type: judging.EventProgress, CategoryID: judgingtest.CatDrones})
	})

	t.Run("running it again assigns 0 and keeps every assignment, scored ones included", func(t *testing.T) {
		h := h.On(t)
		a := first[0]
		j := judging.Actor{ID: a.JudgeID, Role: judging.RoleJudge}
		in := judgingtest.Cyber(5, 3)
		if entries[a.EntryID].CategoryID == judgingtest.CatDrones {
			in = judgingtest.Drones(50, 3)
		}
		sc := h.Score(j, entries[a.EntryID], in)
		h.Pub.Take()

		again := judgingtest.Must(h.Svc.AutoAssign(h.Ctx, h.Admin, 2))(t)
		if got, want := again.Assigned, 0; got != want {
			t.Fatalf("assigned = %d, want %d", got, want)
		}
		if diff := cmp.Diff(res.PerJudge, again.PerJudge); diff != "" {
			t.Fatalf("per_judge changed (-first +again):\n%s", diff)
		}
		if diff := cmp.Diff(res.Unfilled, again.Unfilled); diff != "" {
			t.Fatalf("unfilled changed (-first +again):\n%s", diff)
		}
		if diff := cmp.Diff(first, h.ActivePairs()); diff != "" {
			t.Fatalf("assignments changed (-first +again):\n%s", diff)
		}
		if diff := cmp.Diff([]judging.Score{sc}, h.Counting(sc.CategoryID)); diff != "" {
			t.Fatalf("the score stopped counting (-want +got):\n%s", diff)
		}
		h.WantEvents()
	})

	t.Run("a newly submitted entry is topped up, the rest kept", func(t *testing.T) {
		h := h.On(t)
		late := h.Entry(h.Exhibitor("Epsilon"), judgingtest.CatCyber, "Late but in time")
		got := judgingtest.Must(h.Svc.AutoAssign(h.Ctx, h.Admin, 2))(t)
		if got, want := got.Assigned, 2; got != want {
			t.Fatalf("assigned = %d, want %d", got, want)
		}
		now := h.ActivePairs()
		kept := slices.DeleteFunc(slices.Clone(now), func(a judging.CategoryAssignment) bool { return a.EntryID == late.ID })
		if diff := cmp.Diff(first, kept); diff != "" {
			t.Fatalf("earlier assignments changed (-before +after):\n%s", diff)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		// judges_per_entry must be at least 1.
		h := h.On(t)
		for _, n := range []int{0, -1, judging.MaxJudgesPerEntry + 1} {
			_, err := h.Svc.AutoAssign(h.Ctx, h.Admin, n)
			judgingtest.WantInvalid(t, err, "invalid_judges_per_entry")
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		// POST /assignments/auto is for admins.
		h := h.On(t)
		_, err := h.Svc.AutoAssign(h.Ctx, jB, 2)
		judgingtest.WantErr(t, err, judging.ErrForbidden)
	})
}

func TestService_AutoAssign_neverRecused(t *testing.T) {
	// A recused pair is never assigned again, even when the entry is then short of judges.
	h := judgingtest.New(t)
	e := h.Entry(h.Exhibitor("Acme"), judgingtest.CatCyber, "Firewall")
	j1, j2 := h.Judge([]string{judgingtest.CatCyber}), h.Judge([]string{judgingtest.CatCyber})
	judgingtest.Must(h.Svc.AutoAssign(h.Ctx, h.Admin, 2))(t)
	if err := h.Svc.Recuse(h.Ctx, j1, e.ID); err != nil {
		t.Fatal(err)
	}
	res := judgingtest.Must(h.Svc.AutoAssign(h.Ctx, h.Admin, 2))(t)
	if got, want := res.Assigned, 0; got != want {
		t.Fatalf("assigned = %d, want %d", got, want)
	}
	want := []judging.CategoryAssignment{{Assignment: judging.Assignment{JudgeID: j2.ID, EntryID: e.ID}, CategoryID: judgingtest.CatCyber}}
	if diff := cmp.Diff(want, h.ActivePairs()); diff != "" {
		t.Fatalf("assignments (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{e.ID}, res.Unfilled); diff != "" {
		t.Fatalf("unfilled (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{j1.ID: 0, j2.ID: 1}, res.PerJudge); diff != "" {
		t.Fatalf("per_judge (-want +got):\n%s", diff)
	}
}

func TestService_Assign(t *testing.T) {
	h := judgingtest.New(t)
	acme := h.Exhibitor("Acme Security")
	e := h.Entry(acme, judgingtest.CatCyber, "Firewall")
	j := h.Judge([]string{judgingtest.CatCyber})
	pair := judging.Assignment{JudgeID: j.ID, EntryID: e.ID}
	h.Pub.Take()

	t.Run("OK", func(t *testing.T) {
		// POST /assignments (admin) {judge_id, entry_id} → 201; the judge then sees the entry.
		h := h.On(t)
		if err := h.Svc.Assign(h.Ctx, h.Admin, pair); err != nil {
			t.Fatal(err)
		}
		h.WantEvents(judging.Event{Type: judging.EventProgress, CategoryID: judgingtest.CatCyber})
		judgingtest.Must(h.Svc.Entry(h.Ctx, j, e.ID))(t)
		if err := h.Svc.Assign(h.Ctx, h.Admin, pair); err != nil {
			t.Fatalf("assigning again: %v, want nil (changes nothing)", err)
		}
		if got, want := len(h.ActivePairs()), 1; got != want {
			t.Fatalf("%d assignments, want %d", got, want)
		}
	})

	t.Run("ErrConflictOfInterest", func(t *testing.T) {
		// A judge whose affiliations match the entry's company (case and spacing ignored) → 409.
		h := h.On(t)
		conflicted := h.Judge([]string{judgingtest.CatCyber}, "Other Co", "  acme   SECURITY ")
		err := h.Svc.Assign(h.Ctx, h.Admin, judging.Assignment{JudgeID: conflicted.ID, EntryID: e.ID})
		judgingtest.WantErr(t, err, judging.ErrConflictOfInterest)
		if ok := judgingtest.Must(h.Store.Assigned(h.Ctx, e.ID, conflicted.ID))(t); ok {
			t.Fatalf("the conflicted judge was assigned")
		}
	})

	for _, tc := range []struct {
		name string
		pair func() judging.Assignment
		want *judging.Error
	}{
		{"ErrWrongCategory: a judge of another category", func() judging.Assignment {
			return judging.Assignment{JudgeID: h.Judge([]string{judgingtest.CatDrones}).ID, EntryID: e.ID}
		}, judging.ErrWrongCategory},
		{"ErrNotSubmitted: a draft", func() judging.Assignment {
			return judging.Assignment{JudgeID: j.ID, EntryID: h.Draft(acme, judgingtest.CatCyber, "Draft").ID}
		}, judging.ErrNotSubmitted},
		{"ErrUnknownJudge: no such judge", func() judging.Assignment {
			return judging.Assignment{JudgeID: "u_nobody", EntryID: e.ID}
		}, judging.ErrUnknownJudge},
		{"ErrUnknownJudge: a user who is not a judge", func() judging.Assignment {
			return judging.Assignment{JudgeID: acme.ID, EntryID: e.ID}
		}, judging.ErrUnknownJudge},
		{"ErrUnknownEntry: no such entry", func() judging.Assignment {
			return judging.Assignment{JudgeID: j.ID, EntryID: "e_nope"}
		}, judging.ErrUnknownEntry},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.On(t)
			judgingtest.WantErr(t, h.Svc.Assign(h.Ctx, h.Admin, tc.pair()), tc.want)
		})
	}

	t.Run("ErrInvalid", func(t *testing.T) {
		h := h.On(t)
		judgingtest.WantInvalid(t, h.Svc.Assign(h.Ctx, h.Admin, judging.Assignment{JudgeID: j.ID}), "missing_field")
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		h := h.On(t)
		judgingtest.WantErr(t, h.Svc.Assign(h.Ctx, j, pair), judging.ErrForbidden)
	})
}

// withdrawFixture is an entry scored by two judges.
type withdrawFixture struct {
	h      *judgingtest.Rig
	e      judging.Entry
	j1, j2 judging.Actor
	s1, s2 judging.Score
}

func newWithdrawFixture(t *testing.T) withdrawFixture {
	h := judgingtest.New(t)
	f := withdrawFixture{h: h, e: h.Entry(h.Exhibitor("Acme"), judgingtest.CatCyber, "Firewall"),
		j1: h.Judge([]string{judgingtest.CatCyber}), j2: h.Judge([]string{judgingtest.CatCyber})}
	h.Assign(f.j1, f.e)
	h.Assign(f.j2, f.e)
	f.s1 = h.Score(f.j1, f.e, judgingtest.Cyber(10, 5)) // 100
	f.s2 = h.Score(f.j2, f.e, judgingtest.Cyber(5, 3))  // 50
	h.Pub.Take()
	return f
}

// checkStopsCounting checks that j1's score no longer counts but stays in the history and
// the audit trail, with a withdraw record for this reason.
func (f withdrawFixture) checkStopsCounting(t *testing.T, reason string, by judging.Actor) {
	t.Helper()
	h := f.h
	if diff := cmp.Diff([]judging.Score{f.s2}, h.Counting(judgingtest.CatCyber)); diff != "" {
		t.Fatalf("counting scores (-want +got):\n%s", diff)
	}
	res := judgingtest.Must(h.Svc.Results(h.Ctx, h.Admin))(t)
	row := res.Categories[0].Ranking[0]
	if row.Score == nil || *row.Score != f.s2.Total || row.Judges != 1 {
		t.Fatalf("result row: score %v judges %d; want %v from 1 judge", row.Score, row.Judges, f.s2.Total)
	}
	hist := judgingtest.Must(h.Store.ScoreHistory(h.Ctx, f.e.ID))(t)
	if diff := cmp.Diff([]judging.Score{f.s1}, hist[f.j1.ID]); diff != "" {
		t.Fatalf("history kept (-want +got):\n%s", diff)
	}
	js := judgingtest.Must(h.Svc.EntryScores(h.Ctx, h.Admin, f.e.ID))(t)
	for _, s := range js {
		if s.JudgeID == f.j1.ID && (s.Counting || s.Current != nil || len(s.History) != 1) {
			t.Fatalf("EntryScores for the withdrawn judge: counting %v current %v history %d", s.Counting, s.Current, len(s.History))
		}
	}
	audit := h.Audit()
	last := audit[len(audit)-1]
	want := judging.AuditEvent{Seq: 3, At: judgingtest.T0, By: by.ID, Action: "withdraw", Reason: reason, EntryID: f.e.ID, JudgeID: f.j1.ID, CategoryID: judgingtest.CatCyber, Old: &f.s1}
	if diff := cmp.Diff(want, last); diff != "" {
		t.Fatalf("withdraw audit record (-want +got):\n%s", diff)
	}
	h.WantEvents(judging.Event{Type: judging.EventTally, CategoryID: judgingtest.CatCyber}, judging.Event{Type: judging.EventProgress, CategoryID: judgingtest.CatCyber})
	if diff := cmp.Diff(judging.Progress{CategoryID: judgingtest.CatCyber, Scored: 1, Expected: 1}, judgingtest.Must(h.Svc.Progress(h.Ctx, judgingtest.CatCyber))(t)); diff != "" {
		t.Fatalf("progress (-want +got):\n%s", diff)
	}
	_, err := h.Svc.SubmitScore(h.Ctx, f.j1, f.e.ID, judgingtest.Cyber(1, 1))
	judgingtest.WantErr(t, err, judging.ErrNotAssigned)
	_, err = h.Svc.Entry(h.Ctx, f.j1, f.e.ID)
	judgingtest.WantErr(t, err, judging.ErrNotFound)
	if q := judgingtest.Must(h.Svc.Queue(h.Ctx, f.j1))(t); len(q) != 0 {
		t.Fatalf("queue = %v, want empty", q)
	}
}

func TestService_Unassign(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// DELETE /assignments: a score that judge gave the entry stops counting (it stays in the audit trail).
		f := newWithdrawFixture(t)
		if err := f.h.Svc.Unassign(f.h.Ctx, f.h.Admin, judging.Assignment{JudgeID: f.j1.ID, EntryID: f.e.ID}); err != nil {
			t.Fatal(err)
		}
		f.checkStopsCounting(t, "unassigned", f.h.Admin)
	})

	t.Run("OK/assigned again, the old score stays out", func(t *testing.T) {
		// Unassigning is no recusal: the pair may be assigned again, and scores afresh as a new version.
		f := newWithdrawFixture(t)
		pair := judging.Assignment{JudgeID: f.j1.ID, EntryID: f.e.ID}
		if err := f.h.Svc.Unassign(f.h.Ctx, f.h.Admin, pair); err != nil {
			t.Fatal(err)
		}
		if err := f.h.Svc.Assign(f.h.Ctx, f.h.Admin, pair); err != nil {
			t.Fatalf("assign again after unassign: %v", err)
		}
		if diff := cmp.Diff([]judging.Score{f.s2}, f.h.Counting(judgingtest.CatCyber)); diff != "" {
			t.Fatalf("counting after re-assignment (-want +got):\n%s", diff)
		}
		sc := f.h.Score(f.j1, f.e, judgingtest.Cyber(10, 5)) // the same body as before: a new version now
		if got, want := sc.Version, 2; got != want {
			t.Fatalf("version = %d, want %d", got, want)
		}
	})

	t.Run("OK/nothing to end", func(t *testing.T) {
		// Ending an assignment that is not there changes nothing and writes no audit record.
		f := newWithdrawFixture(t)
		other := f.h.Judge([]string{judgingtest.CatCyber})
		before := len(f.h.Audit())
		if err := f.h.Svc.Unassign(f.h.Ctx, f.h.Admin, judging.Assignment{JudgeID: other.ID, EntryID: f.e.ID}); err != nil {
			t.Fatal(err)
		}
		if got := len(f.h.Audit()); got != before {
			t.Fatalf("%d audit records, want %d", got, before)
		}
	})

	t.Run("OK/unscored", func(t *testing.T) {
		// An assignment without a score ends without an audit record.
		f := newWithdrawFixture(t)
		other := f.h.Judge([]string{judgingtest.CatCyber})
		f.h.Assign(other, f.e)
		before := len(f.h.Audit())
		if err := f.h.Svc.Unassign(f.h.Ctx, f.h.Admin, judging.Assignment{JudgeID: other.ID, EntryID: f.e.ID}); err != nil {
			t.Fatal(err)
		}
		if got := len(f.h.Audit()); got != before {
			t.Fatalf("%d audit records, want %d", got, before)
		}
		if ok := judgingtest.Must(f.h.Store.Assigned(f.h.Ctx, f.e.ID, other.ID))(t); ok {
			t.Fatalf("still assigned")
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		f := newWithdrawFixture(t)
		judgingtest.WantErr(t, f.h.Svc.Unassign(f.h.Ctx, f.j1, judging.Assignment{JudgeID: f.j1.ID, EntryID: f.e.ID}), judging.ErrForbidden)
	})
}

func TestService_Recuse(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// POST /entries/{id}/recuse: the assignment ends and any score they gave stops counting.
		f := newWithdrawFixture(t)
		if err := f.h.Svc.Recuse(f.h.Ctx, f.j1, f.e.ID); err != nil {
			t.Fatal(err)
		}
		f.checkStopsCounting(t, "recused", f.j1)
		st := judgingtest.Must(f.h.Store.Assignments(f.h.Ctx))(t)
		if diff := cmp.Diff([]judging.Assignment{{JudgeID: f.j1.ID, EntryID: f.e.ID}}, st.Recused); diff != "" {
			t.Fatalf("recusals (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrConflictOfInterest/assigned again", func(t *testing.T) {
		// A recusal blocks the pair for good: assigning it again is a conflict (409).
		f := newWithdrawFixture(t)
		if err := f.h.Svc.Recuse(f.h.Ctx, f.j1, f.e.ID); err != nil {
			t.Fatal(err)
		}
		err := f.h.Svc.Assign(f.h.Ctx, f.h.Admin, judging.Assignment{JudgeID: f.j1.ID, EntryID: f.e.ID})
		judgingtest.WantErr(t, err, judging.ErrConflictOfInterest)
		if ok := judgingtest.Must(f.h.Store.Assigned(f.h.Ctx, f.e.ID, f.j1.ID))(t); ok {
			t.Fatalf("the recused judge was assigned again")
		}
	})

	t.Run("OK/twice", func(t *testing.T) {
		// Recusing twice changes nothing.
		f := newWithdrawFixture(t)
		for range 2 {
			if err := f.h.Svc.Recuse(f.h.Ctx, f.j1, f.e.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := len(f.h.Audit()), 3; got != want {
			t.Fatalf("%d audit records, want %d", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// A judge recuses only from an entry assigned to them.
		f := newWithdrawFixture(t)
		other := f.h.Judge([]string{judgingtest.CatCyber})
		judgingtest.WantErr(t, f.h.Svc.Recuse(f.h.Ctx, other, f.e.ID), judging.ErrNotFound)
		judgingtest.WantErr(t, f.h.Svc.Recuse(f.h.Ctx, f.j1, "e_nope"), judging.ErrNotFound)
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		f := newWithdrawFixture(t)
		judgingtest.WantErr(t, f.h.Svc.Recuse(f.h.Ctx, f.h.Admin, f.e.ID), judging.ErrForbidden)
	})
}
