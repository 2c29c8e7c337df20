package redisstore_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
)

func TestStore_Freeze(t *testing.T) {
	// The first reveal (whole or step) freezes the category: the store refuses a score, a
	// withdrawal, an assignment or a submitted entry in it, atomically, and writes nothing.
	for _, how := range []string{"whole", "step", "freeze only"} {
		t.Run(how, func(t *testing.T) {
			r := newRig(t)
			s, ctx := r.store, r.ctx
			e, other := r.entry("Acme"), r.entry("Beta")
			j, j2 := r.judge(), r.judge()
			r.assign(j, e, other)
			body := `{"comment":"","scores":{"impact":3,"innovation":5}}`
			must(save(s, ctx, r.write(j, e, body, 50)))(t)
			ex := must(r.svc.Register(ctx, judging.Registration{Email: "late@awards.test", Password: "correct horse battery", Company: "Late", Country: "FR"}, ""))(t)
			draft := must(r.svc.CreateEntry(ctx, judging.Actor{ID: ex.ID, Role: judging.RoleExhibitor}, judging.EntryInput{CategoryID: cat, Title: "Late"}))(t)
			switch how {
			case "whole":
				must(0, s.Reveal(ctx, cat))(t)
			case "step":
				must(s.RevealStep(ctx, cat, 2))(t)
			default: // a step reveal interrupted between its freeze and its first place
				must(0, s.Freeze(ctx, cat))(t)
			}
			auditBefore, asgBefore := must(s.Audit(ctx))(t), must(s.Assignments(ctx))(t)

			_, err := save(s, ctx, r.write(j, e, `{"comment":"","scores":{"impact":1,"innovation":1}}`, 10))
			wantErr(t, err, judging.ErrCategoryRevealed)
			_, err = save(s, ctx, r.write(j, e, body, 50))
			wantErr(t, err, judging.ErrCategoryRevealed) // the same body too
			_, err = save(s, ctx, r.write(j, other, body, 50))
			wantErr(t, err, judging.ErrCategoryRevealed) // a first score too
			for _, reason := range []string{"unassigned", "recused"} {
				_, err = s.Withdraw(ctx, judging.CategoryAssignment{Assignment: judging.Assignment{JudgeID: j.ID, EntryID: e.ID}, CategoryID: cat}, reason, r.admin.ID, t0)
				wantErr(t, err, judging.ErrCategoryRevealed)
			}
			// A batch with one frozen pair adds none of them.
			_, err = s.Assign(ctx, []judging.CategoryAssignment{
				{Assignment: judging.Assignment{JudgeID: j2.ID, EntryID: "e_elsewhere"}, CategoryID: otherCat},
				{Assignment: judging.Assignment{JudgeID: j2.ID, EntryID: e.ID}, CategoryID: cat},
			})
			wantErr(t, err, judging.ErrCategoryRevealed)
			_, err = s.SubmitEntry(ctx, draft.ID, t0)
			wantErr(t, err, judging.ErrCategoryRevealed)

			if diff := cmp.Diff(auditBefore, must(s.Audit(ctx))(t)); diff != "" {
				t.Fatalf("the audit trail changed (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(asgBefore, must(s.Assignments(ctx))(t)); diff != "" {
				t.Fatalf("the assignments changed (-before +after):\n%s", diff)
			}
			if got := must(s.Entry(ctx, draft.ID))(t).Status; got != judging.StatusDraft {
				t.Fatalf("the draft is %q, want draft", got)
			}

			// Another category is untouched.
			if n := must(s.Assign(ctx, []judging.CategoryAssignment{{Assignment: judging.Assignment{JudgeID: j2.ID, EntryID: "e_elsewhere"}, CategoryID: otherCat}}))(t); n != 1 {
				t.Fatalf("assigned %d in an open category, want 1", n)
			}
		})
	}
}

func TestService_concurrentScoreAndReveal(t *testing.T) {
	// A score racing a reveal is either counted before the freeze or refused, never after:
	// every acknowledged score counts, and nothing changes once the reveal has answered.
	for _, step := range []bool{false, true} {
		t.Run(fmt.Sprintf("step=%v", step), func(t *testing.T) {
			const judges, entries = 6, 4
			r := newRig(t)
			ctx := r.ctx
			es := make([]judging.Entry, entries)
			for i := range es {
				es[i] = r.entry(fmt.Sprintf("Company %d", i))
			}
			js := make([]judging.Actor, judges)
			for i := range js {
				js[i] = r.judge()
				r.assign(js[i], es...)
			}
			type key struct{ judge, entry string }
			var (
				mu    sync.Mutex
				acked = map[key]judging.Score{} // the last score each call acknowledged
				wg    sync.WaitGroup
			)
			first := make(chan struct{}, judges)
			errs := make(chan error, judges)
			var revealed atomic.Bool
			for i, j := range js {
				wg.Go(func() {
					after := 0 // calls sent once the reveal had answered
					for n := 0; ; n++ {
						if revealed.Load() {
							if after++; after > 10 {
								errs <- errors.New("scores are still accepted after the reveal answered")
								return
							}
						}
						e := es[n%entries]
						sc, err := r.svc.SubmitScore(ctx, j, e.ID, marks(float64((i+n)%11), float64(1+n%5)))
						if errors.Is(err, judging.ErrCategoryRevealed) {
							errs <- nil
							return
						}
						if err != nil {
							errs <- err
							return
						}
						mu.Lock()
						acked[key{j.ID, e.ID}] = sc
						mu.Unlock()
						if n == entries {
							first <- struct{}{}
						}
					}
				})
			}
			for range judges {
				<-first // every judge has scored every entry at least once, and goes on
			}
			rr := must(r.svc.Reveal(ctx, r.admin, cat, step))(t)
			revealed.Store(true)
			atReveal := must(r.store.CategoryScores(ctx, cat))(t)
			publicAtReveal := must(r.svc.Results(ctx, judging.Actor{}))(t)
			wg.Wait()
			for range judges {
				if err := <-errs; err != nil {
					t.Fatalf("a judge's score failed otherwise than category_revealed: %v", err)
				}
			}

			after := must(r.store.CategoryScores(ctx, cat))(t)
			sortScores(atReveal)
			sortScores(after)
			if diff := cmp.Diff(atReveal, after); diff != "" {
				t.Fatalf("counting scores changed after the reveal answered (-at reveal +after):\n%s", diff)
			}
			if diff := cmp.Diff(publicAtReveal, must(r.svc.Results(ctx, judging.Actor{}))(t)); diff != "" {
				t.Fatalf("the public results changed after the reveal answered (-at reveal +after):\n%s", diff)
			}
			if got, want := len(after), judges*entries; got != want {
				t.Fatalf("%d counting scores, want %d", got, want)
			}
			for _, sc := range after {
				if diff := cmp.Diff(acked[key{sc.JudgeID, sc.EntryID}], sc); diff != "" {
					t.Fatalf("the counting score of %s/%s is not the last one acknowledged (-acknowledged +counting):\n%s", sc.JudgeID, sc.EntryID, diff)
				}
			}
			// The places the reveal counted are those of the frozen ranking.
			full := must(r.svc.Results(ctx, r.admin))(t).Categories[0].Ranking
			if got, want := rr.Places, len(judging.Places(full)); got != want {
				t.Fatalf("the reveal counted %d places, the frozen ranking has %d", got, want)
			}
			if res := must(r.svc.VerifyAudit(ctx, r.admin))(t); !res.OK {
				t.Fatalf("audit verify = %+v", res)
			}
		})
	}
}
